import schema from "../../../schemas/nodes/end.schema.json" with { type: "json" };
import { fieldsInText } from "../dsl/interpolation.ts";
import { defineNode } from "./node-definition.ts";

export const endNode = defineNode({
  type: "end",
  schema,
  edges: () => [],
  collects: () => [],
  sends: () => [],
  uses: (node) => fieldsInText(node.text ?? ""),
});
