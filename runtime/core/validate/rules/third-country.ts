import { needsNoSafeguard, safeguardFits } from "../../dsl/countries.ts";
import { nodePointer } from "../flow-graph.ts";
import { message } from "../messages.ts";
import type { UnlocatedProblem } from "../problem.ts";
import type { Rule } from "./rule.ts";

/** docs/privacy.md#processors-and-third-countries: a processor outside the EU/EEA without adequacy decision needs a safeguard. */
export const thirdCountry: Rule = ({ graph, lang }) => {
  const problems: UnlocatedProblem[] = [];
  graph.nodes.forEach((node, index) => {
    if (node.type !== "webhook" || node.processor === undefined) return;
    const { name, country, safeguard } = node.processor;
    if (needsNoSafeguard(country)) return;
    const id = graph.ids[index] as string;
    if (safeguard === undefined) {
      problems.push({
        rule: "third-country",
        severity: "error",
        node: id,
        pointer: `${nodePointer(id)}/processor/country`,
        message: message("third-country", { processor: name, country }, lang),
      });
    } else if (!safeguardFits(country, safeguard)) {
      problems.push({
        rule: "third-country",
        severity: "error",
        node: id,
        pointer: `${nodePointer(id)}/processor/safeguard`,
        message: message("third-country-dpf", { processor: name, country }, lang),
      });
    }
  });
  return problems;
};
