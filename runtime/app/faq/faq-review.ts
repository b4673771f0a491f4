/**
 * Learning from the agents (docs/faq.md#learning-from-the-agents): the questions `faq` steps
 * could not answer, kept masked; an agent's answer after the handover added as a suggestion;
 * and the editor's review, which turns a question into a new entry or into a further phrasing of
 * an entry, in the knowledge base file itself (comments and order kept), or dismisses it. Every
 * decision is in the audit trail. Questions are deleted after `retentionMs`.
 *
 * The live-chat inbox calls one method, when an agent has answered after a fallback:
 *
 * ```ts
 * await faqReview.agentAnswered({ conversation: id, answer: "Ja, samstags bis 16 Uhr.", question: "Habt ihr samstags offen?" });
 * // → { kind: "suggested", question: "<id of the kept question>" }, or why not
 * ```
 */
import { parseDocument, isMap, isSeq, type YAMLMap, type YAMLSeq } from "yaml";
import { checkKnowledgeBaseSource, hasErrors, type KeepUnansweredEffect, maskPersonalData } from "../../core/index.ts";
import type { ConversationStore } from "../../stores/ports/conversations.ts";
import type { UnansweredQuestionRecord, UnansweredQuestionStore, UnansweredStatus } from "../../stores/ports/unanswered-questions.ts";
import { AppError } from "../app-error.ts";
import type { AuditActor, AuditTrail } from "../audit/audit-trail.ts";
import type { StateSealer } from "../conversations/conversation-service.ts";

/** The knowledge base files beside the flows, as `FlowFiles` with the `.faq.yaml` suffix reads and writes them. */
export interface KnowledgeBaseFileStore {
  read(id: string): Promise<{ text: string; hash: string }>;
  save(id: string, text: string, expected: string | null): Promise<{ hash: string }>;
}

export interface FaqReviewDeps {
  questions: UnansweredQuestionStore;
  conversations: Pick<ConversationStore, "get">;
  sealer: Pick<StateSealer, "open">;
  audit: AuditTrail;
  clock: () => Date;
  /** How long a kept question stays (BOTSCHAFT_FAQ_QUESTION_RETENTION). */
  retentionMs: number;
  /** The knowledge base files, where the runtime edits a flows directory; without it questions can only be dismissed. */
  files?: KnowledgeBaseFileStore;
}

/** What became of an agent's answer: a suggestion for editors, or why there is none. */
export type AgentAnswerOutcome =
  | { kind: "suggested"; question: string }
  | { kind: "no-fallback" }
  | { kind: "unknown-conversation" }
  | { kind: "question-gone" };

/** An editor's decision: a new entry, or a further phrasing of an existing one. */
export type AddQuestion =
  | { as: "entry"; entry: string; question: string; answer: string; title?: string }
  | { as: "phrasing"; entry: string; question: string };

const maxAnswer = 8000;

function entriesOf(document: ReturnType<typeof parseDocument>): YAMLSeq {
  const entries = document.get("entries", true);
  if (!isSeq(entries)) throw new AppError("bad-request", "The knowledge base has no list of entries to add to; fix it in the editor first.");
  return entries;
}

function entryNamed(entries: YAMLSeq, id: string): YAMLMap | undefined {
  return entries.items.find((item): item is YAMLMap => isMap(item) && item.get("id") === id);
}

export class FaqReview {
  constructor(private readonly deps: FaqReviewDeps) {}

  /** Keeps what a `faq` step's fallback handed to the edges (already masked by the engine). */
  async keep(effect: KeepUnansweredEffect, flow: string, flowVersion: string): Promise<void> {
    await this.deps.questions.keep({
      id: effect.id,
      flow,
      flowVersion,
      knowledgeBase: effect.knowledgeBase,
      node: effect.node,
      // Masked again: the engine does it, but the store must never rely on a caller for that.
      question: maskPersonalData(effect.question),
      candidates: effect.candidates,
      askedAt: this.deps.clock().toISOString(),
      status: "open",
    });
  }

