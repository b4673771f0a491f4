/**
 * The `faq` step: matches the visitor's free text against a knowledge base published with the
 * flow, then answers, offers the best entries as buttons, or falls back (docs/faq.md). The
 * question lives only in this turn: it is stored in `field` only under a consent (the engine's
 * guard), and a fallback keeps it masked and unlinked, as an effect for the edges.
 */
import schema from "../../../schemas/nodes/faq.schema.json" with { type: "json" };
import type { FaqNode } from "../dsl/flow.ts";
import type { FaqEntry } from "../dsl/knowledge-base.generated.ts";
import { fieldsInText } from "../dsl/interpolation.ts";
import { go, type NodeRun, type Transition } from "../engine/node-run.ts";
import { matchQuestion } from "../faq/faq-index.ts";
import { maskPersonalData } from "../faq/mask-personal-data.ts";
import { defineNode, slot } from "./node-definition.ts";

/** Button values of the offered entries; flows cannot produce them (node ids have no `:`). */
const entryValue = "faq:";
const noneValue = "faq:none";

/** A stored question is cut here: the field holds a question, not a document. */
const maxStoredQuestion = 1000;

function answerWith(node: FaqNode, entry: FaqEntry, run: NodeRun): Transition {
  run.say({ type: "text", text: entry.answer });
  for (const link of entry.links ?? []) run.say({ type: "link", label: link.label, url: link.url });
  const next = entry.next ?? node.next;
  // Without a next step the step stays and answers the next question too.
  return next === undefined ? { wait: "reply" } : go(next);
}

function fallBack(node: FaqNode, question: string, candidates: { id: string; score: number }[], run: NodeRun): Transition {
  if (node.keepUnanswered !== false) {
    const masked = maskPersonalData(question);
    const id = run.hash(`${run.startedAt}\n${run.now}\n${run.nodeId}\n${masked}`).slice(0, 32);
    run.effect({ type: "keep-unanswered", id, node: run.nodeId, knowledgeBase: node.knowledgeBase, question: masked, candidates });
    run.noteUnanswered(id);
  }
  return go(node.fallback);
}

export const faqNode = defineNode({
  type: "faq",
  schema,
  slots: (node) => [slot("next", "/next", node.next), slot("else", "/fallback", node.fallback)],
  collects: (node) => (node.field === undefined ? [] : [node.field]),
  sends: () => [],
  uses: (node) => [...fieldsInText(node.text), ...fieldsInText(node.suggestText ?? "")],
  // A free-text question may hold anything: a field that keeps it is personal data.
  personalFlag: (node) => (node.field === undefined ? undefined : true),
  enter: (node, run) => {
    run.say({ type: "text", text: run.interpolate(node.text) });
    run.say({ type: "input", format: "text" });
    return { wait: "reply" };
  },
  reply: (node, reply, run) => {
    const knowledgeBase = run.knowledgeBase(node.knowledgeBase);
    // Only a flow published without its knowledge base gets here (the validator refuses it): hand over.
    if (!knowledgeBase) return go(node.fallback);
    if (reply.type === "choice" && reply.value.startsWith(entryValue)) {
      if (reply.value === noneValue) return go(node.fallback);
      const entry = knowledgeBase.entries.get(reply.value.slice(entryValue.length));
      if (entry) return answerWith(node, entry, run);
    }
    const question = reply.type === "text" ? reply.text : reply.type === "choice" ? reply.value : "";
    if (question.trim() === "") {
      run.say({ type: "text", text: run.interpolate(node.text) });
      return { wait: "reply" };
    }
    const match = matchQuestion(knowledgeBase.index, question, node.thresholds ?? {});
    if (match.empty) {
      // Emoji or punctuation only: nothing to look up and nothing for editors to learn from.
      run.say({ type: "text", text: run.texts.faqInWords });
      return { wait: "reply" };
    }
    if (node.field !== undefined) run.store(node.field, question.trim().slice(0, maxStoredQuestion));
    const best = match.candidates[0] && knowledgeBase.entries.get(match.candidates[0].id);
    if (match.decision === "answer" && best) return answerWith(node, best, run);
    if (match.decision === "suggest") {
      const options = match.candidates.flatMap((candidate) => {
        const entry = knowledgeBase.entries.get(candidate.id);
        return entry ? [{ label: entry.title ?? entry.questions[0], value: `${entryValue}${entry.id}` }] : [];
      });
      run.say({
        type: "choice",
        text: node.suggestText === undefined ? run.texts.faqSuggest : run.interpolate(node.suggestText),
        options: [...options, { label: run.texts.faqNone, value: noneValue }],
      });
      return { wait: "reply" };
    }
    return fallBack(node, question, match.candidates, run);
  },
});
