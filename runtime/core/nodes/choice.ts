import schema from "../../../schemas/nodes/choice.schema.json" with { type: "json" };
import type { ChoiceNode } from "../dsl/flow.ts";
import { fieldsInText } from "../dsl/interpolation.ts";
import { go, type NodeRun } from "../engine/node-run.ts";
import { defineNode, itemsOf, slot } from "./node-definition.ts";

function optionValue(option: ChoiceNode["options"][number]): string {
  return option.value ?? option.label;
}

function ask(node: ChoiceNode, run: NodeRun): void {
  run.say({
    type: "choice",
    text: run.interpolate(node.text),
    options: node.options.map((option) => ({ label: run.interpolate(option.label), value: optionValue(option) })),
  });
}

/** A button's value, its label typed by hand (any case), or its number. */
function chosenOption(node: ChoiceNode, answer: string): ChoiceNode["options"][number] | undefined {
  const typed = answer.trim().toLowerCase();
  const byNumber = /^\d{1,2}$/.test(typed) ? node.options[Number(typed) - 1] : undefined;
  return (
    node.options.find((option) => optionValue(option) === answer) ??
    node.options.find((option) => option.label.trim().toLowerCase() === typed) ??
    byNumber
  );
}

export const choiceNode = defineNode({
  type: "choice",
  schema,
  slots: (node) => itemsOf(node.options).map((option, index) => slot("option", `/options/${index}/next`, option.next, { index })),
  collects: (node) => (node.field === undefined ? [] : [node.field]),
  sends: () => [],
  uses: (node) => [...fieldsInText(node.text), ...node.options.flatMap((option) => fieldsInText(option.label))],
  personalFlag: (node) => node.personal,
  enter: (node, run) => {
    ask(node, run);
    return { wait: "reply" };
  },
  reply: (node, reply, run) => {
    const answer = reply.type === "choice" ? reply.value : reply.type === "text" ? reply.text : undefined;
    const option = answer === undefined ? undefined : chosenOption(node, answer);
    if (!option) {
      run.say({ type: "text", text: run.texts.pickAnOption });
      ask(node, run);
      return { wait: "reply" };
    }
    if (node.field !== undefined) run.store(node.field, optionValue(option));
    return go(option.next);
  },
});
