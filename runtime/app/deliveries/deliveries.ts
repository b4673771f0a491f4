/**
 * Durable deliveries (docs/deliveries.md): HTTPS POSTs to other systems that must arrive even
 * when the receiver is down for a while — a flow's webhook step with `delivery: durable`, a
 * notice to a processor. A delivery is stored durably (with the turn that made it, or on its
 * own through `enqueue`), then the `DeliveryWorker` tries it until the receiver takes it, with
 * the same `Idempotency-Key` on every attempt and the body signed with the installation's
 * secret. One that finally fails is kept for editors and the DPO to see and send again.
 *
 * A delivery that belongs to a conversation is sealed under the conversation's data key and
 * goes when the conversation is erased; one that must outlive the erasure (`survivesErasure`,
 * e.g. the notice that a person's data was erased) is sealed under the runtime's key, and
 * carries only what its receiver needs.
 *
 * @example
 * ```ts
 * await deliveries.enqueue({
 *   kind: "notice",
 *   url: "https://crm.muster.example/gdpr/erasures",
 *   body: { reference: "a1b2" },
 *   survivesErasure: true,
 * });
 * ```
 */
import { type FieldValue, type IntegrationCall, integrationKey } from "../../core/index.ts";
import type { DeliveryRecord, DeliveryStore, NewDeliveryRecord } from "../../stores/ports/deliveries.ts";
import { AppError } from "../app-error.ts";
import type { AuditActor, AuditTrail } from "../audit/audit-trail.ts";
import { secureRandomBytes } from "../crypto/random-pool.ts";
import { defaultRetrySchedule, type RetrySchedule } from "./retry-schedule.ts";

/** What a delivery sends: sealed in the store, opened only by the worker. */
export interface DeliveryRequest {
  url: string;
  /** The JSON object posted. */
  body: Readonly<Record<string, unknown>>;
  /** Budget of one attempt. */
  timeoutMs: number;
}

/** Seals a delivery's request under its conversation's data key, or the runtime's key when it has none, and opens it again. */
export interface DeliverySealer {
  seal(request: DeliveryRequest, conversationId: string | undefined, context: string): Promise<string>;
  /** The request, or undefined when the key it was sealed under was destroyed (its conversation was erased). */
  open(sealed: string, context: string): Promise<DeliveryRequest | undefined>;
}

/** What another feature hands to `enqueue`. */
export interface EnqueueRequest {
  /** What it is, shown to the team: `notice` (docs/privacy.md#recipients-told), … (`webhook` is a flow's webhook step). */
  kind: string;
  /** HTTPS only; checked against the SSRF rules on every attempt. */
  url: string;
  body: Readonly<Record<string, unknown>>;
  /** The conversation it belongs to: erasing it cancels the delivery. Leave out for one that survives erasure. */
  conversationId?: string;
  /** Sent even after its conversation is erased; then `conversationId` is not kept and the body must hold nothing personal beyond what the receiver needs. */
  survivesErasure?: boolean;
  /** Budget of one attempt, at most 30 s. Default 10 s. */
  timeoutMs?: number;
  flow?: string;
  node?: string;
}

/** A failed delivery as the team sees it: where, why, when; never the body. */
export interface FailedDelivery {
  id: string;
  kind: string;
  host: string;
  flow?: string;
  node?: string;
  createdAt: string;
  failedAt?: string;
  attempts: number;
  lastError?: string;
}

/** A webhook step's durable call, as the engine hands it out. */
export interface DurableWebhookEffect {
  node: string;
  url: string;
  body: Record<string, FieldValue>;
  timeoutMs: number;
  /** An integration preset's request (docs/deliveries.md#integrations): sent instead of `body`, by the edge that knows the provider. */
  integration?: IntegrationCall;
  /** The delivery's id, when the caller chose it already (the conversation records it as the key the processor knows). */
  id?: string;
}

export interface DeliveriesDeps {
  store: DeliveryStore;
  sealer: DeliverySealer;
  clock: () => Date;
  audit?: AuditTrail;
  schedule?: RetrySchedule;
}

const defaultTimeoutMs = 10_000;
const maxTimeoutMs = 30_000;

export function deliveryContext(id: string): string {
  return `delivery:${id}`;
}

function hostOf(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError("bad-request", "A delivery needs an https:// address.");
  }
  // An e-mail preset's delivery (docs/deliveries.md#integrations) is shown by the domain it goes to.
  if (parsed.protocol === "mailto:") return parsed.pathname.split(",")[0]?.split("@")[1] ?? "mail";
  if (parsed.protocol !== "https:") throw new AppError("bad-request", "A delivery needs an https:// address.");
  return parsed.host;
}

export class Deliveries {
  readonly #deps: DeliveriesDeps;
  readonly #schedule: RetrySchedule;
  readonly #listeners = new Set<() => void>();

