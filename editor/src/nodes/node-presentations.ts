/**
 * The editor's plug-in point per node type: how a type looks (icon, colour, title), which
 * property is its "first line", how its handles are labelled and what a new node of the type
 * contains. Which handles (outlets) a node has comes from the core: one per edge slot of its
 * definition, connected or not. A test checks every core type has an entry here.
 */
import { type EdgeKind, type EdgeSlot, type NodeType, slotsOf } from "../../../runtime/core/index.ts";
import type { UiLanguage } from "../i18n/ui-language.ts";

/** One handle on a node's box: the reference property it writes (a JSON pointer below the node). */
export interface Outlet {
  pointer: string;
  kind: EdgeKind;
  /** A label for the handle (a choice option's label, a condition's test); plain text. */
  label?: string;
}

export type NodeValue = Record<string, unknown>;

export interface NodePresentation {
  /** A symbol every common font has (no emoji: kiosk and Linux fonts often lack them). */
  icon: string;
  color: string;
  title: Record<UiLanguage, string>;
  /** The property whose value is shown as the box's first line. */
  firstLine: string;
  /** A label for a handle, where the slot alone does not say enough (which option, which test). */
  label?(node: NodeValue, slot: EdgeSlot): string | undefined;
  /** The content of a freshly dragged-in node (without `type`); texts in the flow's language. */
  template(flowLanguage: UiLanguage): NodeValue;
}

function list(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.map((item) => (typeof item === "object" && item !== null ? (item as Record<string, unknown>) : {})) : [];
}

function plain(value: unknown): string {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? String(value) : "";
}

function conditionLabel(branch: Record<string, unknown>): string {
  const field = plain(branch.field);
  for (const test of ["exists", "equals", "matches", "lt", "gt"] as const) {
    if (branch[test] !== undefined) return `${field} ${test} ${plain(branch[test])}`;
  }
  return field;
}

export const nodePresentations: { readonly [T in NodeType]: NodePresentation } = {
  message: {
    icon: "✉",
    color: "#2f6fdf",
    title: { de: "Nachricht", en: "Message" },
    firstLine: "text",
    template: (lang) => ({ text: lang === "de" ? "Neue Nachricht" : "New message" }),
  },
  choice: {
    icon: "☰",
    color: "#7a4fd6",
    title: { de: "Auswahl", en: "Choice" },
    firstLine: "text",
    label: (node, slot) => (slot.index === undefined ? undefined : plain(list(node.options)[slot.index]?.label)),
    template: (lang) => ({
      text: lang === "de" ? "Was möchten Sie tun?" : "What would you like to do?",
      options: [{ label: lang === "de" ? "Option 1" : "Option 1" }, { label: lang === "de" ? "Option 2" : "Option 2" }],
    }),
  },
  input: {
    icon: "⌨",
    color: "#0f8a6a",
    title: { de: "Eingabe", en: "Input" },
    firstLine: "text",
    template: (lang) => ({ text: lang === "de" ? "Wie heißen Sie?" : "What is your name?", field: "name" }),
  },
  consent: {
    icon: "✔",
    color: "#c07a00",
    title: { de: "Einwilligung", en: "Consent" },
    firstLine: "purpose",
    template: (lang) => ({
      purpose: lang === "de" ? "Bearbeitung Ihrer Anfrage" : "Handling your request",
      covers: ["name"],
      text: lang === "de" ? "Dürfen wir Ihre Angaben speichern, um Ihre Anfrage zu bearbeiten?" : "May we store your details to handle your request?",
    }),
  },
  condition: {
    icon: "◇",
    color: "#6b7280",
    title: { de: "Bedingung", en: "Condition" },
    firstLine: "if",
    label: (node, slot) => {
      const branch = slot.index === undefined ? undefined : list(node.if)[slot.index];
      return branch && conditionLabel(branch);
    },
    template: () => ({ if: [{ field: "answer", exists: true }] }),
  },
  set: {
    icon: "≔",
    color: "#4b5563",
    title: { de: "Felder setzen", en: "Set fields" },
    firstLine: "set",
    template: () => ({ set: { topic: "general" } }),
  },
  webhook: {
    icon: "⇄",
    color: "#b42318",
    title: { de: "Webhook", en: "Webhook" },
    firstLine: "url",
    template: () => ({ url: "https://example.com/hook", sends: [] }),
  },
  faq: {
    icon: "?",
    color: "#9d174d",
    title: { de: "Frage beantworten", en: "Answer a question" },
    firstLine: "knowledgeBase",
    template: (lang) => ({
      text: lang === "de" ? "Was möchten Sie wissen? Schreiben Sie Ihre Frage einfach in eigenen Worten." : "What would you like to know? Just type your question.",
      knowledgeBase: "service",
    }),
  },
  handover: {
    icon: "☎",
    color: "#0e7490",
    title: { de: "An Mensch übergeben", en: "Hand over to a human" },
    firstLine: "text",
    template: (lang) => ({ text: lang === "de" ? "Ich verbinde Sie mit einem Menschen." : "Connecting you to a human." }),
  },
  end: {
    icon: "■",
    color: "#111827",
    title: { de: "Ende", en: "End" },
    firstLine: "text",
    template: () => ({}),
  },
};

export const nodeTypes = Object.keys(nodePresentations) as NodeType[];

export function isNodeType(value: unknown): value is NodeType {
  return typeof value === "string" && Object.hasOwn(nodePresentations, value);
}

/** The box's first line: the text, purpose or URL, or a short summary for structured values. */
export function firstLineOf(type: NodeType, node: NodeValue): string {
  const value = node[nodePresentations[type].firstLine];
  if (typeof value === "string") return value.split("\n")[0] ?? "";
  if (Array.isArray(value)) return value.map((item) => (typeof item === "object" && item ? conditionLabel(item as Record<string, unknown>) : plain(item))).join(", ");
  if (typeof value === "object" && value !== null) return Object.keys(value).join(", ");
  return "";
}

/** The handles of a node's box: one per edge slot of its core definition, connected or not. */
export function outletsOf(type: NodeType, node: NodeValue): Outlet[] {
  const presentation: NodePresentation = nodePresentations[type];
  return slotsOf(type, node).map((slot) => {
    const label = presentation.label?.(node, slot);
    return label === undefined ? { pointer: slot.pointer, kind: slot.kind } : { pointer: slot.pointer, kind: slot.kind, label };
  });
}
