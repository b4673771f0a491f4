import schema from "../../../schemas/nodes/handover.schema.json" with { type: "json" };
import type { HandoverNode } from "../dsl/flow.ts";
import { fieldsInText } from "../dsl/interpolation.ts";
import { go } from "../engine/node-run.ts";
import type { NodeRun, Transition } from "../engine/node-run.ts";
import { defineNode, slot } from "./node-definition.ts";

/** How long a handover waits for an agent to claim it when the step does not say (docs/inbox.md#when-nobody-answers). */
export const defaultUnclaimedMinutes = 10;

/** Queues the conversation for the agents and waits; `unattended` when nobody is expected to answer soon. */
function requestAgent(node: HandoverNode, run: NodeRun, unattended: boolean): Transition {
  run.say({ type: "status", status: "handover" });
  run.effect({
    type: "request-handover",
    node: run.nodeId,
    shares: run.shareable(node.shares ?? []),
    unclaimedMinutes: node.unclaimedMinutes ?? defaultUnclaimedMinutes,
    ...(unattended ? { unattended: true as const } : {}),
  });
  return { wait: "handover" };
}

export const handoverNode = defineNode({
  type: "handover",
  schema,
  slots: (node) => [slot("next", "/next", node.next), slot("no-agent", "/noAgent", node.noAgent), slot("unclaimed", "/unclaimed", node.unclaimed)],
  collects: () => [],
  sends: () => [],
  uses: (node) => [...fieldsInText(node.text), ...(node.shares ?? [])],
  enter: (node, run) => {
    if (!run.agentsExpected) {
      if (node.noAgent !== undefined) return go(node.noAgent);
      // Never silence: the visitor learns that nobody is there and may leave a message.
      run.say({ type: "text", text: run.texts.noAgent });
      return requestAgent(node, run, true);
    }
    run.say({ type: "text", text: run.interpolate(node.text) });
    return requestAgent(node, run, false);
  },
  // Until an agent hands back, the user's messages are for the agent, not the bot.
  reply: (node, reply, run) => {
    switch (reply.type) {
      case "handover-ended":
        return go(node.next);
      case "handover-closed":
        return go(undefined);
      case "handover-timeout":
        if (node.unclaimed !== undefined) return go(node.unclaimed);
        run.say({ type: "text", text: run.texts.nobodyFree });
        return { wait: "handover" };
      case "text":
        run.effect({ type: "handover-message", node: run.nodeId, text: reply.text });
        return { wait: "handover" };
      default:
        return { wait: "handover" };
    }
  },
});
