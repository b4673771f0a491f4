/**
 * What changed between two versions of a flow, in the editor's words: steps added, removed or
 * changed (which settings, old and new text), and changed flow settings. The YAML line diff stays
 * available for developers; this is the view for everyone else.
 */
import { parse } from "yaml";
import { labelOf } from "../i18n/field-labels.ts";
import { type MessageKey, t } from "../i18n/messages.ts";
import type { UiLanguage } from "../i18n/ui-language.ts";
import { stepName } from "./problem-places.ts";

export interface FieldChange {
  label: string;
  before?: string;
  after?: string;
}

export interface Change {
  kind: "added" | "removed" | "changed";
  /** The step or setting, in words. */
  where: string;
  fields: FieldChange[];
}

type Value = Record<string, unknown>;

function isObject(value: unknown): value is Value {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function read(text: string): Value {
  try {
    const value: unknown = parse(text);
    return isObject(value) ? value : {};
  } catch {
    return {};
  }
}

function shown(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

const settingKeys: Record<string, MessageKey> = { title: "title", language: "flowLanguage", privacy: "privacy", menu: "menu", start: "startStep", flow: "technicalId" };

export function describeChanges(beforeText: string, afterText: string, lang: UiLanguage): Change[] {
  const before = read(beforeText);
  const after = read(afterText);
  const changes: Change[] = [];
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (key === "nodes" || key === "layout" || same(before[key], after[key])) continue;
    const label = settingKeys[key] ? t(lang, settingKeys[key]) : key;
    const inner = isObject(before[key]) || isObject(after[key]);
    changes.push({ kind: "changed", where: label, fields: inner ? [] : [{ label, ...optional("before", shown(before[key])), ...optional("after", shown(after[key])) }] });
  }
  const oldNodes = isObject(before.nodes) ? before.nodes : {};
  const newNodes = isObject(after.nodes) ? after.nodes : {};
  for (const id of new Set([...Object.keys(oldNodes), ...Object.keys(newNodes)])) {
    const old = oldNodes[id];
    const now = newNodes[id];
    if (old === undefined) changes.push({ kind: "added", where: stepName(id, now, lang), fields: [] });
    else if (now === undefined) changes.push({ kind: "removed", where: stepName(id, old, lang), fields: [] });
    else if (!same(old, now) && isObject(old) && isObject(now)) {
      const fields: FieldChange[] = [];
      for (const property of new Set([...Object.keys(old), ...Object.keys(now)])) {
        if (property === "type" || same(old[property], now[property])) continue;
        fields.push({ label: labelOf(property, lang), ...optional("before", shown(old[property])), ...optional("after", shown(now[property])) });
      }
      changes.push({ kind: "changed", where: stepName(id, now, lang), fields });
    }
  }
  return changes;
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
