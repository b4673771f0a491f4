/**
 * Problems in the words of the person editing: which step or setting a problem is about (named
 * by what it says, not by its id), a schema message rewritten as what to fill in, and the JSON
 * pointer of the form field that fixes it (the side panel focuses it on a click). Also the rules
 * on an unfinished flow: empty settings are filled with stand-ins for the privacy rules only, so a
 * missing consent shows while the controller's address is still empty.
 */
import { checkFlowValue, type CheckValueOptions, type CheckValueResult, type Flow, fieldLabel, type NodeType, type UnlocatedProblem } from "../../../runtime/core/index.ts";
import { labelOf } from "../i18n/field-labels.ts";
import { type MessageKey, t } from "../i18n/messages.ts";
import type { UiLanguage } from "../i18n/ui-language.ts";
import { firstLineOf, isNodeType, nodePresentations } from "../nodes/node-presentations.ts";

type Value = Record<string, unknown>;

function isObject(value: unknown): value is Value {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function segments(pointer: string): string[] {
  return pointer === "" ? [] : pointer.slice(1).split("/").map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function valueAt(value: unknown, pointer: string): unknown {
  let current = value;
  for (const segment of segments(pointer)) {
    if (Array.isArray(current)) current = current[Number(segment)];
    else if (isObject(current) && Object.hasOwn(current, segment)) current = current[segment];
    else return undefined;
  }
  return current;
}

function clip(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

/** A step in words: its kind and what it says, e.g. `Eingabe „Wie lautet Ihre E-Mail-Adresse?“`. */
export function stepName(id: string, node: unknown, lang: UiLanguage): string {
  if (!isObject(node) || !isNodeType(node.type)) return id;
  const type: NodeType = node.type;
  const line = firstLineOf(type, node, lang).trim();
  const title = nodePresentations[type].title[lang];
  const [open, close] = lang === "de" ? ["„", "“"] : ["“", "”"];
  return line === "" ? `${title} (${id})` : `${title} ${open}${clip(line, 48)}${close}`;
}

/** Settings of the flow by pointer: the label of the form field that holds them. */
const settingLabels: Record<string, MessageKey> = {
  "/title": "title",
  "/language": "flowLanguage",
  "/flow": "technicalId",
  "/start": "startStep",
  "/privacy": "privacy",
  "/privacy/controller": "privacy",
  "/privacy/controller/name": "controllerName",
  "/privacy/controller/address": "controllerAddress",
  "/privacy/controller/email": "controllerEmail",
  "/privacy/controller/dpo": "controllerDpo",
  "/privacy/policyUrl": "policyUrl",
  "/privacy/imprintUrl": "imprintUrl",
  "/privacy/retention": "retention",
  "/menu": "menu",
};

/** What to fill in, per setting, when it is empty or not valid. */
const settingFixes: Record<string, MessageKey> = {
  "/privacy/controller/name": "fixControllerName",
  "/privacy/controller/address": "fixControllerAddress",
  "/privacy/controller/email": "fixControllerEmail",
  "/privacy/policyUrl": "fixPolicyUrl",
  "/privacy/imprintUrl": "fixImprintUrl",
  "/title": "fixTitle",
};

export interface ProblemPlace {
  /** The step or setting in words. */
  where: string;
  /** The message, rewritten for empty or missing values. */
  message: string;
  /** The node whose form holds the field, or none for the flow's settings. */
  node?: string;
  /** The pointer of the field to focus. */
  pointer: string;
}

const requiredPattern = /^'([^']+)' (?:fehlt hier|is missing here)\.$/;

/** A field's label as visitors see it (the flow's `fields:` block, else a well-known default), in the UI's language. */
export function labelOfField(flow: unknown, name: string, lang: UiLanguage): string {
  const value = isObject(flow) ? flow : {};
  const fields = isObject(value.fields) ? (value.fields as Flow["fields"]) : undefined;
  const language = value.language === "en" ? "en" : "de";
  return fieldLabel({ ...(fields ? { fields } : {}), language }, name, lang);
}

export function placeOf(problem: UnlocatedProblem, flow: unknown, lang: UiLanguage): ProblemPlace {
  const place = placeWithIds(problem, flow, lang);
  const nodes = isObject(flow) && isObject(flow.nodes) ? flow.nodes : {};
  return { ...place, message: stepsInWords(place.message, nodes, lang) };
}

/**
 * The validator's messages quote steps by id (`'subscribe-failed'`), as developers read them on
 * the command line; the editor names them in words, as the marketer knows them. A quoted id that
 * is no step of the flow (a `next` to nowhere) stays as written.
 */
function stepsInWords(message: string, nodes: Record<string, unknown>, lang: UiLanguage): string {
  return message.replace(/'([^'\s]+)'/g, (quoted, id: string) => (Object.hasOwn(nodes, id) && isObject(nodes[id]) ? stepName(id, nodes[id], lang) : quoted));
}

