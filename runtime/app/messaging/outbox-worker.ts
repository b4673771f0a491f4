/**
 * Sends the outbox: the replies that `inbox.complete` stored together with the conversation
 * state. Entries of one recipient go out one at a time in sequence order; recipients do not
 * wait for each other. A 429 waits as long as the platform asks (`retry_after`, `Retry-After`),
 * 5xx and network failures back off exponentially, other 4xx give up; an entry past its
 * `notAfter` (WhatsApp's 24-hour window) is dropped unsent.
 *
 * Instances sharing a store (PostgreSQL) claim an entry before sending it (`outbox.claim`), so
 * no two send the same entry; a recipient whose next entry another instance holds is left to
 * it until the claim runs out.
 *
 * Exactly-once ends at the platform's door: an entry is finished after the platform answered,
 * so a crash in the moment between that answer and `finishOutbox` sends that one call again
 * on restart. No platform offers an idempotency key for sends (Telegram has none; Meta's Send
 * APIs have none), so this window is kept as short as one store write.
 */
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { MessengerOutboxStore, OutboxRecord } from "../../stores/ports/messenger-outbox.ts";
import type { PlatformCall } from "./channel.ts";
import type { PlatformClient, SendOutcome } from "./channel.ts";

export interface RetryPolicy {
  /** First backoff after a 5xx or network failure; doubles per attempt. */
  baseMs: number;
  maxMs: number;
  /** Attempts after which an entry is given up. */
  maxAttempts: number;
}

export const defaultRetryPolicy: RetryPolicy = { baseMs: 1000, maxMs: 5 * 60_000, maxAttempts: 10 };

/** How long a claim on an entry lasts: longer than any one send (platform calls time out sooner). */
export const outboxClaimMs = 60_000;

export interface OutboxWorkerDeps {
  outbox: MessengerOutboxStore;
  clients: ReadonlyMap<string, PlatformClient>;
  /** Opens a sealed call; undefined when the key it was sealed under is gone. */
  open: (sealed: string, context: string) => Promise<unknown>;
  /** Told after an entry is finished (sent, given up or dropped). */
  onFinished?: () => void;
  clock: () => Date;
  logger: Logger;
  retry?: RetryPolicy;
}

export function outboxContext(id: string): string {
  return `outbox:${id}`;
}

export class OutboxWorker {
  readonly #deps: OutboxWorkerDeps;
  readonly #retry: RetryPolicy;
  readonly #busy = new Set<string>();
  /** This worker's name in claims. */
  readonly #owner = randomUUID();
  /** Recipients whose next entry another instance holds, until when (ms). */
  readonly #heldElsewhere = new Map<string, number>();
  readonly #inFlight = new Set<Promise<void>>();
  #timer: NodeJS.Timeout | undefined;
  #pumping: Promise<void> | undefined;
  #again = false;
  #stopped = false;

  constructor(deps: OutboxWorkerDeps) {
    this.#deps = deps;
    this.#retry = deps.retry ?? defaultRetryPolicy;
  }

