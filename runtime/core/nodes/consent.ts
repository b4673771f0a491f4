import schema from "../../../schemas/nodes/consent.schema.json" with { type: "json" };
import { fieldsInText } from "../dsl/interpolation.ts";
import { defineNode } from "./node-definition.ts";

export const consentNode = defineNode({
  type: "consent",
  schema,
  edges: (node) => [
    { kind: "accept", target: node.accept, pointer: "/accept", grants: node.covers },
    { kind: "decline", target: node.decline, pointer: "/decline" },
  ],
  collects: () => [],
  sends: () => [],
  uses: (node) => fieldsInText(node.text),
});
