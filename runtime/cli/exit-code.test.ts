import { describe, expect, it } from "vitest";
import { buildProblem, buildReport } from "./build-report.ts";
import { exitCodeFor } from "./exit-code.ts";

describe("exitCodeFor", () => {
  it("is 0 when no file has a problem", () => {
    expect(exitCodeFor([buildReport("a.yaml"), buildReport("b.yaml")])).toBe(0);
  });

  it("is 0 when files have only warnings", () => {
    expect(exitCodeFor([buildReport("a.yaml", [buildProblem({ rule: "unreachable", severity: "warning" })])])).toBe(0);
  });

  it("is 1 when any file has an error", () => {
    expect(exitCodeFor([buildReport("a.yaml"), buildReport("b.yaml", [buildProblem()])])).toBe(1);
  });
});
