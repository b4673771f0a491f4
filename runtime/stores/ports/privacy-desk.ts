/**
 * Store role: the privacy desk (docs/privacy.md#requests-desk) — the blind index that finds a
 * person's conversations on every channel by a keyed hash of their normalised e-mail address or
 * phone number (written when the value is stored, never by decrypting everything), and the
 * requests the data protection officer works on. Holds no personal value: index tokens and a
 * request's subject are keyed hashes.
 *
 * @example
 * ```ts
 * await store.privacyDesk.index(conversationId, [hmac("email:erika@example.org")]);
 * const ids = await store.privacyDesk.find(hmac("email:erika@example.org"));
 * ```
 */

export interface PrivacyRequestRecord {
  id: string;
  /** The keyed hash the person was searched by (never the address itself). */
  subject: string;
  /** What the person was searched by: an e-mail address, a phone number or a messenger user id. */
  kind: "email" | "phone" | "messenger";
  createdAt: string;
  /** One month after `createdAt`; later when extended (Art. 12(3) GDPR). */
  deadline: string;
  extension?: { reason: string; at: string };
  status: "open" | "done";
  /** The conversations found when the request was opened. */
  conversations: string[];
  /** What was done: `nothing-stored`, `exported`, `erased`, … in order. */
  outcomes: { outcome: string; at: string }[];
  /** When the reminders went out: a week before the deadline, and on its day (each once). */
  reminders?: { week?: string; due?: string };
}

export interface PrivacyDeskStore {
  /** Replaces the index tokens of a conversation (none: removes them). Atomic, durable. */
  index(conversationId: string, tokens: readonly string[]): Promise<void>;
  /** The conversations indexed under a token, in no particular order. */
  find(token: string): Promise<string[]>;
  /** Removes every index token of the conversations (they were erased). */
  forget(conversationIds: readonly string[]): Promise<void>;

  /** Creates or replaces a request. */
  saveRequest(record: PrivacyRequestRecord): Promise<void>;
  getRequest(id: string): Promise<PrivacyRequestRecord | undefined>;
  /** Every request, oldest first. */
  listRequests(): Promise<PrivacyRequestRecord[]>;
}
