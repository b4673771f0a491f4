import schema from "../../../schemas/nodes/input.schema.json" with { type: "json" };
import type { InputNode } from "../dsl/flow.ts";
import { fieldsInText } from "../dsl/interpolation.ts";
import { personalFormats } from "../dsl/personal-fields.ts";
import { retryText } from "../engine/bot-texts.ts";
import { checkAnswer } from "../engine/input-formats.ts";
import { go, type NodeRun } from "../engine/node-run.ts";
import { defineNode, slot } from "./node-definition.ts";

const defaultRetries = 2;

function ask(node: InputNode, run: NodeRun): void {
  run.say({ type: "text", text: run.interpolate(node.text) });
  run.say({ type: "input", format: node.format ?? "text" });
}

export const inputNode = defineNode({
  type: "input",
  schema,
  slots: (node) => [slot("next", "/next", node.next), slot("invalid", "/invalid", node.invalid)],
  collects: (node) => [node.field],
  sends: () => [],
  uses: (node) => [...fieldsInText(node.text), ...fieldsInText(node.retryText ?? "")],
  // An explicit flag wins; otherwise an email or phone format makes the answer personal.
  personalFlag: (node) => node.personal ?? (node.format !== undefined && personalFormats.has(node.format) ? true : undefined),
  enter: (node, run) => {
    ask(node, run);
    return { wait: "reply" };
  },
  reply: (node, reply, run) => {
    const format = node.format ?? "text";
    const value = reply.type === "text" || reply.type === "choice" ? checkAnswer(reply.type === "text" ? reply.text : reply.value, format, node.pattern) : undefined;
    if (value !== undefined) {
      if (!run.store(node.field, value)) run.say({ type: "text", text: run.texts.notStored });
      return go(node.next);
    }
    if (run.retries >= (node.retries ?? defaultRetries) && node.invalid !== undefined) return go(node.invalid);
    run.countInvalidAnswer();
    run.say({ type: "text", text: node.retryText === undefined ? retryText(format, run.language) : run.interpolate(node.retryText) });
    run.say({ type: "input", format });
    return { wait: "reply" };
  },
});
