/**
 * Sends the durable deliveries (docs/deliveries.md). It claims due deliveries for a while
 * (`claimMs`, longer than any attempt), so instances sharing a store never send one at the same
 * time, and the deliveries a killed instance held are taken over once its claim runs out.
 * Every attempt carries the delivery's id as `Idempotency-Key` and the body's HMAC as
 * `X-Botschaft-Signature`, and goes through the SSRF-checked HTTPS call of the edge.
 *
 * At least once: a delivery is removed only after the receiver took it, so a crash between the
 * receiver's answer and that removal sends it again — with the same idempotency key, for the
 * receiver to recognise.
 */
import { createHmac, randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { DeliveryRecord, DeliveryStore } from "../../stores/ports/deliveries.ts";
import { deliveryContext, type DeliveryRequest, type DeliverySealer } from "./deliveries.ts";
import { defaultRetrySchedule, retryPause, type RetrySchedule } from "./retry-schedule.ts";

/** One attempt, as the edge sends it: the exact JSON text (which the signature covers) and the headers. */
export interface DeliveryAttempt {
  url: string;
  payload: string;
  headers: Readonly<Record<string, string>>;
  timeoutMs: number;
}

/** How an attempt ended; `error` is a reason code and status, never a reply body. */
export type DeliveryOutcome = { ok: true } | { ok: false; retry: boolean; error: string; retryAfterMs?: number };

export type SendDelivery = (attempt: DeliveryAttempt) => Promise<DeliveryOutcome>;

export interface DeliveryWorkerDeps {
  store: DeliveryStore;
  sealer: Pick<DeliverySealer, "open">;
  send: SendDelivery;
  /** The installation's signing secret (shown to admins). */
  signingSecret: () => Promise<string>;
  clock: () => Date;
  logger: Logger;
  schedule?: RetrySchedule;
  /** Attempts in flight at once. Default 32. */
  concurrency?: number;
  /** How long a claim lasts. Default 60 s. */
  claimMs?: number;
  /** How often to look for due deliveries when nothing is known to be due (other instances add some). Default 1 s. */
  pollMs?: number;
}

export const signatureHeader = "x-botschaft-signature";

/** `sha256=<hex HMAC-SHA256 of the body>`: what a receiver recomputes with the shared secret. */
export function signPayload(secret: string, payload: string): string {
  return `sha256=${createHmac("sha256", secret).update(payload, "utf8").digest("hex")}`;
}

export class DeliveryWorker {
  readonly #deps: DeliveryWorkerDeps;
  readonly #schedule: RetrySchedule;
  readonly #owner = randomUUID();
  readonly #concurrency: number;
  readonly #claimBatch: number;
  readonly #claimMs: number;
  readonly #pollMs: number;
  readonly #inFlight = new Set<Promise<void>>();
  #running: Promise<void> | undefined;
  #stopped = true;
  #wake: (() => void) | undefined;
  #kicked = false;

  constructor(deps: DeliveryWorkerDeps) {
    this.#deps = deps;
    this.#schedule = deps.schedule ?? defaultRetrySchedule;
    this.#concurrency = deps.concurrency ?? 32;
    this.#claimBatch = Math.max(1, Math.floor(this.#concurrency / 4));
    this.#claimMs = deps.claimMs ?? 60_000;
    this.#pollMs = deps.pollMs ?? 1000;
  }

  /** Starts sending in the background. */
  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#running = this.#loop();
  }

  /** Looks for due deliveries now (new ones were stored). */
  kick(): void {
    this.#kicked = true;
    this.#wake?.();
  }

  /** Stops taking deliveries and waits for the attempts in flight; the rest stays in the store. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    await this.#running;
    await Promise.all([...this.#inFlight]);
  }

  /** Sends everything due now and waits for it (tests, and the CLI): resolves with how many attempts were made. */
  async drain(): Promise<number> {
    let attempts = 0;
    for (;;) {
      const claimed = await this.#claim(this.#concurrency);
      if (claimed.length === 0) return attempts;
      attempts += claimed.length;
      await Promise.all(claimed.map((record) => this.#attempt(record)));
    }
  }

  async #loop(): Promise<void> {
    while (!this.#stopped) {
      try {
        this.#kicked = false;
        const free = this.#concurrency - this.#inFlight.size;
        if (free === 0 || (this.#inFlight.size > 0 && free < this.#claimBatch)) {
          // (Nearly) every slot is busy: the next attempt that ends wakes the loop. While a
          // backlog drains, slots are claimed a quarter at a time, not one store round trip per
          // attempt that ends; when nothing is in flight, what is due is claimed at once.
          await this.#sleep(this.#pollMs);
          continue;
        }
        const claimed = await this.#claim(free);
        for (const record of claimed) {
          const attempt = this.#attempt(record).finally(() => {
            this.#inFlight.delete(attempt);
            this.kick();
          });
          this.#inFlight.add(attempt);
        }
        if (claimed.length === free) continue;
        await this.#sleep(await this.#pause());
      } catch (error) {
        this.#deps.logger.error({ err: error instanceof Error ? error.message : String(error) }, "delivery worker failed; trying again");
        await this.#sleep(this.#pollMs);
      }
    }
  }

  /** How long to wait: until a slot frees, the next delivery is due, new ones are stored, or the poll comes round. */
  async #pause(): Promise<number> {
    if (this.#kicked) return 0;
    const next = await this.#deps.store.nextDue();
    if (next === undefined) return this.#pollMs;
    return Math.max(0, Math.min(this.#pollMs, Date.parse(next) - this.#deps.clock().getTime()));
  }

  #sleep(ms: number): Promise<void> {
    if (this.#stopped || this.#kicked) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref?.();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = () => {
        this.#wake = undefined;
        done();
      };
    });
  }

  #claim(limit: number): Promise<DeliveryRecord[]> {
    const now = this.#deps.clock().getTime();
    return this.#deps.store.claimDue(this.#owner, new Date(now).toISOString(), new Date(now + this.#claimMs).toISOString(), limit);
  }

  async #attempt(record: DeliveryRecord): Promise<void> {
    const { store, logger } = this.#deps;
    const log = { delivery: record.id, kind: record.kind, host: record.host };
    try {
      const request = (await this.#deps.sealer.open(record.sealedRequest, deliveryContext(record.id))) as DeliveryRequest | undefined;
      if (!request) {
        // Its conversation was erased between the claim and now: nothing to send any more.
        await store.finish(record.id);
        logger.info(log, "delivery cancelled: its conversation was erased");
        return;
      }
      const payload = JSON.stringify(request.body);
      const outcome = await this.#deps.send({
        url: request.url,
        payload,
        headers: { "idempotency-key": record.id, [signatureHeader]: signPayload(await this.#deps.signingSecret(), payload) },
        timeoutMs: request.timeoutMs,
      });
      if (outcome.ok) {
        await store.finish(record.id);
        return;
      }
      await this.#failed(record, outcome.error, outcome.retry, outcome.retryAfterMs);
    } catch (error) {
      // Something on this side (the store, a malformed seal): tried again like a failed attempt.
      await this.#failed(record, "internal", true).catch(() => undefined);
      logger.error({ ...log, err: error instanceof Error ? error.message : String(error) }, "delivery could not be tried");
    }
  }

  async #failed(record: DeliveryRecord, error: string, retry: boolean, retryAfterMs?: number): Promise<void> {
    const { store, logger, clock } = this.#deps;
    const attempts = record.attempts + 1;
    const now = clock().getTime();
    const log = { delivery: record.id, kind: record.kind, host: record.host, attempts, error };
    const nextAt = now + retryPause(this.#schedule, attempts, Date.parse(record.createdAt), now, retryAfterMs);
    if (!retry || nextAt > Date.parse(record.giveUpAt)) {
      await store.fail(record.id, attempts, new Date(now).toISOString(), error);
      logger.warn(log, "delivery failed for good; the team can send it again");
      return;
    }
    await store.reschedule(record.id, attempts, new Date(nextAt).toISOString(), error);
    logger.info({ ...log, retryInMs: nextAt - now }, "delivery will be retried");
  }
}
