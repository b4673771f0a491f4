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
  /** What the step does, in a sentence (palette tooltip, form header). */
  description: Record<UiLanguage, string>;
  /** The property whose value is shown as the box's first line. */
  firstLine: string;
  /** A label for a handle, where the slot alone does not say enough (which option, which test). */
  label?(node: NodeValue, slot: EdgeSlot, lang: UiLanguage): string | undefined;
  /** The content of a freshly dragged-in node (without `type`); texts in the flow's language. */
  template(flowLanguage: UiLanguage): NodeValue;
}

function list(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.map((item) => (typeof item === "object" && item !== null ? (item as Record<string, unknown>) : {})) : [];
}

function plain(value: unknown): string {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? String(value) : "";
}

const testWords: Record<"equals" | "matches" | "lt" | "gt", Record<UiLanguage, string>> = {
  equals: { de: "ist", en: "equals" },
  matches: { de: "passt auf", en: "matches" },
  lt: { de: "<", en: "<" },
  gt: { de: ">", en: ">" },
};

/** A condition's test in words: `thema ist akku`, `email vorhanden`, `email fehlt`. */
function conditionLabel(branch: Record<string, unknown>, lang: UiLanguage = "en"): string {
  const field = plain(branch.field);
  if (branch.exists !== undefined) {
    const given = branch.exists !== false;
    if (lang === "de") return `${field} ${given ? "vorhanden" : "fehlt"}`;
    return `${field} exists ${given}`;
  }
  for (const test of ["equals", "matches", "lt", "gt"] as const) {
    if (branch[test] !== undefined) return `${field} ${testWords[test][lang]} ${plain(branch[test])}`;
  }
  return field;
}

export const nodePresentations: { readonly [T in NodeType]: NodePresentation } = {
  message: {
    icon: "✉",
    color: "#2f6fdf",
    title: { de: "Nachricht", en: "Message" },
    description: { de: "Der Bot schreibt eine Nachricht.", en: "The bot writes a message." },
    firstLine: "text",
    template: (lang) => ({ text: lang === "de" ? "Neue Nachricht" : "New message" }),
  },
  choice: {
    icon: "☰",
    color: "#7a4fd6",
    title: { de: "Auswahl", en: "Choice" },
    description: { de: "Der Bot stellt eine Frage mit Knöpfen zur Auswahl; jeder Knopf führt weiter zu einem eigenen Schritt.", en: "The bot asks a question with buttons to choose from; each button leads to its own step." },
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
    description: { de: "Der Bot fragt nach einer Angabe (z. B. E-Mail-Adresse) und prüft die Antwort.", en: "The bot asks for a detail (e.g. an e-mail address) and checks the answer." },
    firstLine: "text",
    template: (lang) => ({ text: lang === "de" ? "Wie heißen Sie?" : "What is your name?", field: "name" }),
  },
  consent: {
    icon: "✔",
    color: "#c07a00",
    title: { de: "Einwilligung", en: "Consent" },
    description: { de: "Der Bot bittet um die Einwilligung, bevor er persönliche Angaben speichert oder weitergibt.", en: "The bot asks for consent before it stores or passes on personal details." },
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
    description: { de: "Geht je nach einer gespeicherten Angabe unterschiedlich weiter.", en: "Continues differently depending on a stored detail." },
    firstLine: "if",
    label: (node, slot, lang) => {
      const branch = slot.index === undefined ? undefined : list(node.if)[slot.index];
      return branch && conditionLabel(branch, lang);
    },
    template: () => ({ if: [{ field: "answer", exists: true }] }),
  },
  set: {
    icon: "≔",
    color: "#4b5563",
    title: { de: "Angaben setzen", en: "Set details" },
    description: { de: "Speichert feste Werte, z. B. ein Thema, ohne etwas zu sagen.", en: "Stores fixed values, e.g. a topic, without saying anything." },
    firstLine: "set",
    template: () => ({ set: { topic: "general" } }),
  },
  webhook: {
    icon: "⇄",
    color: "#b42318",
    title: { de: "An System senden", en: "Send to a system" },
    description: { de: "Schickt ausgewählte Angaben an ein anderes System, z. B. Ihr CRM oder Ihr Newsletter-Programm, und kann dessen Antwort übernehmen.", en: "Sends chosen details to another system, e.g. your CRM or newsletter tool, and can take over its reply." },
    firstLine: "url",
    template: () => ({ url: "https://example.com/hook", sends: [] }),
  },
  faq: {
    icon: "?",
    color: "#9d174d",
    title: { de: "Frage beantworten", en: "Answer a question" },
    description: { de: "Beantwortet Fragen in eigenen Worten aus einer Wissensdatenbank.", en: "Answers questions asked in plain words from a knowledge base." },
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
    description: { de: "Übergibt das Gespräch an eine Person im Kundenservice.", en: "Hands the conversation over to a person in customer service." },
    firstLine: "text",
    template: (lang) => ({ text: lang === "de" ? "Ich verbinde Sie mit einem Menschen." : "Connecting you to a human." }),
  },
  end: {
    icon: "■",
    color: "#111827",
    title: { de: "Ende", en: "End" },
    description: { de: "Beendet das Gespräch, optional mit einem Abschiedstext.", en: "Ends the conversation, optionally with a goodbye." },
    firstLine: "text",
    template: () => ({}),
  },
};

export const nodeTypes = Object.keys(nodePresentations) as NodeType[];

export function isNodeType(value: unknown): value is NodeType {
  return typeof value === "string" && Object.hasOwn(nodePresentations, value);
}

/** The box's first line: the text, purpose or URL, or a short summary for structured values. */
/** An integration preset's step in words on its box (the form's words are in IntegrationForm.tsx). */
const presetLines: Record<string, Record<UiLanguage, string>> = {
  email: { de: "E-Mail an das Team", en: "E-mail to the team" },
  brevo: { de: "Newsletter: Brevo", en: "Newsletter: Brevo" },
  cleverreach: { de: "Newsletter: CleverReach", en: "Newsletter: CleverReach" },
};

export function firstLineOf(type: NodeType, node: NodeValue, lang: UiLanguage = "en"): string {
  const preset = type === "webhook" ? (node.integration as { preset?: unknown } | undefined)?.preset : undefined;
  if (typeof preset === "string" && presetLines[preset]) return presetLines[preset][lang];
  const value = node[nodePresentations[type].firstLine];
  if (typeof value === "string") return value.split("\n")[0] ?? "";
  if (Array.isArray(value)) return value.map((item) => (typeof item === "object" && item ? conditionLabel(item as Record<string, unknown>, lang) : plain(item))).join(", ");
  if (typeof value === "object" && value !== null) return Object.keys(value).join(", ");
  return "";
}

/** The handles of a node's box: one per edge slot of its core definition, connected or not. */
export function outletsOf(type: NodeType, node: NodeValue, lang: UiLanguage = "en"): Outlet[] {
  const presentation: NodePresentation = nodePresentations[type];
  return slotsOf(type, node).map((slot) => {
    const label = presentation.label?.(node, slot, lang);
    return label === undefined ? { pointer: slot.pointer, kind: slot.kind } : { pointer: slot.pointer, kind: slot.kind, label };
  });
}
