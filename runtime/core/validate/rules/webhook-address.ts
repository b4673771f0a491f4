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
    const id = graph.ids[index] as string;
    // The step's own address, and where its processor takes notices (docs/privacy.md#recipients-told).
    const targets: [string, string][] = node.url === undefined ? [] : [[node.url, `${nodePointer(id)}/url`]];
    if (node.notices) targets.push([node.notices.url, `${nodePointer(id)}/notices/url`]);
    for (const [url, pointer] of targets) {
      let check: ReturnType<typeof checkTarget>;
      try {
        check = checkTarget(url, undefined, webhookAllowHosts);
      } catch {
        // A malformed allow-list entry is a configuration mistake reported at start; judge without the list.
        check = checkTarget(url, undefined, []);
      }
      if (check.ok || check.reason !== "blocked-address") continue;
      problems.push({
        rule: "webhook-address",
        severity: "error",
        node: id,
        pointer,
        message: message("webhook-address", { node: id, host: new URL(url).host }, lang),
      });
    }
  });
  return problems;
};
