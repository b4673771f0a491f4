/**
 * JSON Schema validation of a flow document with ajv. The node union uses ajv's
 * `discriminator`, so a broken node yields one or two precise errors instead of a `oneOf`
 * flood; ajv's English messages are replaced by the catalog's plain German and English ones.
 */
import { Ajv, type CodeOptions, type ErrorObject, type ValidateFunction } from "ajv";
import { fullFormats } from "ajv-formats/dist/formats.js";
import commonSchema from "../../../schemas/common.schema.json" with { type: "json" };
import flowSchema from "../../../schemas/flow.schema.json" with { type: "json" };
import knowledgeBaseSchema from "../../../schemas/knowledge-base.schema.json" with { type: "json" };
import type { Flow } from "../dsl/flow.ts";
import type { KnowledgeBase } from "../dsl/knowledge-base.generated.ts";
import { escapePointerSegment, unescapePointerSegment } from "../dsl/json-pointer.ts";
import { nodeDefinitions } from "../nodes/index.ts";
import { message } from "./messages.ts";
import { precompiledFlowValidator, precompiledKnowledgeBaseValidator } from "./precompiled-validators.ts";
import type { Language, UnlocatedProblem } from "./problem.ts";

let compiled: ValidateFunction<Flow> | undefined;
let compiledKnowledgeBase: ValidateFunction<KnowledgeBase> | undefined;

/** The id under which `flowAjv` holds the flow schema. */
export const flowSchemaId = "flow.schema.json";

/**
 * The ajv instance that checks knowledge bases; `code` is for the build, which turns the compiled
 * check into source (ajv's standalone code, see `precompiled-validators.ts`).
 */
export function knowledgeBaseAjv(code?: CodeOptions): Ajv {
  return new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, ...(code ? { code } : {}) });
}

/** The ajv instance that checks flows, with the flow schema and every schema it refers to. */
export function flowAjv(code?: CodeOptions): Ajv {
  const ajv = new Ajv({ allErrors: true, discriminator: true, strict: true, strictRequired: false, allowUnionTypes: true, ...(code ? { code } : {}) });
  ajv.addFormat("email", fullFormats.email);
  ajv.addSchema(commonSchema, "common.schema.json");
  for (const definition of Object.values(nodeDefinitions)) {
    ajv.addSchema(definition.schema, `nodes/${definition.type}.schema.json`);
  }
  ajv.addSchema(flowSchema, flowSchemaId);
  return ajv;
}

function knowledgeBaseValidator(): ValidateFunction<KnowledgeBase> {
  compiledKnowledgeBase ??= (precompiledKnowledgeBaseValidator as ValidateFunction<KnowledgeBase> | undefined) ?? knowledgeBaseAjv().compile<KnowledgeBase>(knowledgeBaseSchema);
  return compiledKnowledgeBase;
}

/**
 * Compiled once per process (or browser tab): compilation costs far more than a validation. The
 * compiled CLI and runtime come with it compiled at build time.
 */
function flowValidator(): ValidateFunction<Flow> {
  compiled ??= (precompiledFlowValidator as ValidateFunction<Flow> | undefined) ?? (flowAjv().getSchema(flowSchemaId) as ValidateFunction<Flow>);
  return compiled;
}

const nodeTypes = Object.keys(nodeDefinitions);

/** Names for the values a `pattern` describes, by the schema path that holds it. */
function patternSubject(error: ErrorObject, lang: Language): string {
  const path = error.schemaPath;
  const [en, de] = path.includes("/entry/properties/id/")
    ? ["entry id (kebab-case, e.g. opening-hours)", "Eintrags-ID (kebab-case, z. B. opening-hours)"]
    : path.includes("nodeId") || path.includes("/next/")
    ? ["node id (letters, digits, - and _)", "Schritt-ID (Buchstaben, Ziffern, - und _)"]
    : path.includes("fieldName")
      ? ["field name (a letter, then letters, digits, - and _)", "Feldname (ein Buchstabe, dann Buchstaben, Ziffern, - und _)"]
      : path.includes("/flow/")
        ? ["flow id (kebab-case, e.g. callback-request)", "Flow-ID (kebab-case, z. B. callback-request)"]
        : path.includes("/url/")
          ? ["https: address without user:password@", "https:-Adresse ohne Benutzer:Passwort@"]
          : path.includes("/country/")
            ? ["country code (ISO 3166-1 alpha-2, e.g. DE)", "Ländercode (ISO 3166-1 alpha-2, z. B. DE)"]
            : ["value", "Wert"];
  return lang === "de" ? de : en;
}

const typeNames: Record<string, [string, string]> = {
  string: ["a text", "ein Text"],
  number: ["a number", "eine Zahl"],
  integer: ["a whole number", "eine ganze Zahl"],
  boolean: ["true or false", "true oder false"],
  object: ["a mapping (key: value)", "ein Mapping (Schlüssel: Wert)"],
  array: ["a list", "eine Liste"],
};

function describeType(type: unknown, lang: Language): string {
  const types = Array.isArray(type) ? type : [type];
  return types
    .map((name) => typeNames[String(name)]?.[lang === "de" ? 1 : 0] ?? String(name))
    .join(lang === "de" ? " oder " : " or ");
}

