/**
 * Problems the CLI finds before the core sees any bytes: a path that does not exist, a
 * directory without flows, a file that is too large or cannot be read, and the CLI's own bugs.
 * They use rule `schema` (the file cannot be read as a flow) at 1:1, so every output format and
 * every consumer of `--json` handles them like any other problem.
 */
import type { Language, Problem } from "../core/index.ts";

export type InputIssue =
  | { kind: "not-found" }
  | { kind: "no-flow-files" }
  | { kind: "not-a-file" }
  | {
      kind: "too-large";
      /** Unknown when the file grew past the limit while it was being read. */
      bytes?: number;
      limit: number;
    }
  | { kind: "unreadable"; reason: string }
  | { kind: "internal-error"; reason: string };

/** Rounded up to a tenth, so a file just over the limit never reads as equal to it. */
function mebibytes(bytes: number, lang: Language): string {
  const tenths = Math.ceil((bytes / 2 ** 20) * 10) / 10;
  return `${tenths.toLocaleString(lang, { maximumFractionDigits: 1 })} MiB`;
}

function messages(issue: InputIssue): Record<Language, string> {
  switch (issue.kind) {
    case "not-found":
      return { en: "There is no file or directory here.", de: "Hier gibt es keine Datei und kein Verzeichnis." };
    case "no-flow-files":
      return {
        en: "This directory contains no flow files (*.yaml, *.yml).",
        de: "Dieses Verzeichnis enthält keine Flow-Dateien (*.yaml, *.yml).",
      };
    case "not-a-file":
      return { en: "This is not a regular file.", de: "Das ist keine reguläre Datei." };
    case "too-large": {
      const [limitEn, limitDe] = [mebibytes(issue.limit, "en"), mebibytes(issue.limit, "de")];
      if (issue.bytes === undefined) {
        return {
          en: `The file is larger than ${limitEn}, the most a flow may be.`,
          de: `Die Datei ist größer als ${limitDe}, das Höchstmaß für einen Flow.`,
        };
      }
      return {
        en: `The file is ${mebibytes(issue.bytes, "en")}; flows may be at most ${limitEn}.`,
        de: `Die Datei ist ${mebibytes(issue.bytes, "de")} groß; Flows dürfen höchstens ${limitDe} groß sein.`,
      };
    }
    case "unreadable":
      return {
        en: `This cannot be read (${issue.reason}).`,
        de: `Das kann nicht gelesen werden (${issue.reason}).`,
      };
    case "internal-error":
      return {
        en: `Internal error while checking this file, a bug in Botschaft; please report it: ${issue.reason}`,
        de: `Interner Fehler beim Prüfen dieser Datei, ein Fehler in Botschaft; bitte melden: ${issue.reason}`,
      };
  }
}

export function inputProblem(issue: InputIssue, lang: Language): Problem {
  return { rule: "schema", severity: "error", pointer: "", message: messages(issue)[lang], line: 1, column: 1 };
}

/** What a failed file-system call means for the user: not there, or not readable and why (`EACCES`). */
export function fileSystemIssue(error: unknown): InputIssue {
  const code = error instanceof Error && "code" in error && typeof error.code === "string" ? error.code : undefined;
  if (code === "ENOENT") return { kind: "not-found" };
  return { kind: "unreadable", reason: code ?? (error instanceof Error ? error.message : String(error)) };
}
