import schema from "../../../schemas/nodes/consent.schema.json" with { type: "json" };
import type { ConsentNode } from "../dsl/flow.ts";
import { fieldsInText } from "../dsl/interpolation.ts";
import { consentAnswer } from "../engine/bot-texts.ts";
import { go, type NodeRun } from "../engine/node-run.ts";
import { defineNode, slot } from "./node-definition.ts";

function ask(node: ConsentNode, run: NodeRun): void {
  run.say({
    type: "consent",
    purpose: node.purpose,
    text: run.interpolate(node.text),
    fields: [...node.covers],
    labels: node.covers.map((field) => run.label(field)),
    policyUrl: run.policyUrl,
    options: [
      { label: run.texts.accept, value: "accept" },
      { label: run.texts.decline, value: "decline" },
    ],
  });
}

export const consentNode = defineNode({
  type: "consent",
  schema,
  slots: (node) => [
    slot("accept", "/accept", node.accept, { grants: Array.isArray(node.covers) ? node.covers.filter((field) => typeof field === "string") : [] }),
    slot("decline", "/decline", node.decline),
  ],
  collects: () => [],
  sends: () => [],
  uses: (node) => fieldsInText(node.text),
  enter: (node, run) => {
    ask(node, run);
    return { wait: "reply" };
  },
  reply: (node, reply, run) => {
    const decision =
      reply.type === "choice" && (reply.value === "accept" || reply.value === "decline")
        ? reply.value
        : reply.type === "text" || reply.type === "choice"
          ? consentAnswer(reply.type === "text" ? reply.text : reply.value)
          : undefined;
    if (!decision) {
      run.say({ type: "text", text: run.texts.answerTheConsent });
      ask(node, run);
      return { wait: "reply" };
    }
    run.recordConsent(node, decision);
    return go(decision === "accept" ? node.accept : node.decline);
  },
});
