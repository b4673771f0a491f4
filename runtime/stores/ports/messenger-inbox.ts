/**
 * Store role: the messenger inbox — deliveries accepted at webhook intake, deduplicated by key,
 * and completed together with their conversation changes and replies in one atomic write.
 */
import type { ConversationRecord, NewConversationRecord } from "./conversations.ts";
import type { OutboxRecord } from "./messenger-outbox.ts";
import type { NewDeliveryRecord } from "./deliveries.ts";

/**
 * A messenger delivery accepted at webhook intake and not yet processed. Its payload is sealed
 * (it holds the raw channel user id and the message); `key` is a hash of the platform's dedupe
 * key (Telegram `update_id`, WhatsApp message id, Messenger `mid`), never the key itself.
 */
export interface InboundRecord {
  channel: string;
  /** Hash of the platform's dedupe key; unique per channel for as long as the store keeps it. */
  key: string;
  /** Pseudonym of the conversation's channel user: deliveries with the same one run one at a time. */
  conversationKey: string;
  /** The platform's order inside one conversation (Telegram `update_id`, Meta timestamps in ms). */
  order: number;
  /** The normalised delivery, sealed; the store never reads it. */
  sealedDelivery: string;
  /** ISO 8601 time of acceptance; processed keys are purged by it (`purge`). */
  receivedAt: string;
}

/** The conversation change a processed delivery makes, applied with the same rules as the single calls (a delete erases the data key too). */
export type ConversationChange =
  | { op: "create"; record: NewConversationRecord }
  | { op: "update"; record: ConversationRecord }
  | { op: "delete"; id: string };

/** Everything one processed delivery changes, stored at once by `complete`. */
export interface InboundCompletion {
  channel: string;
  /** The inbound record's key. */
  key: string;
  /** Applied before the outbox entries; several changes run in order (e.g. delete an ended conversation, create a new one). */
  conversation: ConversationChange[];
  /** Replies to send, without their sequence (the store assigns it). */
  outbox: Omit<OutboxRecord, "sequence">[];
  /**
   * The delivery's user was erased by this turn: the outbox entries stored earlier for the
   * delivery's `conversationKey` — replies of the erased conversation not sent yet — are removed
   * in the same write. The entries of this completion (the confirmation) are kept.
   */
  erasesUser?: boolean;
  /** Durable deliveries of the turn (`deliveries.ts`), stored in the same write. */
  deliveries?: NewDeliveryRecord[];
}

export type InboundCompletionResult = "completed" | "not-pending" | "conflict";

export interface MessengerInboxStore {
  /**
   * Intake of a messenger delivery: stores it as pending unless a delivery with the same
   * `(channel, key)` is pending or was processed and not yet purged. Resolves true once the
   * pending record is durable (only then may the webhook answer 200), false for a duplicate.
   */
  accept(record: InboundRecord): Promise<boolean>;

  /** Every pending delivery, ordered by `conversationKey`, then `order`, then `receivedAt`: what a restart still has to process. */
  pending(): Promise<InboundRecord[]>;

  /**
   * Atomically (one durable write): marks the pending delivery processed (its sealed payload
   * and its `conversationKey` are dropped: only channel, key and time are kept, for
   * deduplication, so nothing kept names the user), applies the conversation changes and adds
   * the outbox entries. Resolves `not-pending` when the delivery is not pending (already processed
   * or never accepted) and `conflict` when a conversation change fails its check (a create of
   * an existing id, an update whose revision does not follow the stored one); in both cases
   * nothing is written. So a crash leaves either the delivery pending and nothing else, or
   * the new state and its replies together.
   */
  complete(completion: InboundCompletion): Promise<InboundCompletionResult>;

  /** Forgets processed delivery keys received before `before` (ISO 8601); pending ones stay. Resolves with how many. */
  purge(before: string): Promise<number>;
}
