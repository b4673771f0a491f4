import schema from "../../../schemas/nodes/end.schema.json" with { type: "json" };
import { fieldsInText } from "../dsl/interpolation.ts";
import { go } from "../engine/node-run.ts";
import { defineNode } from "./node-definition.ts";

export const endNode = defineNode({
  type: "end",
  schema,
  slots: () => [],
  collects: () => [],
  sends: () => [],
  uses: (node) => fieldsInText(node.text ?? ""),
  enter: (node, run) => {
    if (node.text !== undefined) run.say({ type: "text", text: run.interpolate(node.text) });
    return go(undefined);
  },
});
