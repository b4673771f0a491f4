/**
 * Positions for nodes that have none (files written by hand), computed with ELK's layered
 * layout. The bundled ELK build runs in the browser and in Node without a worker.
 */
import type { ElkNode } from "elkjs/lib/elk-api.js";
import elkBundle from "elkjs/lib/elk.bundled.js";
import type { Canvas } from "./document-to-canvas.ts";
import type { Position } from "./edit-operations.ts";

type ElkConstructor = typeof import("elkjs/lib/elk-api.js").default;
// The bundle is CommonJS: Node and Vite hand over `module.exports` (the class) as the default.
const Elk = (elkBundle as unknown as { default?: ElkConstructor }).default ?? (elkBundle as unknown as ElkConstructor);
const elk = new Elk();
export const boxSize = { width: 220, height: 90 };

/** Layered top-to-bottom positions for every node of the canvas. */
export async function autoLayout(canvas: Canvas): Promise<Map<string, Position>> {
  const ids = new Set(canvas.nodes.map((node) => node.id));
  const graph = await elk.layout({
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
