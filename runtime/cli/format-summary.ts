import { countProblems, plural } from "./count-problems.ts";
import type { FileReport } from "./file-report.ts";

/** The closing line of `validate` on stderr, e.g. `3 files checked: 1 with errors, 2 warnings`. */
export function formatSummary(reports: readonly FileReport[]): string {
  const checked = `${plural(reports.length, "file")} checked`;
  const counts = reports.map((report) => countProblems(report.problems));
  const filesWithErrors = counts.filter((count) => count.errors > 0).length;
  const warnings = counts.reduce((sum, count) => sum + count.warnings, 0);
  if (filesWithErrors === 0 && warnings === 0) return `${checked}: no problems\n`;
  return `${checked}: ${filesWithErrors} with errors, ${plural(warnings, "warning")}\n`;
}
