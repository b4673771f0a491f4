import schema from "../../../schemas/nodes/handover.schema.json" with { type: "json" };
import { fieldsInText } from "../dsl/interpolation.ts";
import { defineNode, optionalEdge } from "./node-definition.ts";

export const handoverNode = defineNode({
  type: "handover",
  schema,
  edges: (node) => optionalEdge("next", node.next, "/next"),
  collects: () => [],
  sends: () => [],
  uses: (node) => [...fieldsInText(node.text), ...(node.shares ?? [])],
});
