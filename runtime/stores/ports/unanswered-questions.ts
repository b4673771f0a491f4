/**
 * Store role: questions a `faq` step could not answer, kept for editors to review
 * (docs/faq.md#learning-from-the-agents). Each arrives masked (e-mail addresses, phone numbers,
 * names and long digit runs replaced) and without anything that links it to a visitor; an
 * agent's later answer is added as a suggestion, masked too. Records are deleted after the
 * configured time (docs/privacy.md#unanswered-questions).
 *
 * @example
 * ```ts
 * await store.unansweredQuestions.keep({ id, flow, flowVersion, knowledgeBase: "service", node: "ask", question, candidates: [], askedAt, status: "open" });
 * await store.unansweredQuestions.answer(id, { agentAnswer: "Ja, ab 9 Uhr.", answeredAt });
 * await store.unansweredQuestions.decide(id, { status: "added", entry: "opening-hours", decidedBy, decidedAt });
 * ```
 */

export type UnansweredStatus = "open" | "answered" | "added" | "dismissed";

export interface UnansweredQuestionRecord {
  /** Stable per fallback (a hash the engine made), so keeping one twice keeps it once. */
  id: string;
  flow: string;
  flowVersion: string;
  knowledgeBase: string;
  /** The `faq` step that fell back. */
  node: string;
  /** The visitor's question, masked. */
  question: string;
  /** The entries that came closest, best first. */
  candidates: { id: string; score: number }[];
  askedAt: string;
  /** `open` until an agent answered it (`answered`) or an editor decided: `added` to the knowledge base or `dismissed`. */
  status: UnansweredStatus;
  /** What an agent answered after the handover, masked: the suggestion for the new entry's answer. */
  agentAnswer?: string;
  answeredAt?: string;
  /** The entry the question went into (new or as a further phrasing). */
  entry?: string;
  decidedBy?: string;
  decidedAt?: string;
}

export interface UnansweredQuestionStore {
  /** Keeps a question; false (and nothing changes) when its id is kept already. Durable when resolved. */
  keep(record: UnansweredQuestionRecord): Promise<boolean>;

  get(id: string): Promise<UnansweredQuestionRecord | undefined>;

  /** Newest first, optionally only those in the given statuses; at most `limit`. */
  list(query: { statuses?: readonly UnansweredStatus[]; limit?: number }): Promise<UnansweredQuestionRecord[]>;

  /**
   * Adds an agent's answer to an undecided question (it becomes `answered`), and the question the
   * agent answered when given (it replaces the kept one); false when it is gone or decided.
   */
  answer(id: string, answer: { agentAnswer: string; answeredAt: string; question?: string }): Promise<boolean>;

  /** Records an editor's decision on an undecided question; false when it is gone or someone decided first. */
  decide(id: string, decision: { status: "added" | "dismissed"; entry?: string; decidedBy: string; decidedAt: string }): Promise<boolean>;

  /** Deletes every question asked before `time`; returns how many. */
  deleteAskedBefore(time: string): Promise<number>;
}
