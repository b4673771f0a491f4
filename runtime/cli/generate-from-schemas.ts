/**
 * Generates what derives from `schemas/`, so the schema stays the single source of the DSL:
 * the TypeScript types (`runtime/core/dsl/flow.generated.ts`) and the node reference in `docs/flows.md`
 * (between the `node-reference` markers, with each type's fixture as its example).
 * `--check` fails (exit 1) when a checked-in output drifts.
 */
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { compile, type JSONSchema } from "json-schema-to-typescript";

const root = fileURLToPath(new URL("../../", import.meta.url));
const typesPath = `${root}runtime/core/dsl/flow.generated.ts`;
const knowledgeBaseTypesPath = `${root}runtime/core/dsl/knowledge-base.generated.ts`;
const flowsDocPath = `${root}docs/flows.md`;
const fixtureDirectory = `${root}runtime/core/nodes/fixtures/`;
const referenceStart = "<!-- node-reference:start (generated from schemas/nodes; npm run generate) -->";
const referenceEnd = "<!-- node-reference:end -->";

const banner = `/* eslint-disable */
// GENERATED FILE — do not edit. Source: schemas/*.schema.json.
// Regenerate with \`npm run generate\`; \`npm test\` fails when this file drifts.
`;

type SchemaNode = { [key: string]: unknown };

// maxItems -1: plain arrays instead of a union of every tuple length up to maxItems.
const compileOptions = { bannerComment: "", additionalProperties: false, format: true, maxItems: -1 } as const;

/** Shared definitions become one named type each instead of numbered copies per use. */
function inlineSharedRefs(node: unknown, sharedTypeNames: Map<string, string>): unknown {
  if (Array.isArray(node)) return node.map((item) => inlineSharedRefs(item, sharedTypeNames));
  if (node === null || typeof node !== "object") return node;
  const schema = node as SchemaNode;
  const ref = typeof schema.$ref === "string" ? schema.$ref : undefined;
  const sharedName = ref?.match(/^(?:\.\.\/)?(?:common\.schema\.json)?#\/definitions\/([^/]+)$/)
    ? sharedTypeNames.get(ref.slice(ref.lastIndexOf("/") + 1))
    : undefined;
  if (sharedName) {
    const { $ref: _ref, ...rest } = schema;
    return { ...rest, tsType: sharedName };
  }
  const copy: SchemaNode = {};
  for (const [key, value] of Object.entries(schema)) copy[key] = inlineSharedRefs(value, sharedTypeNames);
  return copy;
}

async function readSchema(relativePath: string): Promise<SchemaNode> {
  return JSON.parse(await readFile(`${root}schemas/${relativePath}`, "utf8")) as SchemaNode;
}

export async function generateTypes(): Promise<string> {
  const common = await readSchema("common.schema.json");
  const definitions = common.definitions as Record<string, SchemaNode>;
  const sharedTypeNames = new Map(Object.entries(definitions).map(([key, def]) => [key, String(def.title)]));

  const sharedTypes: string[] = [];
  for (const definition of Object.values(definitions)) {
    const inlined = inlineSharedRefs(definition, sharedTypeNames) as JSONSchema;
    sharedTypes.push(await compile(inlined, String(definition.title), { ...compileOptions, declareExternallyReferenced: false }));
  }
  const flowSchema = await readSchema("flow.schema.json");
  // The node's `type` enum is there for editors (completion offers every type); the union of the
  // node schemas already types `type` exactly, and the enum would only add an intersection.
  delete ((flowSchema.definitions as Record<string, SchemaNode>).node as SchemaNode).properties;
  const flow = inlineSharedRefs(flowSchema, sharedTypeNames) as JSONSchema;
  const flowTypes = await compile(flow, "Flow", {
    ...compileOptions,
    cwd: `${root}schemas`,
    $refOptions: {
      resolve: {
        file: {
          // Node schemas reference the shared definitions too: inline those the same way.
          read: async (file: { url: string }) =>
            JSON.stringify(inlineSharedRefs(JSON.parse(await readFile(file.url.startsWith("file:") ? fileURLToPath(file.url) : file.url, "utf8")), sharedTypeNames)),
        },
      },
    },
  });
  return [banner, ...sharedTypes, flowTypes].join("\n");
}

/** The knowledge base's types (`*.faq.yaml`), from its own schema. */
export async function generateKnowledgeBaseTypes(): Promise<string> {
  const schema = (await readSchema("knowledge-base.schema.json")) as JSONSchema;
  return [banner.replace("schemas/*.schema.json", "schemas/knowledge-base.schema.json"), await compile(schema, "KnowledgeBase", compileOptions)].join("\n");
}

async function nodeSchemas(): Promise<SchemaNode[]> {
  const flow = await readSchema("flow.schema.json");
  const node = (flow.definitions as Record<string, SchemaNode>).node as SchemaNode;
  const references = (node.oneOf as { $ref: string }[]).map((entry) => entry.$ref);
  return Promise.all(references.map((reference) => readSchema(reference)));
}

/** Allowed values, limits and defaults of a property, in words. */
function constraints(property: SchemaNode, shared: Record<string, SchemaNode>): string {
  const reference = typeof property.$ref === "string" ? shared[property.$ref.slice(property.$ref.lastIndexOf("/") + 1)] : undefined;
  const merged: SchemaNode = { ...reference, ...property };
  const notes: string[] = [];
  if (Array.isArray(merged.enum)) notes.push(`one of ${merged.enum.map((value) => `\`${value}\``).join(", ")}`);
  if (typeof merged.pattern === "string" && merged.pattern.startsWith("^https://")) notes.push("`https://` only");
  const lower = merged.minimum ?? merged.minItems ?? merged.minProperties;
  const upper = merged.maximum ?? merged.maxItems;
  if (merged.exclusiveMinimum !== undefined) notes.push(`more than ${merged.exclusiveMinimum}`);
  if (lower !== undefined && upper !== undefined) notes.push(`${lower}–${upper}`);
  else if (lower !== undefined && Number(lower) > 0) notes.push(`at least ${lower}`);
  else if (upper !== undefined) notes.push(`at most ${upper}`);
  if (merged.default !== undefined) notes.push(`default \`${merged.default}\``);
  return notes.length === 0 ? "" : ` (${notes.join("; ")})`;
}

