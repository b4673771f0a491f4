/**
 * The flow document as a graph for the canvas: one box per node with one handle per outlet,
 * one edge per set reference. Pure data (no functions, no React), so React Flow only views it.
 */
import type { UiLanguage } from "../i18n/ui-language.ts";
import type { EdgeKind, NodeType } from "../../../runtime/core/index.ts";
import { firstLineOf, isNodeType, type NodeValue, type Outlet, outletsOf } from "../nodes/node-presentations.ts";
import { pointerPath } from "./flow-document.ts";

export interface CanvasNodeData {
  [key: string]: unknown;
  nodeType: NodeType | "unknown";
  firstLine: string;
  outlets: Outlet[];
  isStart: boolean;
}

export interface CanvasNode {
  id: string;
  type: "flow";
  position: { x: number; y: number } | undefined;
  data: CanvasNodeData;
}

export interface CanvasEdge {
  id: string;
  source: string;
  sourceHandle: string;
  target: string;
  data: { kind: EdgeKind };
}

export interface Canvas {
  nodes: CanvasNode[];
  edges: CanvasEdge[];
}

function mapping(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function valueAt(node: NodeValue, pointer: string): unknown {
  let current: unknown = node;
  for (const segment of pointerPath(pointer)) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

/** A layout entry's position, or undefined when the entry is not one. */
export function position(value: unknown): { x: number; y: number } | undefined {
  const { x, y } = mapping(value);
  return typeof x === "number" && typeof y === "number" ? { x, y } : undefined;
}

export function edgeId(source: string, pointer: string): string {
  return `${source}${pointer}`;
}

interface NodePart {
  data: CanvasNodeData;
  edges: CanvasEdge[];
}

/**
 * Per node value (unchanged nodes keep their value object between edits, see `documentValue`):
 * its data and outgoing edges, as long as the set of node ids and the start stay the same.
 */
const partCache = new WeakMap<object, { ids: object; start: unknown; lang: UiLanguage; part: NodePart }>();

function nodePart(id: string, raw: unknown, nodes: Record<string, unknown>, start: unknown, lang: UiLanguage): NodePart {
  const node = mapping(raw);
  const type = isNodeType(node.type) ? node.type : "unknown";
  const outlets = type === "unknown" ? [] : outletsOf(type, node, lang);
  const edges: CanvasEdge[] = [];
  for (const outlet of outlets) {
    const target = valueAt(node, outlet.pointer);
    if (typeof target === "string" && Object.hasOwn(nodes, target)) {
      edges.push({ id: edgeId(id, outlet.pointer), source: id, sourceHandle: outlet.pointer, target, data: { kind: outlet.kind } });
    }
  }
  return { data: { nodeType: type, firstLine: type === "unknown" ? "" : firstLineOf(type, node, lang), outlets, isStart: start === id }, edges };
}

/** Nodes and edges of a flow value; a node without a `layout` entry gets `position: undefined`. */
export function documentToCanvas(value: unknown, lang: UiLanguage = "en"): Canvas {
  const flow = mapping(value);
  const nodes = mapping(flow.nodes);
  const layout = mapping(flow.layout);
  const canvas: Canvas = { nodes: [], edges: [] };
  const ids = idSet(nodes);
  for (const [id, raw] of Object.entries(nodes)) {
    let part: NodePart;
    const cached = typeof raw === "object" && raw !== null ? partCache.get(raw) : undefined;
    if (cached && cached.ids === ids && cached.lang === lang && (cached.start === id) === (flow.start === id)) part = cached.part;
    else {
      part = nodePart(id, raw, nodes, flow.start, lang);
      if (typeof raw === "object" && raw !== null) partCache.set(raw, { ids, start: flow.start === id ? id : undefined, lang, part });
    }
    canvas.nodes.push({ id, type: "flow", position: position(layout[id]), data: part.data });
    for (const edge of part.edges) canvas.edges.push(edge);
  }
  return canvas;
}

/** One object per distinct set of node ids: edges stay valid while it is the same. */
let lastIds: { key: string; token: object } | undefined;
function idSet(nodes: Record<string, unknown>): object {
  const key = Object.keys(nodes).join("\n");
  if (lastIds?.key !== key) lastIds = { key, token: {} };
  return lastIds.token;
}
