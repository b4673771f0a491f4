/**
 * The node-definition API: everything the validator (and, later, the engine and the editor)
 * needs to know about one node type lives in one file under `nodes/`, registered in `index.ts`.
 *
 * @example
 * export const messageNode = defineNode({
 *   type: "message",
 *   schema: messageSchema,
 *   edges: (node) => optionalEdge("next", node.next, "/next"),
 *   collects: () => [],
 *   sends: () => [],
 *   uses: (node) => fieldsInText(node.text),
 *   enter: (node, run) => {
 *     run.say({ type: "text", text: run.interpolate(node.text) });
 *     return go(node.next);
 *   },
 * });
 */
import type { NodeOfType, NodeType } from "../dsl/flow.ts";
import type { NodeReply, NodeRun, Transition } from "../engine/node-run.ts";

/** How an edge leaves a node; the editor draws one handle per edge. */
export type EdgeKind = "next" | "option" | "accept" | "decline" | "branch" | "else" | "invalid" | "error";

export interface NodeEdge {
  kind: EdgeKind;
  target: string;
  /** JSON pointer of the reference, relative to the node (e.g. `/options/1/next`). */
  pointer: string;
  /** Fields a user has consented to once this edge is followed (a consent's `accept`). */
  grants?: readonly string[];
}

export interface NodeDefinition<T extends NodeType = NodeType> {
  type: T;
  /** The node type's JSON Schema (`schemas/nodes/<type>.schema.json`). */
  schema: object;
  /** Outgoing edges, in the order the editor shows their handles. */
  edges(node: NodeOfType<T>): NodeEdge[];
  /** Fields this node stores. */
  collects(node: NodeOfType<T>): string[];
  /** Fields this node passes to a third party. */
  sends(node: NodeOfType<T>): string[];
  /** Fields this node reads (texts, tests, handover shares); used for data minimisation. */
  uses(node: NodeOfType<T>): string[];
  /** An explicit `personal` flag on this node that overrides the guess for the fields it collects. */
  personalFlag?(node: NodeOfType<T>): boolean | undefined;
  /** Engine: runs the node when the conversation arrives at it. */
  enter(node: NodeOfType<T>, run: NodeRun): Transition;
  /** Engine: handles what arrives while the conversation waits at this node (waiting nodes only). */
  reply?(node: NodeOfType<T>, reply: NodeReply, run: NodeRun): Transition;
}

export function defineNode<T extends NodeType>(definition: NodeDefinition<T>): NodeDefinition<T> {
  return definition;
}

/** An edge list for one optional reference. */
export function optionalEdge(kind: EdgeKind, target: string | undefined, pointer: string): NodeEdge[] {
  return target === undefined ? [] : [{ kind, target, pointer }];
}
