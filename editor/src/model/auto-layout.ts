/**
 * Positions for nodes that have none (files written by hand), computed with ELK's layered
 * layout. The bundled ELK build runs in the browser and in Node without a worker.
 */
import type { ELK as ElkInstance, ElkNode } from "elkjs/lib/elk-api.js";
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

/** Layered top-to-bottom positions for every node of the canvas. */
export async function autoLayout(canvas: Canvas): Promise<Map<string, Position>> {
  const ids = new Set(canvas.nodes.map((node) => node.id));
  const graph = await (await loadElk()).layout({
    id: "flow",
    layoutOptions: {
      "elk.algorithm": "layered",
      "elk.direction": "DOWN",
      "elk.spacing.nodeNode": "40",
      "elk.layered.spacing.nodeNodeBetweenLayers": "60",
    },
    children: canvas.nodes.map((node) => ({ id: node.id, ...boxSize })),
    edges: canvas.edges.filter((edge) => ids.has(edge.target)).map((edge) => ({ id: edge.id, sources: [edge.source], targets: [edge.target] })),
  });
  return new Map((graph.children ?? []).map((child: ElkNode) => [child.id, { x: Math.round(child.x ?? 0), y: Math.round(child.y ?? 0) }]));
}
