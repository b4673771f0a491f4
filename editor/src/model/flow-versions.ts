/**
 * Published versions in words for the results, analytics and funnel views: "Version 3 ·
 * 22.11.2026" instead of a `sha256:` hash, and each version's steps and fields, read from the
 * YAML it was published with.
 */
import { parse } from "yaml";
import type { PublishedVersion } from "../api/editor-api.ts";
import type { UiLanguage } from "../i18n/ui-language.ts";

export interface VersionInWords {
  version: string;
  /** 1 for the first publication. */
  number: number;
  at: string;
  /** "Version 3 · 22.11.2026". */
  label: string;
  live: boolean;
  /** The flow as published (its `nodes`, `fields`, `language`). */
  flow: { nodes?: Record<string, unknown>; fields?: Record<string, unknown>; language?: string; start?: string };
}

export function formatDay(iso: string, lang: UiLanguage): string {
  return new Date(iso).toLocaleDateString(lang === "de" ? "de-DE" : "en-GB", { day: "2-digit", month: "2-digit", year: "numeric" });
}

/** The history (newest first, as the API answers) by version; a version published twice keeps its first number. */
export function versionsInWords(history: readonly PublishedVersion[], lang: UiLanguage): Map<string, VersionInWords> {
  const byVersion = new Map<string, VersionInWords>();
  const oldestFirst = [...history].sort((a, b) => a.at.localeCompare(b.at));
  let number = 0;
  for (const entry of oldestFirst) {
    if (byVersion.has(entry.version)) continue;
    number += 1;
    let flow: VersionInWords["flow"] = {};
    try {
      const parsed = parse(entry.yaml) as unknown;
      if (parsed && typeof parsed === "object") flow = parsed as VersionInWords["flow"];
    } catch {
      // A version that does not parse any more is shown by its number only.
    }
    byVersion.set(entry.version, { version: entry.version, number, at: entry.at, label: `Version ${number} · ${formatDay(entry.at, lang)}`, live: entry.live, flow });
  }
  return byVersion;
}

/** The flow as a parsed YAML text (the draft), for steps and fields of a version without history (published at start-up). */
export function parsedFlow(text: string): VersionInWords["flow"] {
  try {
    const parsed = parse(text) as unknown;
    return parsed && typeof parsed === "object" ? (parsed as VersionInWords["flow"]) : {};
  } catch {
    return {};
  }
}

/** A version's label: "Version 3 · 22.11.2026", or, for one published without the team's publish step (at start-up), in words without a number. */
export function versionLabel(versions: ReadonlyMap<string, VersionInWords>, version: string, lang: UiLanguage): string {
  return versions.get(version)?.label ?? (lang === "de" ? "Veröffentlichte Version" : "Published version");
}
