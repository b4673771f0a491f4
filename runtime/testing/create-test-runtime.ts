/**
 * The runtime as tests use it, built by the same `composeRuntime` as `npm start`: an in-memory
 * store (or the one a test passes), real keys and sealing, a fake clock, a recording fake for
 * webhook calls, messenger channels pointed at fake platforms when asked, and the Express app
 * for supertest. Every suite that needs more than one service takes it from here, so no test
 * wires the runtime by hand.
 *
 * @example
 * ```ts
 * const runtime = await createTestRuntime({ clock: createFakeClock({ at: "2026-11-22T10:00:00Z" }) });
 * const reply = await request(runtime.app).post("/api/v1/conversations").send({ flow: "callback-request" });
 * await runtime.close();
 * ```
 */
import { readFileSync } from "node:fs";
import { pino } from "pino";
import type { TokenKeeper } from "../app/conversations/conversation-service.ts";
import type { WebhookCall } from "../app/conversations/webhook-call.ts";
import { deriveRuntimeKeys, type RuntimeKeys } from "../app/crypto/keys.ts";
import { type ChannelsConfig, channelBindings } from "../channels/index.ts";
import type { DeliveryAttempt, DeliveryOutcome } from "../app/deliveries/delivery-worker.ts";
import type { DeliveryOptions } from "../server/compose-runtime.ts";
import { composeRuntime, type HubOptions, type Runtime, type TeamOptions } from "../server/compose-runtime.ts";
import { sessionCookie } from "../server/team-auth.ts";
import type { TeamRole } from "../stores/ports/accounts.ts";
import type { WebOptions } from "../server/create-app.ts";
import { MemoryStore } from "../stores/embedded/memory-store.ts";
import type { SignalStore, Store } from "../stores/ports/store.ts";
import type { MessengerChannel } from "../core/index.ts";
import { createFakeClock, type FakeClock } from "./fake-clock.ts";

/** The reference flow (`flows/callback-request.yaml`), which every runtime here publishes unless told otherwise. */
export const referenceFlow = readFileSync(new URL("../../flows/callback-request.yaml", import.meta.url), "utf8");
/** The reference flow with its CRM step delivered durably (`examples/callback-durable.yaml`, docs/deliveries.md). */
export const durableCallbackFlow = readFileSync(new URL("../../examples/callback-durable.yaml", import.meta.url), "utf8");
export const testKeys: RuntimeKeys = deriveRuntimeKeys("k".repeat(32));
export const testAdminToken = "admin-token-for-tests-0123456789";
export const telegramSecret = "telegram-webhook-secret_0123";
export const telegramBotUsername = "MusterServiceBot";
export const metaAppSecret = "meta-app-secret-0123456789abcdef";
export const metaVerifyToken = "verify-me-0123";
export const phoneNumberId = "1098765";
export const messengerPageId = "106540352242922";

export interface TestFlow {
  id: string;
  yaml: string;
}

export interface TestRuntimeOptions {
  /** Default: a new `MemoryStore`; `close()` closes whichever store it is. */
  store?: Store;
  /** Live-chat signals other than the store's (Redis pub/sub); `close()` leaves them to the test. */
  signals?: SignalStore;
  /** Published in this order at start; default the reference flow as `callback-request`. */
  flows?: readonly TestFlow[];
  /**
   * The knowledge bases published with the flows that use them (name → YAML); default those in
   * `web.editor.flowsDir` when an editor is set up, none otherwise.
   */
  knowledgeBases?: Readonly<Record<string, string>>;
  /** Default: a flowing clock from the real time (see `createFakeClock`). */
  clock?: FakeClock;
  keys?: RuntimeKeys;
  /** Answers webhook calls (each is also recorded in `webhookCalls`); default a 200 with `{}`. */
  webhook?: WebhookCall;
  /**
   * Answers delivery attempts (each is also recorded in `deliveryAttempts`); default taken.
   * The worker does not run by itself unless `deliveryOptions.autoStart` is true: tests call
   * `runtime.deliveryWorker.drain()` after moving the clock.
   */
  delivery?: (attempt: DeliveryAttempt) => DeliveryOutcome | Promise<DeliveryOutcome>;
  deliveryOptions?: Partial<DeliveryOptions>;
  /** False counts no analytics (benchmarks compare with and without). */
  countAnalytics?: boolean;
  /** False records nothing in the proof ledger from turns (the privacy benchmark compares with and without). */
  recordLedger?: boolean;
  /** Binds the messengers to fake platforms: Telegram at `telegramBase`, WhatsApp and Messenger at `graphBase`. */
  messengers?: { telegramBase?: string; graphBase?: string; telegramFlow?: string; graphFlow?: string };
  /** Which messengers run a flow, as the configuration says (publishing checks and the privacy texts read it). */
  messengersRunning?: (flowId: string) => readonly MessengerChannel[];
  hub?: HubOptions;
  /** The team side; by default `testAdminToken` works as an admin API token and publishing needs no approval. */
  team?: Partial<TeamOptions>;
  web?: Partial<WebOptions>;
  /** Replaces the bearer-token keeper (tests count its hash computations); default the real one from `keys`. */
  tokens?: TokenKeeper;
  /** Hosts webhooks may reach although not public (`BOTSCHAFT_WEBHOOK_ALLOW_HOSTS`); none by default. */
  webhookAllowHosts?: readonly string[];
  /** Mails the agents about live chats unclaimed this long (needs `team.mailer`). */
  inboxNotifyAfterMs?: number;
  /** Default `trace`, so tests see every log line in `logLines`; benchmarks log what `npm start` logs. */
  logLevel?: "trace" | "info" | "warn" | "silent";
}