/** One row per property, descending one level into list items and sub-settings (`options[].label`). */
function propertyRows(schema: SchemaNode, shared: Record<string, SchemaNode>, prefix = ""): string[] {
  const properties = (schema.properties ?? {}) as Record<string, SchemaNode>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(properties)
    .filter(([name]) => name !== "type")
    .flatMap(([name, property]) => {
      const description = String(property.description ?? "").replace(/\|/g, "\\|");
      const row = `| \`${prefix}${name}\` | ${required.has(name) ? "yes" : "no"} | ${description}${constraints(property, shared)} |`;
      const items = property.items as SchemaNode | undefined;
      const nested = items?.properties ? propertyRows(items, shared, `${prefix}${name}[].`) : property.properties ? propertyRows(property, shared, `${prefix}${name}.`) : [];
      return [row, ...nested];
    });
}

/** The docs/flows.md section documenting every node type, in the order of the schema's union. */
export async function generateNodeReference(): Promise<string> {
  const shared = (await readSchema("common.schema.json")).definitions as Record<string, SchemaNode>;
  const sections: string[] = [];
  for (const schema of await nodeSchemas()) {
    const type = String((schema.properties as Record<string, SchemaNode>).type?.const);
    const fixture = (await readFile(`${fixtureDirectory}${type}.yaml`, "utf8")).trimEnd();
    const example = fixture
      .split("\n")
      .map((line) => `    ${line}`)
      .join("\n");
    sections.push(
      [
        `#### \`${type}\``,
        "",
        String(schema.description),
        "",
        "```yaml",
        `  ${type === "end" ? "done" : `my-${type}`}:`,
        example,
        "```",
        "",
        "| property | required | meaning |",
        "| --- | --- | --- |",
        ...propertyRows(schema, shared),
      ].join("\n"),
    );
  }
  return `${referenceStart}\n${sections.join("\n\n")}\n${referenceEnd}`;
}

async function flowsDocWithReference(): Promise<string> {
  const doc = await readFile(flowsDocPath, "utf8");
  const start = doc.indexOf(referenceStart);
  const end = doc.indexOf(referenceEnd);
  if (start < 0 || end < start) throw new Error(`docs/flows.md lacks the markers ${referenceStart} … ${referenceEnd}`);
  return doc.slice(0, start) + (await generateNodeReference()) + doc.slice(end + referenceEnd.length);
}

const outputs = [
  { path: typesPath, generate: generateTypes },
  { path: knowledgeBaseTypesPath, generate: generateKnowledgeBaseTypes },
  { path: flowsDocPath, generate: flowsDocWithReference },
];
const isCheck = process.argv.includes("--check");
let drifted = false;
for (const output of outputs) {
  const generated = await output.generate();
  if (isCheck) {
    const current = await readFile(output.path, "utf8").catch(() => "");
    if (current !== generated) {
      console.error(`${output.path.slice(root.length)} is out of date with schemas/. Run \`npm run generate\`.`);
      drifted = true;
    }
  } else {
    await writeFile(output.path, generated);
    console.log(`wrote ${output.path.slice(root.length)}`);
  }
}
if (isCheck && drifted) process.exit(1);
if (isCheck) console.log("generated files are up to date with schemas/");
