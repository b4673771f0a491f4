/**
 * The node registry: one entry per node type of the schema. A type missing here is a compile
 * error, and `index.test.ts` checks that every `schemas/nodes/*.schema.json` is registered.
 */
import type { FlowNode, NodeType } from "../dsl/flow.ts";
import { choiceNode } from "./choice.ts";
import { conditionNode } from "./condition.ts";
import { consentNode } from "./consent.ts";
import { endNode } from "./end.ts";
import { handoverNode } from "./handover.ts";
import { inputNode } from "./input.ts";
import { messageNode } from "./message.ts";
import type { NodeDefinition } from "./node-definition.ts";
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
  handover: handoverNode,
  end: endNode,
};

/** The definition for a node, typed for the node's own union member. */
export function definitionOf(node: FlowNode): NodeDefinition {
  // One cast at the registry boundary: TypeScript cannot correlate `node.type` with the mapped entry.
  return nodeDefinitions[node.type] as unknown as NodeDefinition;
}
