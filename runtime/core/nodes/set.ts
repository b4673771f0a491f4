import schema from "../../../schemas/nodes/set.schema.json" with { type: "json" };
import { fieldsInText } from "../dsl/interpolation.ts";
import { go } from "../engine/node-run.ts";
import { defineNode, slot } from "./node-definition.ts";

export const setNode = defineNode({
  type: "set",
  schema,
  slots: (node) => [slot("next", "/next", node.next)],
  collects: (node) => Object.keys(node.set),
  sends: () => [],
  uses: (node) => Object.values(node.set).flatMap((value) => (typeof value === "string" ? fieldsInText(value) : [])),
  personalFlag: (node) => node.personal,
  enter: (node, run) => {
    for (const [field, value] of Object.entries(node.set)) run.store(field, typeof value === "string" ? run.interpolate(value) : value);
    return go(node.next);
  },
});
