/**
 * Builds the runtime from its adapters: the services of `runtime/app`, the messenger hub when
 * channels are bound, and the HTTP app. The one place where the parts meet — the composition
 * root `main.ts` passes real adapters (lowdb or PostgreSQL, HTTPS webhooks, platform clients),
 * the test runtime (`runtime/testing/create-test-runtime.ts`) passes in-memory ones.
 *
 * @example
 * ```ts
 * const runtime = composeRuntime({ store, keys, clock, logger, callWebhook, adminAuth, web: { limits } });
 * await runtime.start();
 * runtime.app.listen(8080);
 * ```
 */
import type express from "express";
import type { Logger } from "pino";
import { ConversationService } from "../app/conversations/conversation-service.ts";
import type { WebhookCall } from "../app/conversations/webhook-call.ts";
import type { RuntimeKeys } from "../app/crypto/keys.ts";
import { serviceCrypto } from "../app/crypto/service-crypto.ts";
import { FlowCatalog } from "../app/flows/flow-catalog.ts";
import type { ChannelName } from "../app/messaging/channel.ts";
import { type ChannelBinding, ChannelHub, type ChannelHubDeps } from "../app/messaging/channel-hub.ts";
import type { MessengerChannel } from "../core/index.ts";
import type { Store } from "../stores/ports/store.ts";
import type { AdminAuth } from "./admin-routes.ts";
import { createApp, type WebOptions } from "./create-app.ts";
import { startRetentionSweeper } from "./retention-timer.ts";

export type HubOptions = Partial<Pick<ChannelHubDeps, "publicUrl" | "reorderWindowMs" | "retry" | "sendReplies" | "stalePendingMs" | "pendingSweepMs">>;

export interface RuntimeAdapters {
  store: Store;
  keys: RuntimeKeys;
  clock: () => Date;
  logger: Logger;
  callWebhook: WebhookCall;
  adminAuth: AdminAuth;
  web: WebOptions;
  /** Messenger channels bound to the flows their bots run; none leaves the hub out. */
  channels?: ReadonlyMap<ChannelName, ChannelBinding>;
  hub?: HubOptions;
  /** The messengers whose bot runs a flow: publishing checks their platform limits. */
  messengersRunning?: (flowId: string) => readonly MessengerChannel[];
  /** How often `start` sweeps expired conversations; left out, no timer runs (tests sweep by hand). */
  retentionSweepMs?: number;
}

export interface Runtime {
  app: express.Express;
  service: ConversationService;
  catalog: FlowCatalog;
  /** The messenger hub, when channels are bound. */
  hub: ChannelHub | undefined;
  /** Starts the background work: the hub's recovery and outbox, the retention sweep. */
  start(): Promise<void>;
  /** Stops the background work; pending deliveries stay in the store. The store's owner closes the store. */
  stop(): Promise<void>;
}

export function composeRuntime(adapters: RuntimeAdapters): Runtime {
  const { store, keys, clock, logger } = adapters;
  const catalog = new FlowCatalog(store.flowVersions, clock, adapters.messengersRunning);
  const service = new ConversationService({ conversations: store.conversations, catalog, clock, ...serviceCrypto(keys), callWebhook: adapters.callWebhook });
  const channels = adapters.channels;
  const hub =
    channels && channels.size > 0 ? new ChannelHub({ inbox: store.inbox, outbox: store.outbox, service, catalog, keys, channels, clock, logger, ...adapters.hub }) : undefined;
  const app = createApp({ service, catalog, adminAuth: adapters.adminAuth, logger, ...(hub ? { channels: hub } : {}), ...adapters.web });
  let stopSweeper: (() => void) | undefined;
  return {
    app,
    service,
    catalog,
    hub,
    start: async () => {
      await hub?.start();
      if (adapters.retentionSweepMs !== undefined) stopSweeper = startRetentionSweeper(store.conversations, clock, adapters.retentionSweepMs, logger);
    },
    stop: async () => {
      stopSweeper?.();
      await hub?.stop();
    },
  };
}
