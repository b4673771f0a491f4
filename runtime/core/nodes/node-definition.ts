/**
 * The node-definition API: everything the validator, the engine and the editor need to know
 * about one node type lives in one file under `nodes/`, registered in `index.ts`.
 *
 * @example
 * export const messageNode = defineNode({
 *   type: "message",
 *   schema: messageSchema,
 *   slots: (node) => [slot("next", "/next", node.next)],
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
export type EdgeKind = "next" | "option" | "accept" | "decline" | "branch" | "else" | "invalid" | "error" | "no-agent" | "unclaimed";

/**
 * A place on a node where a reference to another node is written — every edge the node can
 * have, set or not. The one description of a type's edges: the editor draws a handle per slot
 * (an unset one too), the validator and the engine follow the slots that name a target.
 */
export interface EdgeSlot {
  kind: EdgeKind;
  /** JSON pointer of the reference, relative to the node (e.g. `/options/1/next`). */
  pointer: string;
  /** The node id written there, if any. */
  target: string | undefined;
  /** For a slot of a list item (a choice option, a condition branch): the item's position. */
  index?: number;
  /** Fields a user has consented to once this edge is followed (a consent's `accept`). */
  grants?: readonly string[];
}

/** A slot that names a target: an edge of the flow graph. */
export type NodeEdge = EdgeSlot & { target: string };

/**
 * A node as it may stand in a file being written: any property may be missing or of the wrong
 * type. `slots` takes this, so the editor can draw the handles of an unfinished node.
 */
export type DraftNode<T extends NodeType = NodeType> = { readonly [K in keyof NodeOfType<T>]?: unknown };

export interface NodeDefinition<T extends NodeType = NodeType> {
  type: T;
  /** The node type's JSON Schema (`schemas/nodes/<type>.schema.json`). */
  schema: object;
  /** Every edge slot, set or not, in the order the editor shows their handles. */
  slots(node: DraftNode<T>): EdgeSlot[];
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

/** A slot whose target is whatever string stands at the pointer (nothing, for anything else). */
export function slot(kind: EdgeKind, pointer: string, target: unknown, extra: Pick<EdgeSlot, "index" | "grants"> = {}): EdgeSlot {
  return { kind, pointer, target: typeof target === "string" ? target : undefined, ...extra };
}

/** The items of a list property, or none when the property is missing or not a list. */
export function itemsOf(value: unknown): readonly Readonly<Record<string, unknown>>[] {
  if (!Array.isArray(value)) return [];
  return value.map((item) => (typeof item === "object" && item !== null ? (item as Record<string, unknown>) : {}));
}
