import { isDurable } from "../../nodes/webhook.ts";
import { nodePointer } from "../flow-graph.ts";
import { message } from "../messages.ts";
import type { UnlocatedProblem } from "../problem.ts";
import type { Rule } from "./rule.ts";

/**
 * docs/rules.md#durable-delivery: a durable webhook step whose flow expects something back.
 * `delivery: durable` with a `map` is called synchronously after all (a durable reply cannot come
 * back); a durable step's `error` branch is never taken. Warnings: the flow still runs, but not
 * as its author thinks. (An integration preset with `map` is `integration-setup`'s.)
 */
export const durableDelivery: Rule = ({ graph, lang }) => {
  const problems: UnlocatedProblem[] = [];
  graph.nodes.forEach((node, index) => {
    if (node.type !== "webhook") return;
    const id = graph.ids[index] as string;
    if (node.integration === undefined && node.delivery === "durable" && node.map !== undefined) {
      problems.push({ rule: "durable-delivery", severity: "warning", node: id, pointer: `${nodePointer(id)}/map`, message: message("durable-map", { node: id }, lang) });
    }
    if (isDurable(node) && node.error !== undefined) {
      problems.push({ rule: "durable-delivery", severity: "warning", node: id, pointer: `${nodePointer(id)}/error`, message: message("durable-error", { node: id, error: node.error }, lang) });
    }
  });
  return problems;
};