/** The value at a JSON pointer of the document (own properties only). */
function valueAt(document: unknown, pointer: string): unknown {
  let current = document;
  for (const segment of pointer.split("/").slice(1)) {
    const key = unescapePointerSegment(segment);
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function toProblem(error: ErrorObject, lang: Language, document: unknown): UnlocatedProblem {
  const pointer = error.instancePath;
  const problem = (text: string, at = pointer, atKey = false): UnlocatedProblem => ({
    rule: "schema",
    severity: "error",
    pointer: at,
    message: text,
    ...nodeIdOf(at),
    ...(atKey ? { atKey } : {}),
  });
  const params = error.params as Record<string, unknown>;
  // The one `not` in the schemas: node ids and field names that Object.prototype has (common.schema.json).
  if (error.keyword === "not") {
    const atKey = error.propertyName !== undefined;
    const at = atKey ? `${pointer}/${escapePointerSegment(error.propertyName as string)}` : pointer;
    const name = atKey ? (error.propertyName as string) : String(valueAt(document, pointer));
    return problem(message("schema-reserved-name", { name, kind: error.schemaPath.includes("nodeId") ? "node" : "field" }, lang), at, atKey);
  }
  if (error.propertyName !== undefined) {
    // A map key (node id, field name) that breaks its pattern: point at the key itself.
    return problem(message("schema-pattern", { what: patternSubject(error, lang) }, lang), `${pointer}/${escapePointerSegment(error.propertyName)}`, true);
  }
  switch (error.keyword) {
    case "required":
      return problem(message("schema-required", { property: String(params.missingProperty) }, lang));
    case "additionalProperties":
      return problem(
        message("schema-unknown-property", { property: String(params.additionalProperty) }, lang),
        `${pointer}/${escapePointerSegment(String(params.additionalProperty))}`,
        true,
      );
    case "type":
      return problem(message("schema-type", { expected: describeType(params.type, lang) }, lang));
    case "enum":
      return problem(message("schema-enum", { allowed: (params.allowedValues as unknown[]).map(String) }, lang));
    case "const":
      return problem(message("schema-enum", { allowed: [String(params.allowedValue)] }, lang));
    case "discriminator":
      return problem(message("schema-node-type", { types: nodeTypes }, lang), `${pointer}/type`);
    case "anyOf":
      return problem(message("schema-menu-item", undefined, lang));
    case "pattern":
    case "format":
      return problem(message("schema-pattern", { what: patternSubject(error, lang) }, lang));
    case "minLength":
    case "minItems":
    case "minProperties":
      return error.schemaPath.includes("/if/")
        ? problem(message("schema-one-test", undefined, lang))
        : problem(message("schema-too-short", { limit: Number(params.limit) }, lang));
    case "maxLength":
    case "maxItems":
    case "maxProperties":
      return error.schemaPath.includes("/if/")
        ? problem(message("schema-one-test", undefined, lang))
        : problem(message("schema-too-long", { limit: Number(params.limit) }, lang));
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return problem(message("schema-range", { comparison: String(params.comparison), limit: Number(params.limit) }, lang));
    case "uniqueItems":
      return problem(message("schema-duplicate-items", undefined, lang));
    default:
      return problem(message("schema-other", { detail: error.message ?? error.keyword }, lang));
  }
}

function nodeIdOf(pointer: string): { node?: string } {
  const match = /^\/nodes\/([^/]+)/.exec(pointer);
  return match?.[1] === undefined ? {} : { node: unescapePointerSegment(match[1]) };
}

/** Errors that only repeat another error at the same place (ajv reports both). */
function isRedundant(error: ErrorObject, all: readonly ErrorObject[]): boolean {
  if (error.keyword === "if" || error.keyword === "oneOf") return true;
  // A missing `type` is reported by `required` and again by the discriminator: keep one.
  if (error.keyword === "discriminator" && (error.params as { error?: string }).error === "tag") {
    return all.some((other) => other.keyword === "required" && other.instancePath === error.instancePath);
  }
  // The node's `type` enum (there so that editors offer every type) repeats the discriminator's error.
  if (error.keyword === "enum" && error.schemaPath.endsWith("/properties/type/enum") && /^\/nodes\/[^/]+\/type$/.test(error.instancePath)) return true;
  // The menu's anyOf reports both branches' errors and then its own summary: keep the summary.
  if (error.schemaPath.startsWith("#/properties/menu/items/anyOf/")) return true;
  // propertyNames reports the inner error (carrying `propertyName`) and then its own summary: keep the inner one.
  if (error.keyword === "propertyNames") return true;
  return false;
}

function schemaProblems(errors: readonly ErrorObject[], lang: Language, value: unknown): UnlocatedProblem[] {
  return errors.filter((error) => !isRedundant(error, errors)).map((error) => toProblem(error, lang, value));
}

/** The flow when `value` matches the schema, otherwise the schema problems. */
export function checkSchema(value: unknown, lang: Language): { flow?: Flow; problems: UnlocatedProblem[] } {
  const validate = flowValidator();
  if (validate(value)) return { flow: value, problems: [] };
  return { problems: schemaProblems(validate.errors ?? [], lang, value) };
}

/** The knowledge base when `value` matches `schemas/knowledge-base.schema.json`, otherwise the schema problems. */
export function checkKnowledgeBaseSchema(value: unknown, lang: Language): { knowledgeBase?: KnowledgeBase; problems: UnlocatedProblem[] } {
  const validate = knowledgeBaseValidator();
  if (validate(value)) return { knowledgeBase: value, problems: [] };
  return { problems: schemaProblems(validate.errors ?? [], lang, value) };
}
