import { nodePointer } from "../flow-graph.ts";
import { message } from "../messages.ts";
import type { UnlocatedProblem } from "../problem.ts";
import type { Rule } from "./rule.ts";

/**
 * docs/inbox.md#when-nobody-answers: a handover without a `noAgent` target still tells the
 * visitor that nobody is there, but offers nothing else; usually the author forgot the case.
 */
export const handoverFallback: Rule = ({ flow, lang }) => {
  const problems: UnlocatedProblem[] = [];
  for (const [id, node] of Object.entries(flow.nodes)) {
    if (node.type !== "handover" || node.noAgent !== undefined) continue;
    problems.push({ rule: "handover-fallback", severity: "warning", node: id, pointer: nodePointer(id), message: message("handover-fallback", { node: id }, lang) });
  }
  return problems;
};
