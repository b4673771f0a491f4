/**
 * The `faq-reference` rule: every `faq` step's knowledge base must be there and free of errors,
 * in the flow's language, and an entry's `next` must name a node of the flow. Runs only when the
 * caller hands over the knowledge bases next to the flow (the CLI and publishing do; the editor's
 * canvas checks without them). Also returns the knowledge bases the flow uses, for `prepareFlow`.
 */
import type { Flow } from "../dsl/flow.ts";
import type { KnowledgeBase } from "../dsl/knowledge-base.generated.ts";
import { message } from "../validate/messages.ts";
import { hasErrors, type Language, type UnlocatedProblem } from "../validate/problem.ts";
import { checkKnowledgeBaseSource, knowledgeBaseSuffix } from "./check-knowledge-base.ts";

/** The knowledge base names a flow's `faq` steps use, each once, in node order. */
export function knowledgeBasesOf(flow: Flow): string[] {
  const names = new Set<string>();
  for (const node of Object.values(flow.nodes)) if (node.type === "faq") names.add(node.knowledgeBase);
  return [...names];
}

export function checkFaqReferences(
  flow: Flow,
  sources: Readonly<Record<string, string>>,
  lang: Language,
): { knowledgeBases: Record<string, KnowledgeBase>; problems: UnlocatedProblem[] } {
  const problems: UnlocatedProblem[] = [];
  const knowledgeBases: Record<string, KnowledgeBase> = {};
  const checked = new Map<string, ReturnType<typeof checkKnowledgeBaseSource> | undefined>();
  for (const [id, node] of Object.entries(flow.nodes)) {
    if (node.type !== "faq") continue;
    const name = node.knowledgeBase;
    const pointer = `/nodes/${id.replace(/~/g, "~0").replace(/\//g, "~1")}/knowledgeBase`;
    const problem = (text: string) => problems.push({ rule: "faq-reference", severity: "error", node: id, pointer, message: text });
    if (!checked.has(name)) checked.set(name, Object.hasOwn(sources, name) ? checkKnowledgeBaseSource(sources[name] as string, { lang }) : undefined);
    const result = checked.get(name);
    if (!result) {
      problem(message("faq-knowledge-base-missing", { name, file: `${name}${knowledgeBaseSuffix}` }, lang));
      continue;
    }
    const errors = result.problems.filter((found) => found.severity === "error");
    if (!result.knowledgeBase || hasErrors(result.problems)) {
      const first = errors[0];
      problem(message("faq-knowledge-base-invalid", { name, count: errors.length, first: first ? `${first.line}:${first.column} ${first.message}` : "" }, lang));
      continue;
    }
    if (result.knowledgeBase.language !== flow.language) {
      problem(message("faq-language", { name, language: result.knowledgeBase.language, flowLanguage: flow.language }, lang));
      continue;
    }
    if (Object.hasOwn(knowledgeBases, name)) continue;
    knowledgeBases[name] = result.knowledgeBase;
    for (const entry of result.knowledgeBase.entries) {
      if (entry.next !== undefined && !Object.hasOwn(flow.nodes, entry.next)) problem(message("faq-entry-next", { entry: entry.id, target: entry.next, name }, lang));
    }
  }
  return { knowledgeBases, problems };
}