function placeWithIds(problem: UnlocatedProblem, flow: unknown, lang: UiLanguage): ProblemPlace {
  const parts = segments(problem.pointer);
  const nodes = isObject(flow) && isObject(flow.nodes) ? flow.nodes : {};
  let message = problem.message;
  const about = problem.node ?? (parts[0] === "nodes" ? parts[1] : undefined);
  const aboutNode = about === undefined ? undefined : nodes[about];
  const field = problem.field === undefined ? undefined : labelOfField(flow, problem.field, lang);
  if (field !== undefined && problem.rule === "consent-missing") {
    message = t(lang, isObject(aboutNode) && aboutNode.type === "webhook" ? "consentMissingSends" : "consentMissingStores", { field });
  } else if (field !== undefined && problem.rule === "unused-personal") message = t(lang, "unusedPersonal", { field });
  if (parts[0] === "nodes" && parts[1] !== undefined) {
    const id = parts[1];
    const step = stepName(id, nodes[id], lang);
    const property = parts.slice(2).find((part) => !/^\d+$/.test(part));
    const required = problem.rule === "schema" ? requiredPattern.exec(problem.message) : null;
    if (required?.[1]) {
      message = t(lang, "fixRequired", { field: labelOf(required[1], lang) });
      return { where: step, message, node: id, pointer: `${problem.pointer}/${required[1]}` };
    }
    if (problem.rule === "schema" && property && valueAt(flow, problem.pointer) === "") message = t(lang, "fixEmpty");
    const where = property ? `${step} › ${labelOf(property, lang)}` : step;
    return { where, message, node: id, pointer: problem.pointer };
  }
  if (problem.node !== undefined && isObject(nodes[problem.node])) {
    const node = nodes[problem.node] as Value;
    return { where: stepName(problem.node, node, lang), message, node: problem.node, pointer: `/nodes/${problem.node}` };
  }
  let key = problem.pointer;
  if (parts[0] === "menu") key = "/menu";
  while (key !== "" && !settingLabels[key]) key = key.slice(0, key.lastIndexOf("/"));
  const label = settingLabels[key];
  const required = problem.rule === "schema" ? requiredPattern.exec(problem.message) : null;
  const pointer = required?.[1] ? `${problem.pointer}/${required[1]}` : problem.pointer;
  const fix = settingFixes[pointer];
  if (fix && (problem.rule === "schema" || problem.rule === "privacy-urls" || valueAt(flow, pointer) === "")) message = t(lang, fix);
  const where = label ? (key.startsWith("/privacy/") && key !== "/privacy/controller" ? `${t(lang, "privacy")} › ${t(lang, label)}` : t(lang, label)) : t(lang, "flowSettings");
  return { where, message, pointer };
}

/** Stand-ins that pass the schema, for values that are still empty while the flow is written. */
function standIn(pointer: string): string {
  if (/email$/i.test(pointer)) return "stand-in@example.org";
  if (/url$/i.test(pointer)) return "https://example.org/";
  return "…";
}

function withValue(value: unknown, parts: string[], replacement: unknown): unknown {
  if (parts.length === 0) return replacement;
  const [head, ...rest] = parts as [string, ...string[]];
  if (Array.isArray(value)) return value.map((item, index) => (String(index) === head ? withValue(item, rest, replacement) : item));
  if (isObject(value)) return { ...value, [head]: withValue(value[head], rest, replacement) };
  return value;
}

/**
 * The validator on a flow that may be unfinished: schema problems as they are, and when the only
 * schema problems are empty texts, the rules too (on a copy with stand-ins for the empty texts).
 */
export function checkUnfinishedFlow(value: unknown, options: CheckValueOptions): CheckValueResult {
  const result = checkFlowValue(value, options);
  if (result.flow) return result;
  const empties = result.problems.filter((problem) => problem.rule === "schema" && typeof valueAt(value, problem.pointer) === "string");
  if (empties.length === 0 || empties.length !== result.problems.length) return result;
  let patched = value;
  for (const problem of empties) patched = withValue(patched, segments(problem.pointer), standIn(problem.pointer));
  const second = checkFlowValue(patched, options);
  if (!second.flow) return result;
  const patchedPointers = new Set(empties.map((problem) => problem.pointer));
  const rules = second.problems.filter((problem) => !patchedPointers.has(problem.pointer));
  return { problems: [...result.problems, ...rules] };
}
