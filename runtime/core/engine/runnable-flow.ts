/**
 * A flow prepared for running: what the engine needs to look up on every turn (which fields are
 * personal, each field's input format, the menu) computed once per flow version.
 */
import { fieldLabel } from "../dsl/field-labels.ts";
import { type Flow, type InputNode, isCustomMenuItem, menuItemId } from "../dsl/flow.ts";
import type { KnowledgeBase } from "../dsl/knowledge-base.generated.ts";
import { prepareKnowledgeBase, type RunnableKnowledgeBase } from "../faq/runnable-knowledge-base.ts";
import { buildFlowGraph } from "../validate/flow-graph.ts";
import { indexFields } from "../validate/personal-fields-index.ts";
import type { InputFormat } from "./conversation.ts";

export interface MenuEntry {
  id: string;
  /** Custom items carry their label; built-ins are labelled in the conversation's language. */
  label?: string;
  goto?: string;
}

export interface RunnableFlow {
  flow: Flow;
  version: string;
  personalFields: ReadonlySet<string>;
  /** The input that collects a field, for re-checking corrections by its format. */
  inputFor: ReadonlyMap<string, InputNode>;
  /** The four built-ins always, whatever the flow says (docs/privacy.md#fixed-main-menu), then the custom items. */
  menu: readonly MenuEntry[];
  /** The knowledge bases the flow's `faq` steps answer from, as published with this version, by name. */
  knowledgeBases: ReadonlyMap<string, RunnableKnowledgeBase>;
  /** Whether a `handover` step shows the conversation before it to the agent, so the state keeps it. */
  keepsHistory: boolean;
}


const builtInMenu: readonly MenuEntry[] = [{ id: "privacy" }, { id: "imprint" }, { id: "my-data" }, { id: "unsubscribe" }];

/**
 * Prepares a flow for the engine. Works on any schema-valid flow, also one that never passed
 * the validator's rules: the engine's guards do not rely on them.
 *
 * @example
 * const runnable = prepareFlow(flow, "sha256:…", { service: knowledgeBase }); // knowledge bases of its faq steps
 * const { state, messages } = startConversation(runnable, { channel: "web" }, context);
 */
export function prepareFlow(flow: Flow, version: string, knowledgeBases: Readonly<Record<string, KnowledgeBase>> = {}): RunnableFlow {
  const fields = indexFields(buildFlowGraph(flow), flow.fields);
  const personalFields = new Set([...fields].filter(([, use]) => use.personal).map(([field]) => field));
  const inputFor = new Map<string, InputNode>();
  for (const node of Object.values(flow.nodes)) {
    if (node.type === "input" && !inputFor.has(node.field)) inputFor.set(node.field, node);
  }
  const custom = (flow.menu ?? []).filter(isCustomMenuItem).map((item) => ({ id: menuItemId(item), label: item.label, goto: item.goto }));
  const prepared = new Map(Object.entries(knowledgeBases).map(([name, knowledgeBase]) => [name, prepareKnowledgeBase(name, knowledgeBase)]));
  const keepsHistory = Object.values(flow.nodes).some((node) => node.type === "handover" && node.history === true);
  return { flow, version, personalFields, inputFor, menu: [...builtInMenu, ...custom], knowledgeBases: prepared, keepsHistory };
}

/** What visitors see for a field in the conversation's language (docs/flows.md#field-labels). */
export function labelOf(runnable: RunnableFlow, field: string): string {
  return fieldLabel(runnable.flow, field);
}

export function formatOf(runnable: RunnableFlow, field: string): InputFormat {
  return runnable.inputFor.get(field)?.format ?? "text";
}
