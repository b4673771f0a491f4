import type { Flow, KnowledgeBase, Problem } from "../core/index.ts";

/** What the CLI found for one path argument or flow file: the unit of every output format. */
export interface FileReport {
  /** The path as the user gave it or as the directory walk joined it. */
  file: string;
  /** The parsed flow, when the core got that far (titles for `list`). */
  flow?: Flow;
  /** The parsed knowledge base, for a `*.faq.yaml` file. */
  knowledgeBase?: KnowledgeBase;
  problems: Problem[];
}
