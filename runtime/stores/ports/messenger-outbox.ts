/** Store role: the messenger outbox — replies waiting to be sent, claimed by one sender at a time. */

/** A reply waiting to be sent to a messenger platform (the outbox). */
export interface OutboxRecord {
  /** Idempotency key: `<inbound key>:<index>`. */
  id: string;
  channel: string;
  /** Pseudonym of the recipient: entries of one recipient are sent one at a time, in `sequence` order. */
  conversationKey: string;
  /** Assigned by the store when the entry is added; grows with every entry. */
  sequence: number;
  /** The platform API call, sealed (it holds the raw recipient id and the message). */
  sealedCall: string;
  attempts: number;
  /** ISO 8601 time before which the entry is not tried again. */
  nextAttemptAt: string;
  /** ISO 8601 time after which the entry must not be sent (WhatsApp's 24-hour window), if any. */
  notAfter?: string;
}

export interface MessengerOutboxStore {
  /** Every outbox entry not yet finished, by `sequence`. */
  pending(): Promise<OutboxRecord[]>;

  /**
   * Adds entries that no delivery caused (a live chat's agent, the bot after a hand-back), in
   * order, each with the next sequence; ids must be new. Durable when resolved.
   */
  add(entries: readonly Omit<OutboxRecord, "sequence">[]): Promise<void>;

  /**
   * Claims an outbox entry for one sender until `until` (ISO 8601): true when the entry exists
   * and is unclaimed, held by `owner` already, or its claim ran out at `now`; false otherwise.
   * Instances sharing a store send an entry only after claiming it, so no two send it at once,
   * and the claim of a crashed instance runs out for another to take over. Single-process
   * stores keep claims in memory: no other process can hold one.
   */
  claim(id: string, owner: string, now: string, until: string): Promise<boolean>;

  /** Records a failed attempt: stores `attempts` and `nextAttemptAt`. False when the entry is gone. Durable when resolved. */
  reschedule(id: string, attempts: number, nextAttemptAt: string): Promise<boolean>;

  /** Removes an entry once it was sent or given up. False when it was gone already. Durable when resolved. */
  finish(id: string): Promise<boolean>;
}