  /** Looks for due entries now (after a delivery was completed, on start, after a send). */
  kick(): void {
    if (this.#stopped) return;
    if (this.#pumping) {
      this.#again = true;
      return;
    }
    this.#pumping = this.#pump()
      .catch((error: unknown) => this.#deps.logger.error({ err: error instanceof Error ? error.message : String(error) }, "outbox pump failed"))
      .finally(() => {
        this.#pumping = undefined;
        if (this.#again) {
          this.#again = false;
          this.kick();
        }
      });
  }

  /** Stops sending; entries not yet sent stay in the store for the next start. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#pumping;
    await Promise.all([...this.#inFlight]);
  }

  async #pump(): Promise<void> {
    const now = this.#deps.clock().getTime();
    let wait = Number.POSITIVE_INFINITY;
    const heads = new Map<string, OutboxRecord>();
    for (const entry of await this.#deps.outbox.pending()) {
      const lane = `${entry.channel}\u0000${entry.conversationKey}`;
      if (!heads.has(lane)) heads.set(lane, entry);
    }
    for (const [lane, entry] of heads) {
      if (this.#busy.has(lane)) continue;
      const heldUntil = this.#heldElsewhere.get(lane) ?? 0;
      const due = Math.max(Date.parse(entry.nextAttemptAt), heldUntil);
      if (due > now) {
        wait = Math.min(wait, due - now);
        continue;
      }
      this.#heldElsewhere.delete(lane);
      this.#busy.add(lane);
      const sending = this.#claimAndSend(lane, entry)
        .catch((error: unknown) => this.#broken(entry, error))
        .finally(() => {
        this.#busy.delete(lane);
        this.#inFlight.delete(sending);
        this.kick();
      });
      this.#inFlight.add(sending);
    }
    clearTimeout(this.#timer);
    if (Number.isFinite(wait) && !this.#stopped) this.#timer = setTimeout(() => this.kick(), Math.max(1, wait));
  }

  /**
   * An entry that cannot even be tried (its sealed call does not open, the store refuses): it
   * waits like a failed send, so a persistent fault neither spins nor blocks other recipients.
   */
  async #broken(entry: OutboxRecord, error: unknown): Promise<void> {
    const attempts = entry.attempts + 1;
    this.#deps.logger.error({ channel: entry.channel, outbox: entry.id, attempts, err: error instanceof Error ? error.message : String(error) }, "reply could not be tried");
    const { outbox, clock } = this.#deps;
    await (attempts >= this.#retry.maxAttempts
      ? this.#finish(entry.id)
      : outbox.reschedule(entry.id, attempts, new Date(clock().getTime() + Math.min(this.#retry.maxMs, this.#retry.baseMs * 2 ** attempts)).toISOString())
    ).catch(() => undefined);
  }

  async #finish(id: string): Promise<void> {
    await this.#deps.outbox.finish(id);
    this.#deps.onFinished?.();
  }

  async #claimAndSend(lane: string, entry: OutboxRecord): Promise<void> {
    const now = this.#deps.clock().getTime();
    const claimed = await this.#deps.outbox.claim(entry.id, this.#owner, new Date(now).toISOString(), new Date(now + outboxClaimMs).toISOString());
    if (!claimed) {
      this.#heldElsewhere.set(lane, now + outboxClaimMs);
      return;
    }
    await this.#send(entry);
  }

  async #send(entry: OutboxRecord): Promise<void> {
    const { outbox, logger, clock } = this.#deps;
    const log = { channel: entry.channel, outbox: entry.id };
    if (entry.notAfter !== undefined && clock().getTime() > Date.parse(entry.notAfter)) {
      logger.warn(log, "reply dropped: the platform's reply window has closed");
      await this.#finish(entry.id);
      return;
    }
    const client = this.#deps.clients.get(entry.channel);
    if (!client) {
      // The channel was switched off since the reply was stored; it waits for the channel to come back.
      await outbox.reschedule(entry.id, entry.attempts, new Date(clock().getTime() + this.#retry.maxMs).toISOString());
      return;
    }
    const call = (await this.#deps.open(entry.sealedCall, outboxContext(entry.id))) as PlatformCall | undefined;
    if (!call) {
      logger.warn(log, "reply dropped: its key was destroyed");
      await this.#finish(entry.id);
      return;
    }
    const outcome: SendOutcome = await client.send(call);
    if (outcome.ok) {
      await this.#finish(entry.id);
      return;
    }
    const attempts = entry.attempts + 1;
    if (!outcome.retry || attempts >= this.#retry.maxAttempts) {
      logger.warn({ ...log, status: outcome.status, attempts, ...(outcome.retry ? {} : { code: outcome.code }) }, "reply given up");
      await this.#finish(entry.id);
      return;
    }
    const backoff = Math.min(this.#retry.maxMs, this.#retry.baseMs * 2 ** (attempts - 1));
    const delay = outcome.retryAfterMs ?? backoff;
    logger.info({ ...log, status: outcome.status, attempts, delayMs: delay }, "reply will be retried");
    await outbox.reschedule(entry.id, attempts, new Date(clock().getTime() + delay).toISOString());
  }
}
