import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runCli } from "./run-cli.ts";

async function validate(...args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(["validate", ...args], {
    defaultLang: "en",
    serve: async () => 2,
    purge: async () => 2,
    setupChannel: async () => 2, users: async () => 2, erasures: async () => 2, ledger: async () => 2,
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  });
  return { code, stdout, stderr };
}

describe("the example flows", () => {
  it("pass, except the non-compliant one, which fails with exactly its intended rules", async () => {
    const { code, stdout } = await validate("--json", "examples", "flows");
    const reports = JSON.parse(stdout) as { file: string; ok: boolean; problems: { rule: string }[] }[];
    expect(code).toBe(1);
    expect(reports.filter((report) => report.problems.length > 0).map((report) => report.file)).toEqual([
      "examples/non-compliant-lead-capture.yaml",
    ]);
    expect(reports.length).toBeGreaterThanOrEqual(6);
    const rules = new Set(reports.flatMap((report) => report.problems.map((problem) => problem.rule)));
    expect([...rules].sort()).toEqual([
      "consent-missing",
      "menu-required",
      "notices-missing",
      "privacy-urls",
      "processor-missing",
      "retention",
      "third-country",
      "unreachable",
      "unused-personal",
    ]);
  });

  it("match the output docs/rules.md shows for the non-compliant example", async () => {
    const doc = readFileSync(new URL("../../docs/rules.md", import.meta.url), "utf8");
    const block = /<!-- expected-problems -->[\s\S]*?```text\n([\s\S]*?)```/.exec(doc)?.[1];
    const { stdout, stderr } = await validate("examples/non-compliant-lead-capture.yaml");
    expect(block).toBe(stdout + stderr);
  });

  it("include the reference flow (docs/flows.md#the-reference-flow) in flows/ and examples/ alike", () => {
    const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");
    expect(read("flows/callback-request.yaml")).toBe(read("examples/callback-request.yaml"));
  });
});
