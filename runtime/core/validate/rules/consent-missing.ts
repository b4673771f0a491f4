import { type FlowGraph, nodePointer, searchFromEntries, witnessPath } from "../flow-graph.ts";
import { message } from "../messages.ts";
import type { FieldUse } from "../personal-fields-index.ts";
import type { UnlocatedProblem } from "../problem.ts";
import type { Rule } from "./rule.ts";

/**
 * docs/rules.md#consent-missing consent-missing: a node that stores or sends a personal field must not be reachable
 * from any entry point by a path that avoids the `accept` edge of every consent covering it.
 *
 * Fields covered by exactly the same accept edges behave identically, so they form one group.
 * One pass over the graph finds, for every node, the groups that reach it uncovered (a bit per
 * group); only groups with a violation pay for a second search that yields a witness path.
 */
export const consentMissing: Rule = ({ graph, fields, lang }) => {
  const groups = groupFields(graph, fields);
  if (groups.length === 0) return [];
  const uncovered = uncoveredGroups(graph, groups);
  const words = wordsFor(groups.length);
  const problems: UnlocatedProblem[] = [];

  groups.forEach((group, groupIndex) => {
    const word = groupIndex >>> 5;
    const bit = 1 << (groupIndex & 31);
    const reachedUncovered = (node: number) => ((uncovered[node * words + word] as number) & bit) !== 0;
    const coveringEdges = new Set(group.coveringEdges);
    let parent: Int32Array | undefined;
    for (const field of group.fields) {
      const use = fields.get(field) as FieldUse;
      const collectors = new Set(use.collectedBy);
      const report = (node: number, code: "consent-missing-collect" | "consent-missing-send"): void => {
        if (!reachedUncovered(node)) return;
        parent ??= searchFromEntries(graph, (edge) => coveringEdges.has(edge));
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
      for (const node of collectors) report(node, "consent-missing-collect");
      for (const node of new Set(use.sentBy)) if (!collectors.has(node)) report(node, "consent-missing-send");
    }
  });
  return problems;
};

interface FieldGroup {
  fields: string[];
  /** The accept edges (edge indices) that grant these fields. */
  coveringEdges: number[];
}

function wordsFor(groupCount: number): number {
  return Math.ceil(groupCount / 32);
}

/** Personal fields that are stored or sent, grouped by the accept edges that cover them. */
function groupFields(graph: FlowGraph, fields: ReadonlyMap<string, FieldUse>): FieldGroup[] {
  const coveringEdges = new Map<string, number[]>();
  graph.edges.forEach((edge, index) => {
    for (const field of edge.grants ?? []) coveringEdges.set(field, [...(coveringEdges.get(field) ?? []), index]);
  });
  const groups = new Map<string, FieldGroup>();
  for (const [field, use] of fields) {
    if (!use.personal || (use.collectedBy.length === 0 && use.sentBy.length === 0)) continue;
    const edges = coveringEdges.get(field) ?? [];
    const key = edges.join(",");
    const group = groups.get(key) ?? { fields: [], coveringEdges: edges };
    group.fields.push(field);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** For every node, a bit per group that reaches it from an entry point without passing a covering accept. */
function uncoveredGroups(graph: FlowGraph, groups: readonly FieldGroup[]): Uint32Array {
  const words = wordsFor(groups.length);
  const nodeCount = graph.ids.length;
  const reach = new Uint32Array(nodeCount * words);
  // Bits an edge clears: the groups whose fields it grants. Only accept edges have any.
  const blocks = new Map<number, Uint32Array>();
  groups.forEach((group, groupIndex) => {
    for (const edge of group.coveringEdges) {
      const mask = blocks.get(edge) ?? new Uint32Array(words);
      mask[groupIndex >>> 5] = (mask[groupIndex >>> 5] as number) | (1 << (groupIndex & 31));
      blocks.set(edge, mask);
    }
  });

  const all = new Uint32Array(words).fill(0xffffffff);
  const queue: number[] = [];
  const queued = new Uint8Array(nodeCount);
  for (const entry of graph.entries) {
    for (let word = 0; word < words; word++) reach[entry.node * words + word] = all[word] as number;
    if (!queued[entry.node]) {
      queued[entry.node] = 1;
      queue.push(entry.node);
    }
  }
  const { edgeStart, edgeTo } = graph;
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head] as number;
    queued[node] = 0;
    for (let edge = edgeStart[node] as number; edge < (edgeStart[node + 1] as number); edge++) {
      const to = edgeTo[edge] as number;
      if (to < 0) continue;
      const block = blocks.get(edge);
      let grew = false;
      for (let word = 0; word < words; word++) {
        const arriving = (reach[node * words + word] as number) & ~(block?.[word] ?? 0);
        const known = reach[to * words + word] as number;
        if ((arriving & ~known) !== 0) {
          reach[to * words + word] = known | arriving;
          grew = true;
        }
      }
      if (grew && !queued[to]) {
        queued[to] = 1;
        queue.push(to);
      }
    }
  }
  return reach;
}
