import { nodePointer } from "../flow-graph.ts";
import { message } from "../messages.ts";
import type { UnlocatedProblem } from "../problem.ts";
import type { Rule } from "./rule.ts";

/** docs/privacy.md#processors-and-third-countries: an integration that sends personal data names its processor. */
export const processorMissing: Rule = ({ graph, fields, lang }) => {
  const problems: UnlocatedProblem[] = [];
  graph.nodes.forEach((node, index) => {
    if (node.type !== "webhook" || node.processor !== undefined) return;
    const personal = (node.sends ?? []).filter((field) => fields.get(field)?.personal);
    if (personal.length === 0) return;
    const id = graph.ids[index] as string;
    problems.push({
      rule: "processor-missing",
      severity: "error",
      node: id,
      pointer: nodePointer(id),
      message: message("processor-missing", { node: id, fields: personal }, lang),
    });
  });
  return problems;
};
