import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkFlowSource, maxFlowBytes } from "./check-flow-source.ts";

const reference = readFileSync(new URL("../../../examples/callback-request.yaml", import.meta.url), "utf8");

/** The single problem of a file that cannot be read as a flow, without its message. */
function onlyProblem(source: string | Uint8Array, fileName = "callback-request.yaml") {
  const { flow, problems } = checkFlowSource(source, { fileName });
  expect(flow).toBeUndefined();
  expect(problems).toHaveLength(1);
  const [problem] = problems;
  return { rule: problem?.rule, severity: problem?.severity, line: problem?.line, column: problem?.column, message: problem?.message };
}

describe("checkFlowSource", () => {
  it("accepts the reference flow (docs/flows.md#the-reference-flow) unchanged", () => {
    const { flow, problems } = checkFlowSource(reference, { fileName: "flows/callback-request.yaml" });
    expect(problems).toEqual([]);
    expect(flow?.flow).toBe("callback-request");
    expect(Object.keys(flow?.nodes ?? {})).toHaveLength(10);
  });

  it("reads UTF-8 bytes and ignores a byte order mark", () => {
    const bytes = new TextEncoder().encode(`\uFEFF${reference}`);
    expect(checkFlowSource(bytes, { fileName: "callback-request.yml" }).problems).toEqual([]);
  });

  it("keeps a trailing no-break space as part of the value, whichever parser reads the file", () => {
    // The fast path takes the first file, a carriage return sends the second to js-yaml.
    for (const source of [reference.replace("language: de\n", "language: de\u00A0\n"), reference.replace("language: de\n", "language: de\u00A0\r\n")]) {
      const { flow, problems } = checkFlowSource(source, { fileName: "callback-request.yaml" });
      expect(flow).toBeUndefined();
      expect(problems.map((problem) => `${problem.rule} ${problem.pointer}`)).toEqual(["schema /language"]);
    }
  });

  it("locates invalid YAML", () => {
    expect(onlyProblem("flow: x\nnodes: [a, b\ntitle: y\n")).toMatchObject({ rule: "schema", severity: "error", line: 3, column: 1 });
  });

  it("locates a duplicate key at its second occurrence", () => {
    const source = reference.replace("    text: Wie heißen Sie?\n", "    text: Wie heißen Sie?\n    text: Noch einmal\n");
    const line = source.split("\n").indexOf("    text: Noch einmal") + 1;
    expect(onlyProblem(source)).toMatchObject({ rule: "schema", line, column: 5 });
    expect(onlyProblem(source).message).toMatch(/twice/);
  });

  it("refuses a billion-laughs alias bomb without expanding it", () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let level = 1; level < 10; level++) {
      const previous = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(",")}]`);
    }
    const started = performance.now();
    const problem = onlyProblem(`${levels.join("\n")}\n`);
    expect(problem).toMatchObject({ rule: "schema", line: 2 });
    expect(problem.message).toMatch(/alias/);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it("refuses a file above the size limit before parsing it", () => {
    const huge = `# ${"x".repeat(maxFlowBytes)}\n`;
    expect(onlyProblem(huge)).toMatchObject({ rule: "schema", line: 1, column: 1 });
    expect(onlyProblem(huge).message).toMatch(/MiB/);
  });

  it("locates the first byte that is not UTF-8", () => {
    const bytes = new Uint8Array([...new TextEncoder().encode("flow: x\ntitle: Gr"), 0xfc, ...new TextEncoder().encode("n\n")]);
    expect(onlyProblem(bytes)).toMatchObject({ rule: "schema", line: 2, column: 10 });
    expect(onlyProblem(bytes).message).toMatch(/UTF-8/);
  });

  it("refuses deep nesting with a located error instead of overflowing the stack", () => {
    const depth = 10_000;
    const flowStyle = `nodes: ${"[".repeat(depth)}${"]".repeat(depth)}\n`;
    expect(onlyProblem(flowStyle)).toMatchObject({ rule: "schema", line: 1 });
    const blockStyle = Array.from({ length: 200 }, (_, level) => `${" ".repeat(level)}k${level}:`).join("\n");
    expect(onlyProblem(`${blockStyle} end\n`).message).toMatch(/64 levels/);
  });

  it("explains that a list, a scalar, an empty file or a compose file is not a flow", () => {
    for (const source of ["- a\n- b\n", "hello\n", "", "services:\n  web:\n    image: nginx\n"]) {
      expect(onlyProblem(source).message).toMatch(/not a flow/);
    }
  });

  it("refuses several YAML documents in one file", () => {
    const problem = onlyProblem(`${reference}---\nflow: second\n`);
    expect(problem).toMatchObject({ rule: "schema", line: reference.split("\n").length + 1 });
    expect(problem.message).toMatch(/several YAML documents/);
  });

  it("reports a flow id that differs from the file name at the id", () => {
    const { problems } = checkFlowSource(reference, { fileName: "flows/rueckruf.yaml", lang: "de" });
    expect(problems).toEqual([
      {
        rule: "schema",
        severity: "error",
        pointer: "/flow",
        line: 2,
        column: 7,
        message: "Die Flow-ID 'callback-request' weicht vom Dateinamen ab; Datei umbenennen oder `flow: rueckruf` setzen.",
      },
    ]);
  });

  it("refuses a file format newer than this version", () => {
    const { problems } = checkFlowSource(`format: 2\n${reference}`, { fileName: "callback-request.yaml" });
    expect(problems.map(({ rule, line, column }) => ({ rule, line, column }))).toEqual([{ rule: "schema", line: 1, column: 9 }]);
  });

  it("locates schema problems at the offending key or value and sorts them by position", () => {
    const source = reference
      .replace("    type: choice\n", "    type: choise\n")
      .replace("    format: phone\n", "    format: phone\n    colour: red\n");
    const { problems } = checkFlowSource(source, { fileName: "callback-request.yaml" });
    const lines = source.split("\n");
    expect(problems.map(({ rule, node, line, column }) => ({ rule, node, line, column }))).toEqual([
      { rule: "schema", node: "main", line: lines.indexOf("    type: choise") + 1, column: 11 },
      { rule: "schema", node: "ask-phone", line: lines.indexOf("    colour: red") + 1, column: 5 },
    ]);
  });

  it("locates rule problems on nodes and references", () => {
    const source = reference.replace("    next: done\n  no-consent:", "    next: nowhere\n  no-consent:");
    const { problems } = checkFlowSource(source, { fileName: "callback-request.yaml" });
    const lines = source.split("\n");
    expect(problems.map(({ rule, line, column }) => ({ rule, line, column }))).toEqual([
      { rule: "ref-unknown", line: lines.indexOf("    next: nowhere") + 1, column: 11 },
      { rule: "unreachable", line: lines.indexOf("  done:") + 1, column: 3 },
    ]);
  });
});
