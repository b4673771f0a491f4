/**
 * A schema-valid flow as an index-based graph: nodes by number, outgoing edges from the node
 * registry in compressed rows (`edgeStart`/`edgeTo` typed arrays, which the searches walk
 * without allocating), and the entry points (start and every custom menu item). Built once per
 * check and shared by all graph rules.
 */
import { type Flow, type FlowNode, isCustomMenuItem } from "../dsl/flow.ts";
import { escapePointerSegment } from "../dsl/json-pointer.ts";
import { edgesOf } from "../nodes/index.ts";
import type { NodeEdge } from "../nodes/node-definition.ts";

export interface EntryPoint {
  node: number;
  /** The custom menu item's label; absent for `start`. */
  menuLabel?: string;
  /** JSON pointer of the reference that makes this an entry point (`/start`, `/menu/4/goto`). */
  pointer: string;
}

export interface FlowGraph {
  ids: readonly string[];
  nodes: readonly FlowNode[];
  indexOf: ReadonlyMap<string, number>;
  /** Node `i`'s edges are `edges[edgeStart[i]]` up to, not including, `edges[edgeStart[i + 1]]`. */
  edgeStart: Int32Array;
  /** Target node of each edge, or -1 when the target does not exist. */
  edgeTo: Int32Array;
  edges: readonly NodeEdge[];
  entries: readonly EntryPoint[];
}

export function buildFlowGraph(flow: Flow): FlowGraph {
  const ids = Object.keys(flow.nodes);
  const nodes = ids.map((id) => flow.nodes[id] as FlowNode);
  const indexOf = new Map(ids.map((id, index) => [id, index]));
  const edges: NodeEdge[] = [];
  const edgeStart = new Int32Array(ids.length + 1);
  nodes.forEach((node, index) => {
    edgeStart[index] = edges.length;
    edges.push(...edgesOf(node));
  });
  edgeStart[ids.length] = edges.length;
  const edgeTo = Int32Array.from(edges, (edge) => indexOf.get(edge.target) ?? -1);

  const entries: EntryPoint[] = [];
  const start = indexOf.get(flow.start);
  if (start !== undefined) entries.push({ node: start, pointer: "/start" });
  (flow.menu ?? []).forEach((item, position) => {
    if (!isCustomMenuItem(item)) return;
    const target = indexOf.get(item.goto);
    if (target !== undefined) entries.push({ node: target, menuLabel: item.label, pointer: `/menu/${position}/goto` });
  });
  return { ids, nodes, indexOf, edgeStart, edgeTo, edges, entries };
}

/** The node an edge leaves from (edges are stored by source, so a binary search finds it). */
export function edgeSource(graph: FlowGraph, edge: number): number {
  let low = 0;
  let high = graph.ids.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((graph.edgeStart[middle] as number) <= edge) low = middle;
    else high = middle - 1;
  }
  return low;
}

/**
 * Breadth-first search from every entry point. Edges for which `blocked(edgeIndex)` holds are
 * not followed. Returns, for every node, the node it was first reached from (-1 for entry
 * points, -2 when unreached), so a shortest witness path can be read back.
 */
export function searchFromEntries(graph: FlowGraph, blocked?: (edge: number) => boolean): Int32Array {
  const { edgeStart, edgeTo } = graph;
  const parent = new Int32Array(graph.ids.length).fill(-2);
  const queue = new Int32Array(graph.ids.length);
  let head = 0;
  let tail = 0;
  for (const entry of graph.entries) {
    if (parent[entry.node] !== -2) continue;
    parent[entry.node] = -1;
    queue[tail++] = entry.node;
  }
  while (head < tail) {
    const current = queue[head++] as number;
    for (let edge = edgeStart[current] as number; edge < (edgeStart[current + 1] as number); edge++) {
      const to = edgeTo[edge] as number;
      if (to < 0 || parent[to] !== -2 || blocked?.(edge)) continue;
      parent[to] = current;
      queue[tail++] = to;
    }
  }
  return parent;
}

/** The node ids from the entry point to `node`, read back from a search result. */
export function witnessPath(graph: FlowGraph, parent: Int32Array, node: number): string[] {
  const path: string[] = [];
  for (let current = node; current >= 0; current = parent[current] as number) path.push(graph.ids[current] as string);
  return path.reverse();
}

export function nodePointer(id: string): string {
  return `/nodes/${escapePointerSegment(id)}`;
}
