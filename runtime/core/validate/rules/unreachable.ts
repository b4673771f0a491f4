import { nodePointer, searchFromEntries } from "../flow-graph.ts";
import { message } from "../messages.ts";
import type { UnlocatedProblem } from "../problem.ts";
import type { Rule } from "./rule.ts";

/** A node no entry point reaches is dead weight, and usually a forgotten connection. */
export const unreachable: Rule = ({ graph, lang }) => {
  const parent = searchFromEntries(graph);
  const problems: UnlocatedProblem[] = [];
  parent.forEach((reachedFrom, index) => {
    if (reachedFrom !== -2) return;
    const id = graph.ids[index] as string;
    problems.push({ rule: "unreachable", severity: "warning", node: id, pointer: nodePointer(id), message: message("unreachable", { node: id }, lang) });
  });
  return problems;
};
