/** Typed builders for tests: a problem or report that differs from a plain default only where a test says so. */
import type { Problem } from "../core/index.ts";
import type { FileReport } from "./file-report.ts";

export function buildProblem(overrides: Partial<Problem> = {}): Problem {
  return {
    rule: "ref-unknown",
    severity: "error",
    node: "welcome",
    pointer: "/nodes/welcome/next",
    message: "There is no node 'mian'.",
    line: 12,
    column: 11,
    ...overrides,
  };
}

export function buildReport(file: string, problems: Problem[] = []): FileReport {
  return { file, problems };
}
