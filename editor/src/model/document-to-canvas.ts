/**
 * The flow document as a graph for the canvas: one box per node with one handle per outlet,
 * one edge per set reference. Pure data (no functions, no React), so React Flow only views it.
 */
import type { EdgeKind, NodeType } from "../../../runtime/core/index.ts";
import { firstLineOf, isNodeType, type NodeValue, nodePresentations, type Outlet } from "../nodes/node-presentations.ts";
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

function position(value: unknown): { x: number; y: number } | undefined {
  const { x, y } = mapping(value);
  return typeof x === "number" && typeof y === "number" ? { x, y } : undefined;
}

export function edgeId(source: string, pointer: string): string {
  return `${source}${pointer}`;
}

/** Nodes and edges of a flow value; a node without a `layout` entry gets `position: undefined`. */
export function documentToCanvas(value: unknown): Canvas {
  const flow = mapping(value);
  const nodes = mapping(flow.nodes);
  const layout = mapping(flow.layout);
  const canvas: Canvas = { nodes: [], edges: [] };
  for (const [id, raw] of Object.entries(nodes)) {
    const node = mapping(raw);
    const type = isNodeType(node.type) ? node.type : "unknown";
    const outlets = type === "unknown" ? [] : nodePresentations[type].outlets(node);
    canvas.nodes.push({
      id,
      type: "flow",
      position: position(layout[id]),
      data: { nodeType: type, firstLine: type === "unknown" ? "" : firstLineOf(type, node), outlets, isStart: flow.start === id },
    });
    for (const outlet of outlets) {
      const target = valueAt(node, outlet.pointer);
      if (typeof target === "string" && Object.hasOwn(nodes, target)) {
        canvas.edges.push({ id: edgeId(id, outlet.pointer), source: id, sourceHandle: outlet.pointer, target, data: { kind: outlet.kind } });
      }
    }
  }
  return canvas;
}