export interface TestMember {
  email: string;
  password: string;
  cookie: string;
  csrf: string;
}

export const testPassword = "korrekt Pferd Batterie Heftklammer";

export interface TestRuntime extends Runtime {
  store: Store;
  keys: RuntimeKeys;
  clock: FakeClock;
  /** Every webhook call the flows made, in order, with the headers sent (the `Idempotency-Key`). */
  webhookCalls: Parameters<WebhookCall>[0][];
  /** Every delivery attempt, in order. */
  deliveryAttempts: DeliveryAttempt[];
  /** Every log line, as JSON text. */
  logLines: string[];
  /**
   * A team member with these roles, invited, activated and signed in: the `Cookie` header and
   * the CSRF token to send with supertest, and the password.
   */
  member(roles: TeamRole[], email?: string): Promise<TestMember>;
  /** Resolves once every messenger delivery accepted so far is processed. */
  settled(): Promise<void>;
  /** Stops the background work and closes the store. */
  close(): Promise<void>;
}

function channelsConfig(messengers: NonNullable<TestRuntimeOptions["messengers"]>): ChannelsConfig {
  const config: ChannelsConfig = {};
  const { telegramBase, graphBase } = messengers;
  if (telegramBase) {
    config.telegram = { botToken: "123456:TEST", botUsername: telegramBotUsername, webhookSecret: telegramSecret, flow: messengers.telegramFlow ?? "callback-request", apiBase: telegramBase };
  }
  if (graphBase) {
    config.whatsapp = { accessToken: "wa-access-token", appSecret: metaAppSecret, verifyToken: metaVerifyToken, phoneNumberId, flow: messengers.graphFlow ?? "callback-request", graphApiBase: graphBase };
    config.messenger = { pageAccessToken: "page-access-token", pageId: messengerPageId, appSecret: metaAppSecret, verifyToken: metaVerifyToken, flow: messengers.graphFlow ?? "callback-request", graphApiBase: graphBase };
  }
  return config;
}

export async function createTestRuntime(options: TestRuntimeOptions = {}): Promise<TestRuntime> {
  const store = options.store ?? new MemoryStore();
  const clock = options.clock ?? createFakeClock();
  const keys = options.keys ?? testKeys;
  const logLines: string[] = [];
  const logger = pino({ level: options.logLevel ?? "trace" }, { write: (line: string) => void logLines.push(line) });
  const webhookCalls: Parameters<WebhookCall>[0][] = [];
  const answer = options.webhook ?? (() => ({ ok: true as const, json: {} }));
  const deliveryAttempts: DeliveryAttempt[] = [];
  const deliver = options.delivery ?? (() => ({ ok: true as const }));
  const runtime = composeRuntime({
    store,
    ...(options.signals ? { signals: options.signals } : {}),
    keys,
    clock,
    logger,
    callWebhook: (effect) => {
      webhookCalls.push(effect);
      return answer(effect);
    },
    team: { localUrl: () => "http://127.0.0.1", region: "EU", auditRetentionMs: 365 * 86_400_000, configuredAdminToken: testAdminToken, ...options.team },
    ...(options.webhookAllowHosts ? { webhookAllowHosts: options.webhookAllowHosts } : {}),
    deliveries: {
      send: async (attempt) => {
        deliveryAttempts.push(attempt);
        return deliver(attempt);
      },
      autoStart: false,
      ...options.deliveryOptions,
    },
    ...(options.countAnalytics === false ? { countAnalytics: false } : {}),
    ...(options.recordLedger === false ? { recordLedger: false } : {}),
    ...(options.tokens ? { tokens: options.tokens } : {}),
    ...(options.inboxNotifyAfterMs ? { inboxNotifyAfterMs: options.inboxNotifyAfterMs } : {}),
    ...(options.knowledgeBases ? { knowledgeBases: async () => options.knowledgeBases ?? {} } : {}),
    ...(options.messengersRunning ? { messengersRunning: options.messengersRunning } : {}),
    channels: options.messengers ? channelBindings(channelsConfig(options.messengers)) : undefined,
    hub: { publicUrl: "https://bot.muster.example", reorderWindowMs: 30, retry: { baseMs: 50, maxMs: 2000, maxAttempts: 5 }, ...options.hub },
    web: { limits: { messagesPerWindow: 1000, conversationsPerWindow: 1000, windowMs: 10_000 }, ...options.web },
  });
  for (const flow of options.flows ?? [{ id: "callback-request", yaml: referenceFlow }]) await runtime.catalog.publish(flow.id, flow.yaml);
  await runtime.start();
  return {
    ...runtime,
    store,
    keys,
    clock,
    webhookCalls,
    deliveryAttempts,
    logLines,
    member: async (roles, email = `${roles.join("-")}-${Math.random().toString(36).slice(2, 8)}@muster.example`) => {
      const link = await runtime.accounts.invite(email, roles, { actor: "system" });
      const token = link.url.slice(link.url.lastIndexOf("/") + 1);
      await runtime.accounts.acceptLink(token, testPassword, undefined);
      const session = await runtime.accounts.signIn(email, testPassword);
      return { email, password: testPassword, cookie: `${sessionCookie(options.team?.publicUrl).name}=${session.cookie}`, csrf: runtime.accounts.csrfToken(session.cookie) };
    },
    settled: async () => {
      await runtime.hub?.settled();
    },
    close: async () => {
      await runtime.stop();
      await store.close();
    },
  };
}

/** Polls until `check` holds (the hub and outbox work asynchronously after answering). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error("condition not reached in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
