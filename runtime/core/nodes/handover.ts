import schema from "../../../schemas/nodes/handover.schema.json" with { type: "json" };
import { fieldsInText } from "../dsl/interpolation.ts";
import { go } from "../engine/node-run.ts";
import { defineNode, slot } from "./node-definition.ts";

export const handoverNode = defineNode({
  type: "handover",
  schema,
  slots: (node) => [slot("next", "/next", node.next)],
  collects: () => [],
  sends: () => [],
  uses: (node) => [...fieldsInText(node.text), ...(node.shares ?? [])],
  enter: (node, run) => {
    run.say({ type: "text", text: run.interpolate(node.text) });
    run.say({ type: "status", status: "handover" });
    run.effect({ type: "request-handover", node: run.nodeId, shares: run.shareable(node.shares ?? []) });
    return { wait: "handover" };
  },
  // Until an agent hands back, the user's messages are for the agent, not the bot.
  reply: (node, reply) => (reply.type === "handover-ended" ? go(node.next) : { wait: "handover" }),
});
