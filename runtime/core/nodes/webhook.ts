import schema from "../../../schemas/nodes/webhook.schema.json" with { type: "json" };
import { defineNode, optionalEdge } from "./node-definition.ts";

export const webhookNode = defineNode({
  type: "webhook",
  schema,
  edges: (node) => [{ kind: "next", target: node.next, pointer: "/next" }, ...optionalEdge("error", node.error, "/error")],
  collects: (node) => Object.keys(node.map ?? {}),
  sends: (node) => node.sends ?? [],
  uses: (node) => node.sends ?? [],
});
