/**
 * Which fields of a flow are personal, and which nodes store, send and read each field.
 * A node's explicit `personal` flag and the flow's `fields:` block win (true over false when they
 * disagree); otherwise the field name decides (docs/flows.md#personal-fields).
 */
import type { Flow } from "../dsl/flow.ts";
import { isPersonalFieldName } from "../dsl/personal-fields.ts";
import { definitionOf } from "../nodes/index.ts";
import type { FlowGraph } from "./flow-graph.ts";

export interface FieldUse {
  /** Nodes that store the field. */
  collectedBy: number[];
  /** Nodes that send the field to a third party. */
  sentBy: number[];
  /** Whether any node reads the field. */
  used: boolean;
  personal: boolean;
}

export function indexFields(graph: FlowGraph, declared: Flow["fields"] = undefined): Map<string, FieldUse> {
  const fields = new Map<string, FieldUse>();
  const flags = new Map<string, boolean>();
  const entry = (field: string): FieldUse => {
    let use = fields.get(field);
    if (!use) {
      use = { collectedBy: [], sentBy: [], used: false, personal: false };
      fields.set(field, use);
    }
    return use;
  };
  graph.nodes.forEach((node, index) => {
    const definition = definitionOf(node);
    const flag = definition.personalFlag?.(node);
    for (const field of definition.collects(node)) {
      entry(field).collectedBy.push(index);
      if (flag !== undefined) flags.set(field, flags.get(field) === true || flag);
    }
    for (const field of definition.sends(node)) entry(field).sentBy.push(index);
    for (const field of definition.uses(node)) entry(field).used = true;
  });
  for (const [field, declaration] of Object.entries(declared ?? {})) {
    if (declaration.personal !== undefined && fields.has(field)) flags.set(field, flags.get(field) === true || declaration.personal);
  }
  for (const [field, use] of fields) use.personal = flags.get(field) ?? isPersonalFieldName(field);
  return fields;
}
