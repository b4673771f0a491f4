import { describe, expect, it } from "vitest";
import { buildProblem, buildReport } from "./build-report.ts";
import { formatSummary } from "./format-summary.ts";

const warning = buildProblem({ rule: "unreachable", severity: "warning" });

describe("formatSummary", () => {
  it("counts files with errors and all warnings", () => {
    const reports = [
      buildReport("a.yaml", [buildProblem(), buildProblem(), warning]),
      buildReport("b.yaml", [warning]),
      buildReport("c.yaml"),
    ];
    expect(formatSummary(reports)).toBe("3 files checked: 1 with errors, 2 warnings\n");
  });

  it("says so when there is nothing to report", () => {
    expect(formatSummary([buildReport("a.yaml")])).toBe("1 file checked: no problems\n");
  });

  it("uses the singular for one warning", () => {
    expect(formatSummary([buildReport("a.yaml", [warning]), buildReport("b.yaml")])).toBe(
      "2 files checked: 0 with errors, 1 warning\n",
    );
  });
});
