/**
 * Generates `runtime/core/dsl/flow.generated.ts` from `schemas/` so the schema stays the
 * single source of the DSL's types. `--check` fails (exit 1) when the checked-in file drifts.
 */
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { compile, type JSONSchema } from "json-schema-to-typescript";

const root = fileURLToPath(new URL("../../", import.meta.url));
const outputPath = `${root}runtime/core/dsl/flow.generated.ts`;

const banner = `/* eslint-disable */
// GENERATED FILE — do not edit. Source: schemas/*.schema.json.
// Regenerate with \`npm run generate\`; \`npm test\` fails when this file drifts.
`;

type SchemaNode = { [key: string]: unknown };

// maxItems -1: plain arrays instead of a union of every tuple length up to maxItems.
const compileOptions = { bannerComment: "", additionalProperties: false, format: true, maxItems: -1, strictIndexSignatures: true } as const;

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
  const flow = inlineSharedRefs(await readSchema("flow.schema.json"), sharedTypeNames) as JSONSchema;
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

const isCheck = process.argv.includes("--check");
const generated = await generateTypes();
if (isCheck) {
  const current = await readFile(outputPath, "utf8").catch(() => "");
  if (current !== generated) {
    console.error("runtime/core/dsl/flow.generated.ts is out of date with schemas/. Run `npm run generate`.");
    process.exit(1);
  }
  console.log("generated types are up to date");
} else {
  await writeFile(outputPath, generated);
  console.log(`wrote ${outputPath}`);
}
