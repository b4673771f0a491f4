/**
 * The table `botschaft list` prints (and `npm start` shows until the runtime server exists):
 * one line per flow with its id, title and verdict, then how to see the details.
 */
import { basename, extname } from "node:path";
import { countProblems, plural } from "./count-problems.ts";
import type { FileReport } from "./file-report.ts";
import { sanitizeForTerminal } from "./sanitize-for-terminal.ts";

function verdict(report: FileReport): string {
  const { errors, warnings } = countProblems(report.problems);
  return `${errors > 0 ? "✗" : "✓"} ${plural(errors, "error")}, ${plural(warnings, "warning")}`;
}

/** Quotes a path for a POSIX shell when it contains anything but the usual path characters. */
function shellWord(text: string): string {
  return /^[\w./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

export function formatFlowList(reports: readonly FileReport[], directory: string): string {
  // The id column shows the file name: docs/flows.md#file-and-ids requires it to equal the flow id, and it exists
  // even when the file does not parse.
  const rows = reports.map((report) => ({
    id: sanitizeForTerminal(basename(report.file, extname(report.file))),
    title: sanitizeForTerminal(report.flow?.title ?? "—"),
    status: verdict(report),
  }));
  const idWidth = Math.max(0, ...rows.map((row) => row.id.length));
  const titleWidth = Math.max(0, ...rows.map((row) => row.title.length));
  const table = rows.map((row) => `${row.id.padEnd(idWidth)}  ${row.title.padEnd(titleWidth)}  ${row.status}\n`);
  const hint = `\nEvery problem with its line and column: npx botschaft validate ${shellWord(directory)}\n`;
  return table.join("") + hint;
}
