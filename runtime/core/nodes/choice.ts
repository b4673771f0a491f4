import schema from "../../../schemas/nodes/choice.schema.json" with { type: "json" };
import { fieldsInText } from "../dsl/interpolation.ts";
import { defineNode } from "./node-definition.ts";

export const choiceNode = defineNode({
  type: "choice",
  schema,
  edges: (node) =>
    node.options.map((option, index) => ({ kind: "option", target: option.next, pointer: `/options/${index}/next` })),
  collects: (node) => (node.field === undefined ? [] : [node.field]),
  sends: () => [],
  uses: (node) => [...fieldsInText(node.text), ...node.options.flatMap((option) => fieldsInText(option.label))],
  personalFlag: (node) => node.personal,
});
