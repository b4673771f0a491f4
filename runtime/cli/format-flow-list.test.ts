import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkFlowSource, type Flow, type Problem } from "../core/index.ts";
import { buildProblem, buildReport } from "./build-report.ts";
import type { FileReport } from "./file-report.ts";
import { formatFlowList } from "./format-flow-list.ts";

const validFlow = loadValidFlow();

function loadValidFlow(): Flow {
  const { flow } = checkFlowSource(readFileSync(new URL("fixtures/callback-request.yaml", import.meta.url)));
  if (!flow) throw new Error("fixtures/callback-request.yaml should be a valid flow");
  return flow;
}

function reportWithTitle(file: string, title: string, problems: Problem[] = []): FileReport {
  return { file, flow: { ...validFlow, title }, problems };
}

describe("formatFlowList", () => {
  it("prints id, title and verdict in aligned columns, then how to see details", () => {
    const reports = [
      reportWithTitle("flows/callback-request.yaml", "Rückruf anfordern"),
      reportWithTitle("flows/faq.yaml", "FAQ", [buildProblem({ severity: "warning", rule: "unreachable" })]),
      buildReport("flows/broken.yml", [buildProblem(), buildProblem()]),
    ];
    expect(formatFlowList(reports, "flows")).toBe(
      [
        "callback-request  Rückruf anfordern  ✓ 0 errors, 0 warnings",
        "faq               FAQ                ✓ 0 errors, 1 warning",
        "broken            —                  ✗ 2 errors, 0 warnings",
        "",
        "Every problem with its line and column: npx botschaft validate flows",
        "",
      ].join("\n"),
    );
  });

  it("quotes a directory for the shell when it needs it", () => {
    expect(formatFlowList([], "my flows/it's")).toBe(
      "\nEvery problem with its line and column: npx botschaft validate 'my flows/it'\\''s'\n",
    );
  });

  it("shows control characters in a title instead of sending them to the terminal", () => {
    expect(formatFlowList([reportWithTitle("a.yaml", "Hi\u001b[2J")], "flows")).toContain("a  Hi\\u{1b}[2J  ✓");
  });
});