  constructor(deps: DeliveriesDeps) {
    this.#deps = deps;
    this.#schedule = deps.schedule ?? defaultRetrySchedule;
  }

  get schedule(): RetrySchedule {
    return this.#schedule;
  }

  /** Called whenever deliveries were stored (the worker starts on them at once). */
  onStored(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Tells the worker that deliveries were stored, e.g. with a turn. */
  stored(): void {
    for (const listener of this.#listeners) listener();
  }

  /** Stores a delivery on its own; durable when resolved, sent at once. Resolves with its id (its `Idempotency-Key`). */
  async enqueue(request: EnqueueRequest): Promise<string> {
    const record = await this.#record(request);
    await this.#deps.store.add([record]);
    this.stored();
    return record.id;
  }

  /** The records of a turn's durable webhook calls, to be stored with the turn's conversation change. */
  forTurn(conversationId: string, flow: string, effects: readonly DurableWebhookEffect[]): Promise<NewDeliveryRecord[]> {
    return Promise.all(
      effects.map((effect) =>
        this.#record({
          kind: effect.integration ? effect.integration.preset : "webhook",
          url: effect.url,
          body: effect.integration ? { [integrationKey]: effect.integration } : effect.body,
          timeoutMs: effect.timeoutMs,
          conversationId,
          flow,
          node: effect.node,
        }, effect.id),
      ),
    );
  }

  /**
   * A delivery's record, sealed but not stored: for a caller that stores it atomically with a
   * conversation change (`conversations.update`, a messenger turn), or alone through `add`.
   */
  prepare(request: EnqueueRequest): Promise<NewDeliveryRecord> {
    return this.#record(request);
  }

  /** Stores prepared deliveries on their own; durable when resolved, sent at once. */
  async add(records: readonly NewDeliveryRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.#deps.store.add(records);
    this.stored();
  }

  async #record(request: EnqueueRequest, chosenId?: string): Promise<NewDeliveryRecord> {
    const host = hostOf(request.url);
    const id = chosenId ?? secureRandomBytes(16).toString("base64url");
    const now = this.#deps.clock();
    const survives = request.survivesErasure === true;
    const conversationId = survives ? undefined : request.conversationId;
    const timeoutMs = Math.min(maxTimeoutMs, Math.max(1, request.timeoutMs ?? defaultTimeoutMs));
    const sealedRequest = await this.#deps.sealer.seal({ url: request.url, body: request.body, timeoutMs }, conversationId, deliveryContext(id));
    return {
      id,
      kind: request.kind,
      ...(conversationId === undefined ? {} : { conversationId }),
      survivesErasure: survives,
      ...(request.flow === undefined ? {} : { flow: request.flow }),
      ...(request.node === undefined ? {} : { node: request.node }),
      host,
      sealedRequest,
      createdAt: now.toISOString(),
      nextAttemptAt: now.toISOString(),
      giveUpAt: new Date(now.getTime() + this.#schedule.giveUpAfterMs).toISOString(),
    };
  }

  /** The deliveries that finally failed, newest first. */
  async failed(limit = 200): Promise<FailedDelivery[]> {
    return (await this.#deps.store.failed(limit)).map(failedView);
  }

  /** Pending deliveries being retried after a failed attempt (a processor that is down), oldest first: shown to the team as pending. */
  async retrying(limit = 200): Promise<FailedDelivery[]> {
    return (await this.#deps.store.retrying(limit)).map(failedView);
  }

  counts(): Promise<{ pending: number; failed: number }> {
    return this.#deps.store.counts();
  }

  /** Sends a failed delivery again, with a fresh retry window and the same idempotency key. */
  async retry(id: string, by: AuditActor): Promise<void> {
    const now = this.#deps.clock();
    const record = await this.#deps.store.get(id);
    if (record?.status !== "failed" || !(await this.#deps.store.retry(id, now.toISOString(), new Date(now.getTime() + this.#schedule.giveUpAfterMs).toISOString()))) {
      throw new AppError("not-found", "There is no failed delivery with this id.");
    }
    await this.#deps.audit?.record(by, { action: "delivery.retry", target: id, details: { kind: record.kind, host: record.host } });
    this.stored();
  }
}

function failedView(record: DeliveryRecord): FailedDelivery {
  return {
    id: record.id,
    kind: record.kind,
    host: record.host,
    ...(record.flow === undefined ? {} : { flow: record.flow }),
    ...(record.node === undefined ? {} : { node: record.node }),
    createdAt: record.createdAt,
    ...(record.failedAt === undefined ? {} : { failedAt: record.failedAt }),
    attempts: record.attempts,
    ...(record.lastError === undefined ? {} : { lastError: record.lastError }),
  };
}
