/**
 * The node registry: one entry per node type of the schema. A type missing here is a compile
 * error, and `index.test.ts` checks that every `schemas/nodes/*.schema.json` is registered.
 */
import type { FlowNode, NodeType } from "../dsl/flow.ts";
import { choiceNode } from "./choice.ts";
import { conditionNode } from "./condition.ts";
import { consentNode } from "./consent.ts";
import { endNode } from "./end.ts";
import { faqNode } from "./faq.ts";
import { handoverNode } from "./handover.ts";
import { inputNode } from "./input.ts";
import { messageNode } from "./message.ts";
import type { DraftNode, EdgeSlot, NodeDefinition, NodeEdge } from "./node-definition.ts";
import { setNode } from "./set.ts";
import { webhookNode } from "./webhook.ts";

export const nodeDefinitions: { readonly [T in NodeType]: NodeDefinition<T> } = {
  message: messageNode,
  choice: choiceNode,
  input: inputNode,
  consent: consentNode,
  condition: conditionNode,
  set: setNode,
  webhook: webhookNode,
  faq: faqNode,
  handover: handoverNode,
  end: endNode,
};

/** The definition for a node, typed for the node's own union member. */
export function definitionOf(node: FlowNode): NodeDefinition {
  // One cast at the registry boundary: TypeScript cannot correlate `node.type` with the mapped entry.
  return nodeDefinitions[node.type] as unknown as NodeDefinition;
}

function isEdge(slot: EdgeSlot): slot is NodeEdge {
  return slot.target !== undefined;
}

/** The node's edges in the flow graph: its slots that name a target. */
export function edgesOf(node: FlowNode): NodeEdge[] {
  return definitionOf(node).slots(node).filter(isEdge);
}

/** A node's edge slots, connected or not, for a node that may be unfinished (the editor's handles). */
export function slotsOf(type: NodeType, node: DraftNode): EdgeSlot[] {
  return (nodeDefinitions[type] as unknown as NodeDefinition).slots(node);
}