  /**
   * The inbox's port: an agent answered in conversation `conversation` (its id, as in the chat
   * API) after a `faq` fallback. The answer — and the question, when the inbox passes the one the
   * agent answered — are masked and become a suggestion on the question that fallback kept. The
   * conversation's state holds only that question's id, so the link disappears with the conversation.
   */
  async agentAnswered(input: { conversation: string; answer: string; question?: string }): Promise<AgentAnswerOutcome> {
    const record = await this.deps.conversations.get(input.conversation);
    if (!record) return { kind: "unknown-conversation" };
    const state = await this.deps.sealer.open(record.id, record.sealedState);
    // A destroyed key: the conversation is erased, whatever its record still says.
    if (!state) return { kind: "unknown-conversation" };
    const id = state.unanswered;
    if (id === undefined) return { kind: "no-fallback" };
    const answer = maskPersonalData(input.answer).slice(0, maxAnswer);
    const question = input.question === undefined || input.question.trim() === "" ? undefined : maskPersonalData(input.question);
    const answered = await this.deps.questions.answer(id, { agentAnswer: answer, answeredAt: this.deps.clock().toISOString(), ...(question ? { question } : {}) });
    return answered ? { kind: "suggested", question: id } : { kind: "question-gone" };
  }

  list(statuses?: readonly UnansweredStatus[], limit = 500): Promise<UnansweredQuestionRecord[]> {
    return this.deps.questions.list({ ...(statuses ? { statuses } : {}), limit });
  }

  async #undecided(id: string): Promise<UnansweredQuestionRecord> {
    const record = await this.deps.questions.get(id);
    if (!record) throw new AppError("not-found", "There is no such question (it may have been deleted after its retention time).");
    if (record.status === "added" || record.status === "dismissed") throw new AppError("conflict", `This question was ${record.status} already.`);
    return record;
  }

  /**
   * Adds the question to its knowledge base — as a new entry with the answer the editor approved,
   * or as a phrasing of an existing entry — and marks it decided. The file is changed through the
   * YAML document, so comments and order stay, and checked before it is saved: an addition that
   * would break the knowledge base is refused with the problems.
   */
  async add(id: string, decision: AddQuestion, by: AuditActor): Promise<{ knowledgeBase: string; entry: string; hash: string }> {
    const record = await this.#undecided(id);
    const files = this.deps.files;
    if (!files) throw new AppError("bad-request", "This runtime edits no flows directory, so no knowledge base can be changed here.");
    const question = decision.question.trim();
    if (question === "" || question.length > 500) throw new AppError("bad-request", "The question needs 1 to 500 characters.");
    const { text, hash } = await files.read(record.knowledgeBase);
    const document = parseDocument(text);
    const entries = entriesOf(document);
    if (decision.as === "phrasing") {
      const entry = entryNamed(entries, decision.entry);
      if (!entry) throw new AppError("not-found", `The knowledge base '${record.knowledgeBase}' has no entry '${decision.entry}'.`);
      const questions = entry.get("questions", true);
      if (!isSeq(questions)) throw new AppError("bad-request", `Entry '${decision.entry}' has no list of questions to add to.`);
      questions.add(document.createNode(question));
    } else {
      if (entryNamed(entries, decision.entry)) throw new AppError("conflict", `The knowledge base '${record.knowledgeBase}' has an entry '${decision.entry}' already.`);
      const answer = decision.answer.trim();
      entries.add(document.createNode({ id: decision.entry, ...(decision.title ? { title: decision.title } : {}), questions: [question], answer }));
    }
    const changed = document.toString();
    const checked = checkKnowledgeBaseSource(changed);
    if (hasErrors(checked.problems)) throw new AppError("flow-invalid", "With this addition the knowledge base would have errors; nothing was changed.", checked.problems);
    const saved = await files.save(record.knowledgeBase, changed, hash);
    if (!(await this.deps.questions.decide(id, { status: "added", entry: decision.entry, decidedBy: by.actor, decidedAt: this.deps.clock().toISOString() }))) {
      throw new AppError("conflict", "Somebody decided on this question at the same moment; the knowledge base has the addition.");
    }
    await this.deps.audit.record(by, {
      action: decision.as === "entry" ? "faq.entry-add" : "faq.phrasing-add",
      target: record.knowledgeBase,
      details: { question: id, entry: decision.entry, hash: saved.hash },
    });
    return { knowledgeBase: record.knowledgeBase, entry: decision.entry, hash: saved.hash };
  }

  async dismiss(id: string, by: AuditActor): Promise<void> {
    const record = await this.#undecided(id);
    if (!(await this.deps.questions.decide(id, { status: "dismissed", decidedBy: by.actor, decidedAt: this.deps.clock().toISOString() }))) {
      throw new AppError("conflict", "Somebody decided on this question at the same moment.");
    }
    await this.deps.audit.record(by, { action: "faq.dismiss", target: record.knowledgeBase, details: { question: id } });
  }

  /** Deletes the questions older than the retention time. */
  prune(): Promise<number> {
    return this.deps.questions.deleteAskedBefore(new Date(this.deps.clock().getTime() - this.deps.retentionMs).toISOString());
  }
}
