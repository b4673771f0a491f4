import { hasErrors } from "../core/index.ts";
import type { FileReport } from "./file-report.ts";

/** The exit codes of docs/ci.md#exit-codes. */
export const exitCode = { ok: 0, errors: 1, usage: 2 } as const;

export type ExitCode = (typeof exitCode)[keyof typeof exitCode];

/** Warnings never fail a run: only errors block publishing. */
export function exitCodeFor(reports: readonly FileReport[]): ExitCode {
  return reports.some((report) => hasErrors(report.problems)) ? exitCode.errors : exitCode.ok;
}
