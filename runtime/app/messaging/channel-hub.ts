/**
 * The messenger runtime around the channel port, the same five steps for every platform
 * (docs/channels.md#how-deliveries-are-handled):
 * 1. **Intake** (`intake`): verify the raw bytes, parse, and store each delivery as pending
 *    under the hash of its platform key, unless that key is known (a redelivery). Only when
 *    every delivery is durable does the webhook answer 200, so an acknowledged delivery is
 *    never lost; the platform's retries of a failed answer are deduplicated.
 * 2. **Processing**, asynchronously and one delivery at a time per conversation, in the
 *    platform's order: after a short reorder window the pending deliveries of a conversation
 *    are taken by `order` (Telegram `update_id`, Meta timestamps), so a burst that arrives out
 *    of order still runs in order.
 * 3. The engine's turn, its rendered replies and the delivery's "processed" mark are stored in
 *    one atomic `completeInbound`, so a crash leaves either nothing done (the delivery is still
 *    pending and runs again) or everything including the replies to send.
 * 4. **Outbox** (`OutboxWorker`): sends the replies with retries, then finishes them.
 * 5. Processed keys are purged after 8 days, beyond every platform's retry horizon.
 *
 * Raw channel ids reach the store only sealed (inside the pending delivery and the outbox
 * call), under transient keys that are destroyed soon after the entries are done
 * (`transient-keys.ts`); conversations are found by the keyed-HMAC pseudonym, which a processed
 * delivery no longer keeps. When a user is erased, their unsent replies go with the conversation,
 * and the key their messages were sealed under is destroyed once the confirmation is sent
 * (docs/privacy.md#erasure-by-destroying-keys). No raw id or message text is logged.
 */
