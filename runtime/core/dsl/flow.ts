/**
 * The DSL's types, derived from `schemas/` (see flow.generated.ts), plus small helpers every
 * part needs: node-type narrowing and the built-in menu items.
 */
import type { BuiltInMenuItem, CustomMenuItem, Flow, FlowNode } from "./flow.generated.ts";

export type * from "./flow.generated.ts";

export type NodeType = FlowNode["type"];
export type NodeOfType<T extends NodeType> = Extract<FlowNode, { type: T }>;
export type MenuItem = NonNullable<Flow["menu"]>[number];

/** docs/privacy.md#fixed-main-menu: the fixed menu items no flow can remove. */
export const builtInMenuItems: readonly BuiltInMenuItem[] = ["privacy", "imprint", "my-data", "unsubscribe"];

export function isCustomMenuItem(item: MenuItem): item is CustomMenuItem {
  return typeof item === "object";
}

/** A custom item's stable id: its `id`, else the node it jumps to. */
export function menuItemId(item: CustomMenuItem): string {
  return item.id ?? item.goto;
}
