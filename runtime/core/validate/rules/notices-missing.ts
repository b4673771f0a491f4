import { nodePointer } from "../flow-graph.ts";
import { message } from "../messages.ts";
import type { UnlocatedProblem } from "../problem.ts";
import type { Rule } from "./rule.ts";

/**
 * docs/rules.md#notices-missing: a webhook step that sends personal data to its processor
 * should say where the processor is told about corrections, withdrawals and erasures
 * (Art. 17(2), 19 GDPR; docs/privacy.md#recipients-told). Without `notices` an erasure stops
 * at Botschaft's own store. A step without `processor` is `processor-missing` first.
 */
export const noticesMissing: Rule = ({ graph, fields, lang }) => {
  const problems: UnlocatedProblem[] = [];
  graph.nodes.forEach((node, index) => {
    if (node.type !== "webhook" || node.processor === undefined || node.notices !== undefined) return;
    const personal = (node.sends ?? []).filter((field) => fields.get(field)?.personal);
    if (personal.length === 0) return;
    const id = graph.ids[index] as string;
    problems.push({
      rule: "notices-missing",
      severity: "warning",
      node: id,
      pointer: `${nodePointer(id)}/processor`,
      atKey: true,
      message: message("notices-missing", { node: id, processor: node.processor.name, fields: personal }, lang),
    });
  });
  return problems;
};
