import { nodePointer } from "../flow-graph.ts";
import { message } from "../messages.ts";
import type { UnlocatedProblem } from "../problem.ts";
import type { Rule } from "./rule.ts";

/** docs/privacy.md#data-minimisation data minimisation: a personal field that is stored but never read is flagged. */
export const unusedPersonal: Rule = ({ graph, fields, lang }) => {
  const problems: UnlocatedProblem[] = [];
  for (const [field, use] of fields) {
    const firstCollector = use.collectedBy[0];
    if (!use.personal || use.used || firstCollector === undefined) continue;
    const id = graph.ids[firstCollector] as string;
    problems.push({
      rule: "unused-personal",
      severity: "warning",
      node: id,
      field,
      pointer: nodePointer(id),
      message: message("unused-personal", { field, node: id }, lang),
    });
  }
  return problems;
};
