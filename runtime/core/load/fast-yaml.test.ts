import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { CORE_SCHEMA, dump, load } from "js-yaml";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { generateFlowYaml } from "../bench/generate-flow.ts";
import { parseCommonYaml } from "./fast-yaml.ts";

const maxDepth = 64;

/** js-yaml's verdict: the value, or "error". */
function reference(text: string): { value: unknown } | "error" {
  try {
    return { value: load(text, { schema: CORE_SCHEMA, maxDepth }) };
  } catch {
    return "error";
  }
}

/** The fast path may give up, but whatever it returns must be exactly what js-yaml returns. */
function expectAgreement(text: string): boolean {
  const fast = parseCommonYaml(text, maxDepth);
  if (fast === undefined) return false;
  const expected = reference(text);
  expect(expected, `js-yaml refuses what the fast path accepted:\n${text}`).not.toBe("error");
  expect(fast.value).toStrictEqual((expected as { value: unknown }).value);
  return true;
}

const root = fileURLToPath(new URL("../../../", import.meta.url));

function yamlFilesUnder(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name) && !join(entry.parentPath, entry.name).includes("node_modules"))
    .map((entry) => join(entry.parentPath, entry.name));
}

describe("parseCommonYaml", () => {
  it("reads every flow in the repository exactly as js-yaml does", () => {
    const files = [...yamlFilesUnder(join(root, "examples")), ...yamlFilesUnder(join(root, "flows")), ...yamlFilesUnder(join(root, "runtime"))];
    const accepted = files.filter((file) => expectAgreement(readFileSync(file, "utf8"))).map((file) => relative(root, file));
    // The fixtures that are broken on purpose (aliases, duplicate keys, syntax errors) go to js-yaml.
    expect(accepted).toContain("examples/callback-request.yaml");
    expect(accepted).toContain("flows/callback-request.yaml");
    expect(accepted.length).toBeGreaterThanOrEqual(files.length - 5);
  });

  it("takes the fast path for generated benchmark flows", () => {
    for (const size of [60, 600]) expect(expectAgreement(generateFlowYaml(size))).toBe(true);
  });

  it.each([
    ["block mappings, sequences and compact mappings", "a:\n  b: 1\n  c:\n    - x\n    - y: 2\n      z: [1, 'two', \"3\"]\nd:\n- e\n- f\n"],
    ["comments everywhere", "# head\na: 1 # one\n  # indented comment\nb: # empty\n  - x # in a list\n# tail\n"],
    ["CORE scalar resolution", "n: ~\nN: null\nt: true\nF: False\ni: -12\no: 0o17\nh: 0x1F\nf: 1.5e3\ninf: -.inf\nnan: .NaN\ns: yes\nd: 2024-01-01\nv: 1.2.3\n"],
    ["keys resolved like values", "1: a\n2.0: b\nnull: c\ntrue: d\n'quoted key': e\n\"x y\": f\n"],
    ["quoted scalars", "a: 'it''s'\nb: \"tab\\tnew\\nline \\\"q\\\" \\u00e4\\\\\"\nc: ''\nd: \"# not a comment\"\n"],
    ["plain scalars with indicators inside", "url: https://example.com/a?b=c#d\ntext: Hallo - wie geht's? 100% sicher:ja\nc: C#\n"],
    ["flow collections", "a: [ ]\nb: {}\nc: { name: Muster GmbH, country: DE, nested: [a, { k: v }] }\nd: [\"x, y\", 'z']\n"],
    ["literal block scalars", "a: |\n  line one\n    indented\n\n  after blank\nb: |-\n  stripped\nc: |+\n  kept\n\nd: x\n"],
    ["folded block scalars", "a: >\n  folded\n  text\n\n  new paragraph\nb: >-\n  no newline\n  at end\n"],
    ["empty values", "a:\nb:\n  c:\nd: x\n"],
    ["unicode", "text: \"Grüße 👋\"\nplain: Größe ✓ 👋\n"],
  ])("reads %s", (_name, text) => {
    expect(expectAgreement(text)).toBe(true);
  });

  it.each([
    ["anchors and aliases", "a: &x 1\nb: *x\n"],
    ["tags", "a: !!str 1\n"],
    ["duplicate keys", "a: 1\na: 2\n"],
    ["several documents", "a: 1\n---\nb: 2\n"],
    ["a document start marker", "---\na: 1\n"],
    ["directives", "%YAML 1.2\n---\na: 1\n"],
    ["carriage returns", "a: 1\r\nb: 2\r\n"],
    ["tabs in indentation", "a:\n\tb: 1\n"],
    ["multi-line plain scalars", "a: one\n  two\n"],
    ["multi-line quoted scalars", "a: 'one\n  two'\n"],
    ["multi-line flow collections", "a: [1,\n  2]\n"],
    ["complex keys", "? a\n: 1\n"],
    ["merge keys", "<<: {a: 1}\n"],
    ["__proto__ keys", "__proto__: 1\n"],
    ["block scalar indentation indicators", "a: |2\n   x\n"],
    ["a scalar document", "just text\n"],
    ["an empty document", "# only a comment\n"],
    ["mapping values inside a value", "a: b: c\n"],
    ["bad indentation", "a:\n    b: 1\n  c: 2\n"],
    ["deep nesting", `${Array.from({ length: 70 }, (_, depth) => `${"  ".repeat(depth)}k:`).join("\n")} 1\n`],
  ])("leaves %s to js-yaml", (_name, text) => {
    expect(parseCommonYaml(text, maxDepth)).toBeUndefined();
  });

  /** Spaces that are not YAML whitespace (only space and tab are), and line breaks js-yaml treats specially. */
  const unicodeSpaces = ["\u00A0", ...Array.from({ length: 11 }, (_, index) => String.fromCharCode(0x2000 + index)), "\u202F", "\u205F", "\u3000", "\uFEFF", "\u0085", "\u2028", "\u2029", "\u1680", "\u180E", "\u200B"];
  const spaceTemplates = [
    (c: string) => `language: de${c}\n`,
    (c: string) => `language: de${c}  \n`,
    (c: string) => `language: de ${c}\n`,
    (c: string) => `${c}language: de\n`,
    (c: string) => `language${c}: de\n`,
    (c: string) => `language:${c}de\n`,
    (c: string) => `language: ${c}de\n`,
    (c: string) => `language: de${c}# comment\n`,
    (c: string) => `language: 'de'${c}\n`,
    (c: string) => `language: "de"${c}\n`,
    (c: string) => `list:\n  - de${c}\n  - en\n`,
    (c: string) => `list:\n-${c}de\n`,
    (c: string) => `flow: [de${c}, en]\n`,
    (c: string) => `flow: {k: de${c}}\n`,
    (c: string) => `flow: {k${c}: de}\n`,
    (c: string) => `count: 12${c}\n`,
    (c: string) => `flag: true${c}\n`,
    (c: string) => `text: |\n  de${c}\n`,
    (c: string) => `text: >\n  de${c}\n  en\n`,
    (c: string) => `a:\n  b: 1${c}\nc: 2\n`,
  ];

  it.each(unicodeSpaces.map((char) => [`U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`, char]))(
    "reads %s around scalars exactly as js-yaml does (only space and tab are YAML whitespace)",
    (_name, char) => {
      for (const template of spaceTemplates) {
        const text = template(char);
        const fast = parseCommonYaml(text, maxDepth);
        if (fast === undefined) continue;
        expect(reference(text), JSON.stringify(text)).toEqual({ value: fast.value });
      }
    },
  );

  const scalar = fc.oneof(
    fc.string({ unit: fc.constantFrom(..."ab :-#'\"[]{},|>&*!%@?\\\t\n äß👋0.9+eE~"), maxLength: 12 }),
    fc.string({ maxLength: 8 }),
    fc.integer(),
    fc.double({ noNaN: true }),
    fc.boolean(),
    fc.constant(null),
  );
  const tree = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: "small", withCrossShrink: true }, scalar, tie("list"), tie("map")),
    list: fc.array(tie("node"), { maxLength: 4 }),
    map: fc.dictionary(fc.string({ unit: fc.constantFrom(..."ab :-#'\"1.~ ä"), minLength: 1, maxLength: 6 }), tie("node"), { maxKeys: 4 }),
  }));
  const document = fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), tree.node, { minKeys: 1, maxKeys: 5 });

  it("agrees with js-yaml on documents written by js-yaml and by the yaml package", () => {
    let accepted = 0;
    fc.assert(
      fc.property(document, fc.integer({ min: -1, max: 3 }), fc.boolean(), (value, flowLevel, literal) => {
        const texts = [
          dump(value, { flowLevel, lineWidth: 40 }),
          dump(value, { quoteStyle: "double", forceQuotes: literal }),
          stringify(value, { blockQuote: literal ? "literal" : "folded", lineWidth: 30 }),
          stringify(value),
        ];
        for (const text of texts) if (expectAgreement(text)) accepted++;
      }),
      { numRuns: 400 },
    );
    // Most generated documents are plain block YAML; the fast path must not just give up.
    expect(accepted).toBeGreaterThan(400);
  });

  it("never accepts a damaged flow that js-yaml refuses or reads differently", () => {
    const originals = [
      readFileSync(join(root, "examples/callback-request.yaml"), "utf8"),
      "a: |\n  one\n\n   two\nb: >-\n  x\n  y\n\nc: [1, 'q', { k: v }]\nd:\n- e: 'it''s'\n  f: \"\\u00e4\"\n- -1\n",
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...originals),
        fc.array(fc.tuple(fc.nat(2000), fc.nat(3), fc.constantFrom(..." :-#'\"[]{},|>&*!\n\t  x")), { minLength: 1, maxLength: 4 }),
        (original, edits) => {
          let text = original;
          for (const [at, removed, inserted] of edits) {
            const where = at % (text.length + 1);
            text = text.slice(0, where) + inserted + text.slice(where + removed);
          }
          expectAgreement(text);
        },
      ),
      { numRuns: 1500 },
    );
  });
});
