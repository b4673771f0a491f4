import schema from "../../../schemas/nodes/input.schema.json" with { type: "json" };
import { fieldsInText } from "../dsl/interpolation.ts";
import { personalFormats } from "../dsl/personal-fields.ts";
import { defineNode, optionalEdge } from "./node-definition.ts";

export const inputNode = defineNode({
  type: "input",
  schema,
  edges: (node) => [{ kind: "next", target: node.next, pointer: "/next" }, ...optionalEdge("invalid", node.invalid, "/invalid")],
  collects: (node) => [node.field],
  sends: () => [],
  uses: (node) => [...fieldsInText(node.text), ...fieldsInText(node.retryText ?? "")],
  // An explicit flag wins; otherwise an email or phone format makes the answer personal.
  personalFlag: (node) => node.personal ?? (node.format !== undefined && personalFormats.has(node.format) ? true : undefined),
});
