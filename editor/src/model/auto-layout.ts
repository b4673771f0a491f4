/**
 * Positions for nodes that have none (files written by hand) and for "Aufräumen", computed with
 * ELK's layered layout. Each box has one input port on top and one output port per outlet at the
 * bottom, in the order (and, when measured on screen, at the places) of its handles, so a branch
 * edge leaves from its labelled handle; ELK routes the edges around the boxes and the canvas
 * draws those routes while the boxes stay where the layout put them. The bundled ELK build runs
 * in the browser and in Node without a worker.
 */
import type { ELK as ElkInstance, ElkExtendedEdge, ElkNode } from "elkjs/lib/elk-api.js";
import type { Canvas } from "./document-to-canvas.ts";
import type { Position } from "./edit-operations.ts";

type ElkConstructor = typeof import("elkjs/lib/elk-api.js").default;
let elk: Promise<ElkInstance> | undefined;

/** ELK is large (1.5 MB): it loads on first use, so the editor opens without it. */
function loadElk(): Promise<ElkInstance> {
  elk ??= import("elkjs/lib/elk.bundled.js").then((module) => {
    // The bundle is CommonJS: depending on the loader the class is the default or its `default`.
    const exported = module.default as unknown as ElkConstructor | { default: ElkConstructor };
    const Elk = "default" in exported ? exported.default : exported;
    return new Elk();
  });
  return elk;
}
export const boxSize = { width: 220, height: 90 };

/** A box as measured on screen (flow units): its size and where its handles sit, relative to its top left. */
export interface MeasuredBox {
  width: number;
  height: number;
  /** The input handle's connection point. */
  input: Position;
  /** Each outlet's connection point, by the outlet's pointer. */
  outlets: ReadonlyMap<string, Position>;
}

/** An edge's route: the bends between its two handles, valid while the handles are where they were. */
export interface EdgeRoute {
  from: Position;
  to: Position;
  bends: Position[];
}

export interface Layout {
  positions: Map<string, Position>;
  routes: Map<string, EdgeRoute>;
}

/** Where a box's handles are when it was not measured: outlets spread evenly along the bottom. */
function estimatedBox(outlets: readonly { pointer: string }[]): MeasuredBox {
  const { width, height } = boxSize;
  return {
    width,
    height,
    input: { x: width / 2, y: 0 },
    outlets: new Map(outlets.map((outlet, index) => [outlet.pointer, { x: Math.round((width * (index + 0.5)) / outlets.length), y: height }])),
  };
}

const inputPort = (id: string) => `${id}\u0000in`;
const outletPort = (id: string, pointer: string) => `${id}\u0000${pointer}`;

/** The nodes depth first from the start (then the rest, in file order). */
function conversationOrder(canvas: Canvas): Canvas["nodes"] {
  const byId = new Map(canvas.nodes.map((node) => [node.id, node]));
  const next = new Map<string, string[]>();
  for (const edge of canvas.edges) next.set(edge.source, [...(next.get(edge.source) ?? []), edge.target]);
  const seen = new Set<string>();
  const order: Canvas["nodes"] = [];
  const stack = canvas.nodes.filter((node) => node.data.isStart).map((node) => node.id);
  while (stack.length > 0) {
    const id = stack.pop() as string;
    const node = byId.get(id);
    if (seen.has(id) || !node) continue;
    seen.add(id);
    order.push(node);
    stack.push(...(next.get(id) ?? []).slice().reverse());
  }
  for (const node of canvas.nodes) if (!seen.has(node.id)) order.push(node);
  return order;
}

/** Layered top-to-bottom positions for every node of the canvas, and the edges' routes. */
export async function layoutFlow(canvas: Canvas, measured: ReadonlyMap<string, MeasuredBox> = new Map()): Promise<Layout> {
  const ids = new Set(canvas.nodes.map((node) => node.id));
  // In conversation order (depth first from the start), so cycles break at the back edges and the start comes first.
  const order = conversationOrder(canvas);
  const boxes = new Map(canvas.nodes.map((node) => [node.id, measured.get(node.id) ?? estimatedBox(node.data.outlets)]));
  const edges = canvas.edges.filter((edge) => ids.has(edge.target) && boxes.get(edge.source)?.outlets.has(edge.sourceHandle));
  const graph = await (await loadElk()).layout({
    id: "flow",
    layoutOptions: {
      "elk.algorithm": "layered",
      "elk.direction": "DOWN",
      "elk.edgeRouting": "ORTHOGONAL",
      "elk.spacing.nodeNode": "50",
      "elk.spacing.edgeNode": "25",
      "elk.spacing.edgeEdge": "12",
      "elk.layered.spacing.nodeNodeBetweenLayers": "70",
      "elk.layered.spacing.edgeNodeBetweenLayers": "25",
      "elk.layered.crossingMinimization.strategy": "LAYER_SWEEP",
      "elk.layered.cycleBreaking.strategy": "DEPTH_FIRST",
      "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
      "elk.layered.nodePlacement.strategy": "NETWORK_SIMPLEX",
    },
    children: order.map((node) => {
      const box = boxes.get(node.id) ?? estimatedBox(node.data.outlets);
      return {
        id: node.id,
        width: box.width,
        height: box.height,
        layoutOptions: { "elk.portConstraints": "FIXED_POS", ...(node.data.isStart ? { "elk.layered.layering.layerConstraint": "FIRST" } : {}) },
        ports: [
          { id: inputPort(node.id), x: box.input.x, y: 0, width: 0, height: 0, layoutOptions: { "elk.port.side": "NORTH" } },
          ...[...box.outlets].map(([pointer, at]) => ({ id: outletPort(node.id, pointer), x: at.x, y: box.height, width: 0, height: 0, layoutOptions: { "elk.port.side": "SOUTH" } })),
        ],
      };
    }),
    edges: edges.map((edge) => ({ id: edge.id, sources: [outletPort(edge.source, edge.sourceHandle)], targets: [inputPort(edge.target)] })),
  });
  const positions = new Map((graph.children ?? []).map((child: ElkNode) => [child.id, { x: Math.round(child.x ?? 0), y: Math.round(child.y ?? 0) }]));
  const routes = new Map<string, EdgeRoute>();
  const byId = new Map(edges.map((edge) => [edge.id, edge]));
  for (const laid of (graph.edges ?? []) as ElkExtendedEdge[]) {
    const edge = byId.get(laid.id);
    const section = laid.sections?.[0];
    if (!edge || !section) continue;
    const source = positions.get(edge.source);
    const target = positions.get(edge.target);
    const outlet = boxes.get(edge.source)?.outlets.get(edge.sourceHandle);
    const input = boxes.get(edge.target)?.input;
    if (!source || !target || !outlet || !input) continue;
    routes.set(edge.id, {
      from: { x: source.x + outlet.x, y: source.y + outlet.y },
      to: { x: target.x + input.x, y: target.y + input.y },
      bends: (section.bendPoints ?? []).map((point) => ({ x: Math.round(point.x), y: Math.round(point.y) })),
    });
  }
  return { positions, routes };
}

/** Layered top-to-bottom positions for every node of the canvas. */
export async function autoLayout(canvas: Canvas, measured?: ReadonlyMap<string, MeasuredBox>): Promise<Map<string, Position>> {
  return (await layoutFlow(canvas, measured)).positions;
}
