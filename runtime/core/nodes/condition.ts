import schema from "../../../schemas/nodes/condition.schema.json" with { type: "json" };
import { defineNode } from "./node-definition.ts";

export const conditionNode = defineNode({
  type: "condition",
  schema,
  edges: (node) => [
    ...node.if.map((branch, index) => ({ kind: "branch" as const, target: branch.next, pointer: `/if/${index}/next` })),
    { kind: "else", target: node.else, pointer: "/else" },
  ],
  collects: () => [],
  sends: () => [],
  uses: (node) => node.if.map((branch) => branch.field),
});
