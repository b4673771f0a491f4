import { integrationFields, presetProcessors } from "../../webhook/integrations.ts";
import { nodePointer } from "../flow-graph.ts";
import { message } from "../messages.ts";
import type { UnlocatedProblem } from "../problem.ts";
import type { Rule } from "./rule.ts";

const providerNames = { brevo: "Brevo", cleverreach: "CleverReach" } as const;

/**
 * docs/rules.md#integration-setup: a webhook step with an integration preset is set up so that
 * it can work and the privacy texts stay right — no address, reply mapping or synchronous call of
 * its own; the fields it reads by name are among those it sends; a newsletter preset names its
 * provider's company as processor.
 */
export const integrationSetup: Rule = ({ graph, lang }) => {
  const problems: UnlocatedProblem[] = [];
  graph.nodes.forEach((node, index) => {
    if (node.type !== "webhook" || node.integration === undefined) return;
    const id = graph.ids[index] as string;
    const base = nodePointer(id);
    const { integration } = node;
    for (const property of ["url", "map", "delivery"] as const) {
      if (node[property] === undefined || (property === "delivery" && node.delivery === "durable")) continue;
      problems.push({ rule: "integration-setup", severity: "error", node: id, pointer: `${base}/${property}`, message: message("integration-property", { node: id, property }, lang) });
    }
    const sends = new Set(node.sends ?? []);
    for (const { property, field } of integrationFields(integration)) {
      if (sends.has(field)) continue;
      problems.push({ rule: "integration-setup", severity: "error", node: id, pointer: `${base}/integration/${property}`, message: message("integration-field", { node: id, field }, lang) });
    }
    if (integration.preset === "email") return;
    const expected = presetProcessors[integration.preset];
    const processor = node.processor;
    if (processor !== undefined && expected.matches.test(processor.name) && processor.country === expected.country) return;
    problems.push({
      rule: "integration-setup",
      severity: "error",
      node: id,
      pointer: processor === undefined ? base : `${base}/processor`,
      message: message("integration-processor", { node: id, provider: providerNames[integration.preset], name: expected.name, country: expected.country }, lang),
    });
  });
  return problems;
};
