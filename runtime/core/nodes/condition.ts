import schema from "../../../schemas/nodes/condition.schema.json" with { type: "json" };
import type { ConditionBranch } from "../dsl/flow.ts";
import type { FieldValue } from "../engine/conversation.ts";
import { go } from "../engine/node-run.ts";
import { defineNode, itemsOf, slot } from "./node-definition.ts";

function asNumber(value: FieldValue | undefined): number {
  return typeof value === "number" ? value : typeof value === "string" ? Number(value.replace(",", ".")) : Number.NaN;
}

/** Exactly one test per branch (the schema says so); an unknown one never matches. */
function holds(branch: ConditionBranch, value: FieldValue | undefined): boolean {
  if (branch.exists !== undefined) return (value !== undefined && value !== "") === branch.exists;
  if (branch.equals !== undefined) return value !== undefined && String(value) === String(branch.equals);
  if (branch.matches !== undefined) {
    try {
      return value !== undefined && new RegExp(branch.matches, "u").test(String(value));
    } catch {
      return false;
    }
  }
  if (branch.lt !== undefined) return asNumber(value) < branch.lt;
  if (branch.gt !== undefined) return asNumber(value) > branch.gt;
  return false;
}

export const conditionNode = defineNode({
  type: "condition",
  schema,
  slots: (node) => [
    ...itemsOf(node.if).map((branch, index) => slot("branch", `/if/${index}/next`, branch.next, { index })),
    slot("else", "/else", node.else),
  ],
  collects: () => [],
  sends: () => [],
  uses: (node) => node.if.map((branch) => branch.field),
  enter: (node, run) => go(node.if.find((branch) => holds(branch, run.field(branch.field)))?.next ?? node.else),
});
