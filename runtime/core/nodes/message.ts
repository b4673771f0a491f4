import schema from "../../../schemas/nodes/message.schema.json" with { type: "json" };
import { fieldsInText } from "../dsl/interpolation.ts";
import { go } from "../engine/node-run.ts";
import { defineNode, slot } from "./node-definition.ts";

export const messageNode = defineNode({
  type: "message",
  schema,
  slots: (node) => [slot("next", "/next", node.next)],
  collects: () => [],
  sends: () => [],
  uses: (node) => fieldsInText(node.text),
  enter: (node, run) => {
    run.say({ type: "text", text: run.interpolate(node.text) });
    return go(node.next);
  },
});
