/**
 * Store role: data keys, the unit of erasure (docs/privacy.md#erasure-by-destroying-keys).
 *
 * Every conversation's state is sealed under a data key of its own, whose id is the
 * conversation's id; messenger payloads in transit (pending deliveries, unsent replies) are
 * sealed under short-lived transient keys. The store keeps each key only wrapped — encrypted
 * under a key derived from the runtime's secret — and apart from the data it opens, so that
 * destroying the key makes every copy of that data (a journal line, a dead row, WAL, a backup)
 * ciphertext nobody can open, whatever else the copy holds.
 *
 * A conversation and its key go together: erasing a conversation through any role
 * (`conversations.delete`, `deleteExpired`, a completed delivery that deletes it) destroys its
 * key first, and destroying a key here erases the conversation of the same id. Every erased
 * conversation is noted in the erasure log under a digest of its id, so that a backup restored
 * later can have the erasures made since re-applied (`reapply`) without the log holding
 * anything personal.
 *
 * @example
 * ```ts
 * await store.dataKeys.create({ id: conversationId, kind: "conversation", wrapped, createdAt });
 * const record = await store.dataKeys.get(conversationId); // unwrap it with the runtime's secret
 * await store.dataKeys.destroy([conversationId]);          // the conversation is erased with it
 * ```
 */

export type DataKeyKind = "conversation" | "transient";

/** A data key as stored: wrapped, never in the clear. */
export interface DataKeyRecord {
  /** A conversation's id for its key; a random id with the prefix `transient-` for a transient key. */
  id: string;
  kind: DataKeyKind;
  /** The key, encrypted (AES-256-GCM) under a key derived from the runtime's secret; opaque to the store. */
  wrapped: string;
  /** ISO 8601 time of creation. */
  createdAt: string;
}

/** One entry of the erasure log. */
export interface ErasureRecord {
  /** SHA-256 of the erased id's UTF-8 bytes, lower-case hex: says nothing about the conversation. */
  digest: string;
  /** ISO 8601 time of the erasure, by the store's clock. */
  erasedAt: string;
}

export interface DataKeyStore {
  /**
   * Stores a new data key. Resolves true once it is durable; false, without writing, when a key
   * with this id exists already.
   */
  create(record: DataKeyRecord): Promise<boolean>;

  /** The key as stored, or undefined once it was destroyed (or never created). */
  get(id: string): Promise<DataKeyRecord | undefined>;

  /** Every stored key of a kind, oldest first. */
  list(kind: DataKeyKind): Promise<DataKeyRecord[]>;

  /**
   * Destroys the keys with these ids and erases the conversations with the same ids, keys
   * first, and notes each erased conversation in the erasure log (a key without a conversation,
   * such as a transient one, is not noted). Resolves once the keys are gone as far as the store
   * can make them go: the embedded store has rewritten every file that held them; PostgreSQL
   * has committed and rewrites the key table's files shortly after. Ids with neither are skipped.
   */
  destroy(ids: readonly string[]): Promise<void>;

  /** The erasure log, oldest first: what a restored backup needs re-applied. */
  erasures(): Promise<ErasureRecord[]>;

  /**
   * Re-applies erasure log entries, e.g. those of the live store to a backup restored from
   * before them: every key and conversation whose id has one of these digests is erased as
   * `destroy` erases it. Resolves with how many ids had a key or a conversation.
   */
  reapply(digests: readonly string[]): Promise<number>;
}
