/**
 * The `# yaml-language-server: $schema=<path>` comment that gives editors the JSON Schema
 * (docs/ci.md#vs-code-schema). A relative path that leads to no file leaves the editor without
 * completion and checks, silently: most often a flow copied from Botschaft's examples into a flow
 * repository, where `../schemas/` does not exist. `validate` warns and names the path that works
 * from that file: the schemas of the Botschaft that runs, which in a flow repository is the
 * installed package (`node_modules/botschaft/schemas/`).
 */
import { stat } from "node:fs/promises";
import { dirname, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { isKnowledgeBaseFileName, type Language, type Problem } from "../core/index.ts";

/** `schemas/` of this Botschaft: two levels up from runtime/cli/, dist/runtime/ and the package's lib/cli/ alike. */
const schemasDir = fileURLToPath(new URL("../../schemas/", import.meta.url));

const modeline = /^#\s*yaml-language-server:\s*\$schema=(\S+)/m;

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** A warning when the file's `$schema` comment names a relative path that does not exist; URLs are not fetched. */
export async function schemaCommentProblem(file: string, source: string, lang: Language): Promise<Problem | undefined> {
  const match = modeline.exec(source);
  const path = match?.[1];
  if (match === null || path === undefined || /^[a-z][a-z0-9+.-]*:/i.test(path)) return undefined;
  if (await exists(resolve(dirname(file), path))) return undefined;
  const before = source.slice(0, match.index);
  const line = before.split("\n").length;
  const column = match[0].length - path.length + 1;
  const schema = `${schemasDir}${isKnowledgeBaseFileName(file) ? "knowledge-base.schema.json" : "flow.schema.json"}`;
  const suggestion = relative(dirname(resolve(file)), schema).split(sep).join("/");
  const message =
    lang === "de"
      ? `Der $schema-Pfad "${path}" führt von dieser Datei aus ins Leere, so können Editoren die Datei weder prüfen noch vervollständigen. Von hier aus lautet er "${suggestion}".`
      : `The $schema path "${path}" leads to no file from here, so editors can neither check nor complete this file. From here it is "${suggestion}".`;
  return { rule: "schema", severity: "warning", pointer: "", message, line, column };
}