import { createHmac, randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { Logger } from "pino";
import { menuOf, type RunnableFlow } from "../../core/index.ts";
import { AppError } from "../app-error.ts";
import type { ChannelTurnPlan, ConversationService } from "../conversations/conversation-service.ts";
import type { DataKeys } from "../crypto/data-keys.ts";
import type { RuntimeKeys } from "../crypto/keys.ts";
import { pseudonym } from "../crypto/pseudonym.ts";
import { openSealedJson, sealedKeyId, sealJson } from "../crypto/sealing.ts";
import type { FlowCatalog } from "../flows/flow-catalog.ts";
import type { ConversationChange, InboundRecord, MessengerInboxStore } from "../../stores/ports/messenger-inbox.ts";
import type { MessengerOutboxStore } from "../../stores/ports/messenger-outbox.ts";
import type { Channel, ChannelName, Delivery, MenuMessage, RenderItem } from "./channel.ts";
import { textsFor } from "../../core/channels/channel-texts.ts";
import { OutboxWorker, outboxContext, type RetryPolicy } from "./outbox-worker.ts";
import type { PlatformClient } from "./channel.ts";
import { TransientKeys } from "./transient-keys.ts";

/** One enabled channel: its translator, its API client and the flow its bot runs. */
export interface ChannelBinding {
  channel: Channel;
  client: PlatformClient;
  flow: string;
}

export interface ChannelHubDeps {
  inbox: MessengerInboxStore;
  outbox: MessengerOutboxStore;
  service: ConversationService;
  catalog: FlowCatalog;
  keys: RuntimeKeys;
  /** The data keys the conversation service uses too: transient keys seal deliveries and replies. */
  dataKeys: DataKeys;
  channels: ReadonlyMap<ChannelName, ChannelBinding>;
  clock: () => Date;
  logger: Logger;
  /** Public base URL of this runtime, for short-lived export links; without it the export is sent as text. */
  publicUrl?: string;
  /** How long the first delivery of a burst waits for the rest, so they run in the platform's order. Default 100 ms. */
  reorderWindowMs?: number;
  retry?: RetryPolicy;
  /** False keeps replies in the outbox without sending them (tests simulate a crash before the send). */
  sendReplies?: boolean;
  /**
   * A delivery still pending this long after its intake was left by an instance that died (or
   * by a store failure); the sweep takes it over. Default 60 s.
   */
  stalePendingMs?: number;
  /** How often to look for such deliveries and for replies other instances left, and to retire transient keys. Default 30 s. */
  pendingSweepMs?: number;
  /** How long one transient key seals deliveries and replies before the next takes over. Default 5 minutes. */
  transientKeyRotationMs?: number;
  /** Told when a completed turn stored durable deliveries (the delivery worker starts on them). */
  deliveries?: { stored(): void };
}

export type IntakeResult = { status: 200 } | { status: 400 | 401 | 403 | 404; reason: string };

/** Dedupe keys are kept beyond the longest platform retry horizon (WhatsApp: 7 days). */
const inboxRetentionMs = 8 * 24 * 60 * 60 * 1000;
const purgeIntervalMs = 60 * 60 * 1000;
export const exportLinkLifetimeMs = 15 * 60 * 1000;

function inboundContext(channel: string, key: string): string {
  return `inbound:${channel}:${key}`;
}

export const exportLinkContext = "export-link";

export class ChannelHub {
  readonly #deps: ChannelHubDeps;
  readonly #outbox: OutboxWorker;
  readonly #transientKeys: TransientKeys;
  /** Transient keys wait for their entries to be done before they can go; `#retire` tries again after each reply sent. */
  #retireWaiting = false;
  #retiring: Promise<void> | undefined;
  #retireAgain = false;
  /** Pending deliveries per conversation lane (`channel\0pseudonym`), not yet processed. */
  readonly #pending = new Map<string, InboundRecord[]>();
  readonly #draining = new Map<string, Promise<void>>();
  /** Deliveries queued or being processed here (`channel\0key`), so a sweep does not queue them twice. */
  readonly #known = new Set<string>();
  #purgeTimer: NodeJS.Timeout | undefined;
  #sweepTimer: NodeJS.Timeout | undefined;
  #stopped = false;
  #stopping: () => void = () => undefined;
  /** Resolves on `stop()`, ending reorder waits at once. */
  readonly #stopSignal = new Promise<void>((resolve) => {
    this.#stopping = resolve;
  });

  constructor(deps: ChannelHubDeps) {
    this.#deps = deps;
    this.#transientKeys = new TransientKeys(deps.dataKeys, deps.clock, deps.transientKeyRotationMs);
    this.#outbox = new OutboxWorker({
      outbox: deps.outbox,
      clients: new Map([...deps.channels].map(([name, binding]) => [name, binding.client])),
      open: (sealed, context) => deps.dataKeys.open(sealed, context, deps.keys.stateEncryption),
      onFinished: () => {
        if (this.#retireWaiting) this.#retire();
      },
      clock: deps.clock,
      logger: deps.logger,
      ...(deps.retry ? { retry: deps.retry } : {}),
    });
  }

  channel(name: string): Channel | undefined {
    return this.#deps.channels.get(name as ChannelName)?.channel;
  }

  /** Picks up what a previous run left: pending deliveries and unsent replies. */
  async start(): Promise<void> {
    for (const record of await this.#deps.inbox.pending()) this.#enqueue(record);
    if (this.#deps.sendReplies !== false) this.#outbox.kick();
    const purge = () => {
      const before = new Date(this.#deps.clock().getTime() - inboxRetentionMs).toISOString();
      this.#deps.inbox.purge(before).catch((error: unknown) => this.#deps.logger.warn({ err: error instanceof Error ? error.message : String(error) }, "inbox purge failed"));
    };
    purge();
    this.#purgeTimer = setInterval(purge, purgeIntervalMs);
    this.#purgeTimer.unref();
    this.#retire();
    this.#sweepTimer = setInterval(() => void this.#sweepStale(), this.#deps.pendingSweepMs ?? 30_000);
    this.#sweepTimer.unref();
  }

  /**
   * Instances sharing a store (PostgreSQL): deliveries an instance accepted but never processed
   * (it died) are taken over once stale, and replies other instances stored are sent. Processing
   * a delivery twice is harmless: its atomic completion succeeds once.
   */
  async #sweepStale(): Promise<void> {
    if (this.#stopped) return;
    try {
      const staleBefore = this.#deps.clock().getTime() - (this.#deps.stalePendingMs ?? 60_000);
      for (const record of await this.#deps.inbox.pending()) {
        if (Date.parse(record.receivedAt) <= staleBefore) this.#enqueue(record);
      }
      if (this.#deps.sendReplies !== false) this.#outbox.kick();
    } catch (error) {
      this.#deps.logger.warn({ err: error instanceof Error ? error.message : String(error) }, "looking for stale deliveries failed");
    }
    this.#retire();
  }

  /** Destroys the transient keys nothing uses any more; one run at a time, another after it when asked for meanwhile. */
  #retire(): void {
    if (this.#stopped) return;
    if (this.#retiring) {
      this.#retireAgain = true;
      return;
    }
    this.#retiring = this.#transientKeys
      .retire(async () => {
        const inUse = new Set<string>();
        for (const record of await this.#deps.inbox.pending()) inUse.add(sealedKeyId(record.sealedDelivery) ?? "");
        for (const entry of await this.#deps.outbox.pending()) inUse.add(sealedKeyId(entry.sealedCall) ?? "");
        return inUse;
      })
      .then((waiting) => {
        this.#retireWaiting = waiting > 0;
      })
      .catch((error: unknown) => this.#deps.logger.warn({ err: error instanceof Error ? error.message : String(error) }, "retiring transient keys failed"))
      .finally(() => {
        this.#retiring = undefined;
        if (this.#retireAgain) {
          this.#retireAgain = false;
          this.#retire();
        }
      });
  }

  /** Stops processing and sending; whatever is pending stays in the store for the next start. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#stopping();
    clearInterval(this.#purgeTimer);
    clearInterval(this.#sweepTimer);
    await Promise.all([...this.#draining.values()]);
    await this.#outbox.stop();
    await this.#retiring;
  }

  /** Resolves once every delivery accepted so far is processed (tests and graceful shutdown). */
  async settled(): Promise<void> {
    while (this.#draining.size > 0) await Promise.all([...this.#draining.values()]);
  }

  /**
   * Messages no delivery caused — a live chat's agent, the bot after a hand-back
   * (docs/inbox.md#messengers): rendered by the channel and stored in the outbox like a turn's
   * replies, in the same order per user, so the same retries, rate limits and platform limits
   * apply. `notAfter` drops what could not be sent before the platform's window closes.
   */
  async sendOutside(
    name: string,
    to: { recipient: string; conversationKey: string },
    items: readonly RenderItem[],
    options: { language: RunnableFlow["flow"]["language"]; notAfter?: string; humanAgent?: boolean },
  ): Promise<void> {
    const binding = this.#deps.channels.get(name as ChannelName);
    if (!binding) throw new AppError("conflict", `The ${name} channel is not enabled on this server; the message cannot reach the visitor.`);
    const calls = binding.channel.render(items, { recipient: to.recipient, language: options.language, ...(options.humanAgent ? { humanAgent: true } : {}) });
    if (calls.length === 0) return;
    const { dataKeys, clock } = this.#deps;
    const now = clock().toISOString();
    const batch = randomUUID();
    await this.#transientKeys.use((sealingKey) =>
      this.#deps.outbox.add(
        calls.map((call, index) => {
          const id = `live:${batch}:${index}`;
          return {
            id,
            channel: binding.channel.name,
            conversationKey: to.conversationKey,
            sealedCall: dataKeys.seal(call, sealingKey, outboxContext(id)),
            attempts: 0,
            nextAttemptAt: now,
            ...(options.notAfter ? { notAfter: options.notAfter } : {}),
          };
        }),
      ),
    );
    if (this.#deps.sendReplies !== false) this.#outbox.kick();
  }

  /** Step 1: verify, parse, store durably, schedule. The answer for the platform. */
  async intake(name: string, rawBody: Buffer, headers: IncomingHttpHeaders): Promise<IntakeResult> {
    const binding = this.#deps.channels.get(name as ChannelName);
    if (!binding) return { status: 404, reason: "channel not enabled" };
    const verdict = binding.channel.verify(rawBody, headers);
    if (!verdict.ok) return { status: verdict.status, reason: verdict.reason };
    let body: unknown;
    try {
      body = JSON.parse(rawBody.toString("utf8"));
    } catch {
      return { status: 400, reason: "body is not JSON" };
    }
    // Authentic events that ask for no answer (service messages, groups, other pages) are only logged, at debug.
    const deliveries = binding.channel.parse(body, (reason) => this.#deps.logger.debug({ channel: name, reason }, "delivery ignored"));
    const accepted = await Promise.all(deliveries.map((delivery) => this.#accept(binding.channel.name, delivery)));
    for (const record of accepted) if (record) this.#enqueue(record);
    return { status: 200 };
  }

  /**
   * The stored, sealed form of a delivery, or undefined for a redelivery. Its dedupe key is a
   * keyed hash of the platform's delivery id alone: once the delivery is processed, nothing kept
   * for deduplication names the user.
   */
  async #accept(channel: ChannelName, delivery: Delivery): Promise<InboundRecord | undefined> {
    const { keys, inbox, clock, dataKeys } = this.#deps;
    const key = createHmac("sha256", keys.pseudonym.current.key).update(`inbox\u0000${channel}\u0000${delivery.dedupeKey}`).digest("base64url");
    const conversationKey = pseudonym(keys.pseudonym.current.key, channel, delivery.channelUserId);
    const receivedAt = clock().toISOString();
    return this.#transientKeys.use(async (sealingKey) => {
      const sealedDelivery = dataKeys.seal(delivery, sealingKey, inboundContext(channel, key));
      const record: InboundRecord = { channel, key, conversationKey, order: delivery.order, sealedDelivery, receivedAt };
      return (await inbox.accept(record)) ? record : undefined;
    });
  }

  #enqueue(record: InboundRecord): void {
    const known = `${record.channel}\u0000${record.key}`;
    if (this.#known.has(known)) return;
    this.#known.add(known);
    const lane = `${record.channel}\u0000${record.conversationKey}`;
    const queue = this.#pending.get(lane);
    if (queue) queue.push(record);
    else this.#pending.set(lane, [record]);
    if (this.#draining.has(lane) || this.#stopped) return;
    const draining = this.#drain(lane).finally(() => this.#draining.delete(lane));
    this.#draining.set(lane, draining);
  }

  async #drain(lane: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([new Promise((resolve) => (timer = setTimeout(resolve, this.#deps.reorderWindowMs ?? 100))), this.#stopSignal]);
    clearTimeout(timer);
    for (;;) {
      const queue = this.#pending.get(lane);
      if (!queue || queue.length === 0 || this.#stopped) break;
      queue.sort((a, b) => a.order - b.order || Date.parse(a.receivedAt) - Date.parse(b.receivedAt));
      const record = queue.shift() as InboundRecord;
      try {
        await this.#process(record);
      } catch (error) {
        await this.#failed(record, error);
      } finally {
        this.#known.delete(`${record.channel}\u0000${record.key}`);
      }
    }
    if (this.#pending.get(lane)?.length === 0) this.#pending.delete(lane);
  }

  /**
   * A delivery that cannot be processed. A user-level cause (the bot's flow is not published)
   * would fail the same way on every start, so the delivery is completed without an answer; any
   * other failure (the store) leaves it pending for the next start.
   */
  async #failed(record: InboundRecord, error: unknown): Promise<void> {
    const reason = error instanceof Error ? error.message : String(error);
    if (!(error instanceof AppError)) {
      this.#deps.logger.error({ channel: record.channel, err: reason }, "delivery failed; it is retried on the next start");
      return;
    }
    this.#deps.logger.warn({ channel: record.channel, code: error.code, err: reason }, "delivery dropped");
    await this.#deps.inbox.complete({ channel: record.channel, key: record.key, conversation: [], outbox: [] }).catch(() => undefined);
  }

  /** Steps 2–3: the turn, its replies and the processed mark in one atomic store call. */
  async #process(record: InboundRecord): Promise<void> {
    const { inbox, keys, clock, dataKeys } = this.#deps;
    const binding = this.#deps.channels.get(record.channel as ChannelName);
    if (!binding) return;
    const delivery = (await dataKeys.open(record.sealedDelivery, inboundContext(record.channel, record.key), keys.stateEncryption)) as Delivery | undefined;
    if (!delivery) {
      // Its transient key is gone (another instance retired it): nothing of it can be read any more.
      this.#deps.logger.warn({ channel: record.channel }, "delivery dropped: its key was destroyed");
      await inbox.complete({ channel: record.channel, key: record.key, conversation: [], outbox: [] });
      return;
    }
    for (let attempt = 0; attempt < 3; attempt++) {
      const turn = await this.#turn(binding, record, delivery);
      const calls = binding.channel.render(turn.items, {
        recipient: delivery.channelUserId,
        language: turn.language,
        ...(turn.exportLink ? { exportLink: turn.exportLink } : {}),
        ...(delivery.callbackQueryId ? { callbackQueryId: delivery.callbackQueryId } : {}),
      });
      const now = clock().toISOString();
      const window = binding.channel.replyWindowMs;
      const notAfter = window === undefined ? undefined : new Date(Date.parse(delivery.sentAt) + window).toISOString();
      const result = await this.#transientKeys.use((sealingKey) => {
        const outbox = calls.map((call, index) => {
          const id = `${record.key}:${index}`;
          return {
            id,
            channel: record.channel,
            conversationKey: record.conversationKey,
            sealedCall: dataKeys.seal(call, sealingKey, outboxContext(id)),
            attempts: 0,
            nextAttemptAt: now,
            ...(notAfter ? { notAfter } : {}),
          };
        });
        const deliveries = turn.plan?.deliveries ?? [];
        return inbox.complete({
          channel: record.channel,
          key: record.key,
          conversation: turn.changes,
          outbox,
          ...(turn.erased ? { erasesUser: true } : {}),
          ...(deliveries.length > 0 ? { deliveries } : {}),
        });
      });
      if (result !== "completed" && turn.plan) await this.#deps.service.abandonChannelTurn(turn.plan);
      if (result === "conflict") continue;
      if (result === "completed" && turn.plan) await this.#deps.service.channelTurnStored(turn.plan);
      if (result === "completed" && turn.erased) {
        // What this user sent and was sent is sealed under the current key (or older ones):
        // a new key takes over, and the old ones go once the confirmation is out.
        this.#transientKeys.rotate();
        this.#retire();
      }
      if (result === "completed" && this.#deps.sendReplies !== false) this.#outbox.kick();
      if (result === "completed" && (turn.plan?.deliveries.length ?? 0) > 0) this.#deps.deliveries?.stored();
      return;
    }
    throw new Error("the conversation kept changing while the delivery was processed");
  }

  async #turn(
    binding: ChannelBinding,
    record: InboundRecord,
    delivery: Delivery,
  ): Promise<{ items: RenderItem[]; changes: ConversationChange[]; language: RunnableFlow["flow"]["language"]; exportLink?: string; erased?: boolean; plan?: ChannelTurnPlan }> {
    const { input } = delivery;
    if (input.kind === "unsupported" || input.kind === "show-menu" || input.kind === "private-only") {
      const runnable = await this.#deps.catalog.latest(binding.flow);
      const language = runnable.flow.language;
      const texts = textsFor(language);
      // None of these touches a conversation: a group's note in particular stores nothing (docs/channels.md#groups).
      const items: RenderItem[] =
        input.kind === "unsupported" ? [{ type: "text", text: texts.unsupported }] : input.kind === "private-only" ? [{ type: "text", text: texts.privateOnly(input.link) }] : [this.#menu(runnable)];
      return { items, changes: [], language };
    }
    const plan = await this.#deps.service.planChannelTurn(
      record.channel,
      record.conversationKey,
      binding.flow,
      input.kind === "start" ? { type: "start" } : { type: "event", event: input.event },
      { recipient: delivery.channelUserId, conversationKey: record.conversationKey, sentAt: delivery.sentAt },
    );
    const wantsExport = plan.status !== "erased" && plan.messages.some((message) => message.type === "data");
    const exportLink = wantsExport ? this.#exportLink(plan.conversationId) : undefined;
    return { items: plan.messages, changes: plan.changes, language: plan.language, erased: plan.status === "erased", plan, ...(exportLink ? { exportLink } : {}) };
  }

  #menu(runnable: RunnableFlow): MenuMessage {
    const { policyUrl, imprintUrl } = runnable.flow.privacy;
    const urls: Record<string, string | undefined> = { privacy: policyUrl, imprint: imprintUrl };
    return {
      type: "menu",
      text: textsFor(runnable.flow.language).menuTitle,
      items: menuOf(runnable).map((entry) => {
        const url = urls[entry.id];
        return url ? { ...entry, url } : entry;
      }),
    };
  }

  /** A sealed, self-contained token: the conversation and an expiry, readable only by this runtime. */
  #exportLink(conversationId: string): string | undefined {
    const base = this.#deps.publicUrl;
    if (!base) return undefined;
    const token = sealJson({ conversation: conversationId, expires: this.#deps.clock().getTime() + exportLinkLifetimeMs }, this.#deps.keys.stateEncryption, exportLinkContext);
    return `${base.replace(/\/+$/, "")}/channels/export?token=${encodeURIComponent(token)}`;
  }

  /** The conversation an export link names, while it is valid. */
  exportLinkConversation(token: string): string | undefined {
    try {
      const value = openSealedJson(token, this.#deps.keys.stateEncryption, exportLinkContext) as { conversation?: unknown; expires?: unknown };
      if (typeof value.conversation !== "string" || typeof value.expires !== "number") return undefined;
      return this.#deps.clock().getTime() <= value.expires ? value.conversation : undefined;
    } catch {
      return undefined;
    }
  }
}
