import { type FlowGraph, nodePointer, searchFromEntries, witnessPath } from "../flow-graph.ts";
import { message } from "../messages.ts";
import type { UnlocatedProblem } from "../problem.ts";
import type { Rule } from "./rule.ts";

/**
 * SPEC §4 consent-missing: a node that stores or sends a personal field must not be reachable
 * from any entry point by a path that avoids the `accept` edge of every consent covering it.
 *
 * One search per field would cost fields × graph size. Fields covered by exactly the same
 * consents behave identically, so one search serves each such group.
 */
export const consentMissing: Rule = ({ graph, fields, lang }) => {
  const coveringConsents = consentsByField(graph);
  const groups = new Map<string, string[]>();
  for (const [field, use] of fields) {
    if (!use.personal || (use.collectedBy.length === 0 && use.sentBy.length === 0)) continue;
    const key = (coveringConsents.get(field) ?? []).join(",");
    groups.set(key, [...(groups.get(key) ?? []), field]);
  }

  const problems: UnlocatedProblem[] = [];
  for (const groupFields of groups.values()) {
    const representative = groupFields[0] as string;
    const parent = searchFromEntries(graph, (edge) => edge.grants?.includes(representative) === true);
    for (const field of groupFields) {
      const use = fields.get(field);
      if (!use) continue;
      const report = (node: number, code: "consent-missing-collect" | "consent-missing-send"): void => {
        if (parent[node] === -2) return;
        const id = graph.ids[node] as string;
        const path = witnessPath(graph, parent, node);
        // Entries list `start` first, so a node that is both start and a menu target reads as the start.
        const entryNode = graph.indexOf.get(path[0] as string);
        const menuLabel = graph.entries.find((entry) => entry.node === entryNode)?.menuLabel;
        problems.push({
          rule: "consent-missing",
          severity: "error",
          node: id,
          field,
          path,
          pointer: nodePointer(id),
          message: message(code, { field, node: id, path, menuLabel }, lang),
        });
      };
      const collectors = new Set(use.collectedBy);
      for (const node of collectors) report(node, "consent-missing-collect");
      for (const node of new Set(use.sentBy)) if (!collectors.has(node)) report(node, "consent-missing-send");
    }
  }
  return problems;
};

/** For each field, the indices of the consent nodes whose `accept` grants it, ascending. */
function consentsByField(graph: FlowGraph): Map<string, number[]> {
  const consents = new Map<string, number[]>();
  graph.edges.forEach((edges, index) => {
    for (const edge of edges) {
      for (const field of edge.grants ?? []) {
        const list = consents.get(field) ?? [];
        if (list[list.length - 1] !== index) list.push(index);
        consents.set(field, list);
      }
    }
  });
  return consents;
}
