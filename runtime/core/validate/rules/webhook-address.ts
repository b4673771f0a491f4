import { checkTarget } from "../../webhook/check-target.ts";
import { nodePointer } from "../flow-graph.ts";
import { message } from "../messages.ts";
import type { UnlocatedProblem } from "../problem.ts";
import type { Rule } from "./rule.ts";

/**
 * docs/rules.md#webhook-address: a webhook written to a literal address that is not public
 * (`https://169.254.169.254/`, `https://[::ffff:127.0.0.1]/`, `https://0x7f000001/`, …) or to a
 * cloud metadata name, unless allow-listed. The same check as the runtime's before each call, so
 * the flow fails at publish time instead of on every conversation.
 */
export const webhookAddress: Rule = ({ graph, lang, webhookAllowHosts }) => {
  const problems: UnlocatedProblem[] = [];
  graph.nodes.forEach((node, index) => {
    if (node.type !== "webhook") return;
    let check: ReturnType<typeof checkTarget>;
    try {
      check = checkTarget(node.url, undefined, webhookAllowHosts);
    } catch {
      // A malformed allow-list entry is a configuration mistake reported at start; judge without the list.
      check = checkTarget(node.url, undefined, []);
    }
    if (check.ok || check.reason !== "blocked-address") return;
    const id = graph.ids[index] as string;
    problems.push({
      rule: "webhook-address",
      severity: "error",
      node: id,
      pointer: `${nodePointer(id)}/url`,
      message: message("webhook-address", { node: id, host: new URL(node.url).host }, lang),
    });
  });
  return problems;
};
