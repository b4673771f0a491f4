/** A knowledge base as the engine runs it: indexed for matching, its entries by id. */
import type { FaqEntry, KnowledgeBase } from "../dsl/knowledge-base.generated.ts";
import { type FaqIndex, indexKnowledgeBase } from "./faq-index.ts";

export interface RunnableKnowledgeBase {
  name: string;
  knowledgeBase: KnowledgeBase;
  index: FaqIndex;
  entries: ReadonlyMap<string, FaqEntry>;
}

/** Indexes a knowledge base for the engine (and the editor's "try a question" box). */
export function prepareKnowledgeBase(name: string, knowledgeBase: KnowledgeBase): RunnableKnowledgeBase {
  return { name, knowledgeBase, index: indexKnowledgeBase(knowledgeBase), entries: new Map(knowledgeBase.entries.map((entry) => [entry.id, entry])) };
}
