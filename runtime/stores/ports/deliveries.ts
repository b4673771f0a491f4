/**
 * Store role: deliveries — the durable outbox of HTTPS POSTs to other systems (a webhook step
 * with `delivery: durable`, a notice to a processor). Each delivery is tried until the receiver
 * takes it or its time runs out; then it is kept as failed, for the team to see and retry.
 *
 * A delivery is stored together with the conversation change that caused it (`conversations.create`,
 * `conversations.update`, `inbox.complete` take deliveries), or alone (`add`). Its request is
 * sealed: under the conversation's data key when it belongs to one, so erasing the conversation
 * makes it unreadable, and every erasure of a conversation also removes its deliveries in the
 * same write — except those marked `survivesErasure` (a notice about the erasure itself),
 * which are sealed under a key of the runtime instead and carry no conversation id.
 */

export type DeliveryStatus = "pending" | "failed";

/** A delivery as the caller adds it. */
export interface NewDeliveryRecord {
  /** Random and unguessable; also the `Idempotency-Key` of every attempt. */
  id: string;
  /** What it is, e.g. `webhook` (a flow's webhook step) or `notice` (a notice to a processor); shown to the team. */
  kind: string;
  /** The conversation whose erasure cancels the delivery; absent when it survives erasure. */
  conversationId?: string;
  /** Kept when its conversation is erased (a notice about that erasure). */
  survivesErasure: boolean;
  /** Flow and node that caused it, when a flow did: shown to the team; no personal data. */
  flow?: string;
  node?: string;
  /** The receiver's host, shown to the team (the URL's path may hold more than the team should see in a list). */
  host: string;
  /** `{ url, body }`, sealed; the store never reads it. */
  sealedRequest: string;
  /** ISO 8601 times: when it was made, when to try it first, when to stop trying. */
  createdAt: string;
  nextAttemptAt: string;
  giveUpAt: string;
}

/** A stored delivery. */
export interface DeliveryRecord extends NewDeliveryRecord {
  status: DeliveryStatus;
  attempts: number;
  /** Why the last attempt failed: a reason code and the HTTP status, never a reply body. */
  lastError?: string;
  /** ISO 8601 time it was given up at (status `failed`). */
  failedAt?: string;
}

export interface DeliveryStore {
  /** Adds deliveries at status `pending`, attempt 0; an id that is stored already is left as it is. Durable when resolved. */
  add(records: readonly NewDeliveryRecord[]): Promise<void>;

  /** The delivery, pending or failed, or undefined when it was delivered, cancelled or never added. */
  get(id: string): Promise<DeliveryRecord | undefined>;

  /**
   * Claims up to `limit` pending deliveries whose `nextAttemptAt` is at or before `now` and
   * that nobody holds — the calling owner included, as it is sending those — (a claim runs out
   * at its `until`), earliest due first, and resolves with them. Instances sharing a store never hold the same delivery at once; the
   * claim of an instance that died runs out for another to take over.
   */
  claimDue(owner: string, now: string, until: string, limit: number): Promise<DeliveryRecord[]>;

  /** The earliest `nextAttemptAt` of a pending delivery, if any. */
  nextDue(): Promise<string | undefined>;

  /** Records a failed attempt and when to try again; releases the claim. False when the delivery is gone. Durable when resolved. */
  reschedule(id: string, attempts: number, nextAttemptAt: string, lastError: string): Promise<boolean>;

  /** Removes a delivery the receiver took. False when it was gone. Durable when resolved. */
  finish(id: string): Promise<boolean>;

  /** Gives a pending delivery up: status `failed`, kept for the team. False when it is gone. Durable when resolved. */
  fail(id: string, attempts: number, failedAt: string, lastError: string): Promise<boolean>;

  /** Failed deliveries, newest failure first, at most `limit`. */
  failed(limit: number): Promise<DeliveryRecord[]>;

  /** Pending deliveries whose receiver refused or missed at least one attempt (being retried), oldest first, at most `limit`. */
  retrying(limit: number): Promise<DeliveryRecord[]>;

  /** Sends a failed delivery again: pending, attempt 0, with new times. False when it is not failed. Durable when resolved. */
  retry(id: string, nextAttemptAt: string, giveUpAt: string): Promise<boolean>;

  /** How many deliveries are pending and failed. */
  counts(): Promise<{ pending: number; failed: number }>;
}
