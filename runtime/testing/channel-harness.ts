/**
 * Builds the runtime with messenger channels for tests: a store (memory, or the lowdb store a
 * test passes), real keys and sealing, the reference flow published, the channel hub pointed
 * at fake platform servers, and the Express app for supertest.
 */
import { readFileSync } from "node:fs";
import { pino } from "pino";
import { ConversationService } from "../app/conversations/conversation-service.ts";
import { createApp } from "../server/create-app.ts";
import { deriveRuntimeKeys, type RuntimeKeys } from "../app/crypto/keys.ts";
import { FlowCatalog } from "../app/flows/flow-catalog.ts";
import type { Store } from "../stores/ports/store.ts";
import { MemoryStore } from "../stores/embedded/memory-store.ts";
import { ChannelHub } from "../app/messaging/channel-hub.ts";
import { type ChannelsConfig, channelBindings } from "../channels/index.ts";
import type { RetryPolicy } from "../app/messaging/outbox-worker.ts";
import { serviceCrypto } from "../app/crypto/service-crypto.ts";

export const referenceFlow = readFileSync(new URL("../../flows/callback-request.yaml", import.meta.url), "utf8");
export const telegramSecret = "telegram-webhook-secret_0123";
export const metaAppSecret = "meta-app-secret-0123456789abcdef";
export const metaVerifyToken = "verify-me-0123";
export const phoneNumberId = "1098765";

export interface ChannelHarness {
  app: ReturnType<typeof createApp>;
  hub: ChannelHub;
  store: Store;
  keys: RuntimeKeys;
  webhookCalls: unknown[];
  logLines: string[];
}

export interface HarnessOptions {
  store?: Store;
  telegramBase?: string;
  graphBase?: string;
  sendReplies?: boolean;
  reorderWindowMs?: number;
  stalePendingMs?: number;
  pendingSweepMs?: number;
  retry?: RetryPolicy;
  clock?: () => Date;
  /** The flow the Telegram bot runs; default the published reference flow. */
  telegramFlow?: string;
  /** Default trace, so tests see every line; the benchmark logs what `npm start` logs. */
  logLevel?: "trace" | "info" | "warn";
}

export const testKeys = deriveRuntimeKeys("k".repeat(32));

export async function channelHarness(options: HarnessOptions): Promise<ChannelHarness> {
  const store = options.store ?? new MemoryStore();
  const clock = options.clock ?? (() => new Date());
  const keys = testKeys;
  const catalog = new FlowCatalog(store, clock);
  await catalog.publish("callback-request", referenceFlow);
  const webhookCalls: unknown[] = [];
  const service = new ConversationService({
    store,
    catalog,
    clock,
    ...serviceCrypto(keys),
    callWebhook: async (effect) => {
      webhookCalls.push(effect);
      return { ok: true, json: {} };
    },
  });
  const config: ChannelsConfig = {};
  if (options.telegramBase) config.telegram = { botToken: "123456:TEST", webhookSecret: telegramSecret, flow: options.telegramFlow ?? "callback-request", apiBase: options.telegramBase };
  if (options.graphBase) {
    config.whatsapp = { accessToken: "wa-access-token", appSecret: metaAppSecret, verifyToken: metaVerifyToken, phoneNumberId, flow: "callback-request", graphApiBase: options.graphBase };
    config.messenger = { pageAccessToken: "page-access-token", appSecret: metaAppSecret, verifyToken: metaVerifyToken, flow: "callback-request", graphApiBase: options.graphBase };
  }
  const logLines: string[] = [];
  const logger = pino({ level: options.logLevel ?? "trace" }, { write: (line: string) => void logLines.push(line) });
  const hub = new ChannelHub({
    store,
    service,
    catalog,
    keys,
    channels: channelBindings(config),
    clock,
    logger,
    publicUrl: "https://bot.muster.example",
    reorderWindowMs: options.reorderWindowMs ?? 30,
    retry: options.retry ?? { baseMs: 50, maxMs: 2000, maxAttempts: 5 },
    ...(options.sendReplies === undefined ? {} : { sendReplies: options.sendReplies }),
    ...(options.stalePendingMs === undefined ? {} : { stalePendingMs: options.stalePendingMs }),
    ...(options.pendingSweepMs === undefined ? {} : { pendingSweepMs: options.pendingSweepMs }),
  });
  await hub.start();
  const app = createApp({
    service,
    catalog,
    channels: hub,
    adminAuth: { matches: async () => false },
    logger,
    limits: { messagesPerWindow: 1000, conversationsPerWindow: 1000, windowMs: 10_000 },
  });
  return { app, hub, store, keys, webhookCalls, logLines };
}

/** Polls until `check` holds (the hub works asynchronously after answering 200). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error("condition not reached in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
