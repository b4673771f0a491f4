/**
 * The three outputs of `botschaft validate`: text lines for people and editors' problem
 * matchers, JSON for tools, and GitHub Actions workflow commands that annotate pull requests.
 * Pure functions of the reports; the caller writes the result to stdout.
 */
import { hasErrors, type Problem } from "../core/index.ts";
import type { FileReport } from "./file-report.ts";
import { sanitizeForTerminal } from "./sanitize-for-terminal.ts";

export const outputFormats = ["text", "json", "github"] as const;

export type OutputFormat = (typeof outputFormats)[number];

/** One line per problem: `file:line:column: severity rule: message` (docs/ci.md#output). */
export function formatText(reports: readonly FileReport[]): string {
  return lines(
    reports.flatMap(({ file, problems }) =>
      problems.map(
        (problem) =>
          `${sanitizeForTerminal(file)}:${problem.line}:${problem.column}: ${problem.severity} ${problem.rule}: ${sanitizeForTerminal(problem.message)}`,
      ),
    ),
  );
}

/** Fixed keys in a fixed order, so the output contract does not change when `Problem` grows. */
function jsonProblem({ rule, severity, node, field, path, pointer, message, line, column }: Problem) {
  return { rule, severity, node, field, path, pointer, message, line, column };
}

/** `[{ file, ok, problems: [{ rule, severity, node, message, line, column, … }] }]` (docs/ci.md#output). */
export function formatJson(reports: readonly FileReport[]): string {
  const entries = reports.map(({ file, problems }) => ({
    file,
    ok: !hasErrors(problems),
    problems: problems.map(jsonProblem),
  }));
  return `${JSON.stringify(entries, null, 2)}\n`;
}

// Escaping as in @actions/core's `command.ts`: data escapes `%`, CR and LF; property values
// also `:` and `,`, which would otherwise end the value.
export function escapeGithubData(text: string): string {
  return text.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
}

export function escapeGithubProperty(text: string): string {
  return escapeGithubData(text).replaceAll(":", "%3A").replaceAll(",", "%2C");
}

/** `::error file=…,line=…,col=…,title=rule::message`, one workflow command per problem. */
export function formatGithub(reports: readonly FileReport[]): string {
  return lines(
    reports.flatMap(({ file, problems }) =>
      problems.map((problem) => {
        const properties = [
          `file=${escapeGithubProperty(sanitizeForTerminal(file))}`,
          `line=${problem.line}`,
          `col=${problem.column}`,
          `title=${escapeGithubProperty(problem.rule)}`,
        ].join(",");
        return `::${problem.severity} ${properties}::${escapeGithubData(sanitizeForTerminal(problem.message))}`;
      }),
    ),
  );
}

const formatters: Record<OutputFormat, (reports: readonly FileReport[]) => string> = {
  text: formatText,
  json: formatJson,
  github: formatGithub,
};

export function formatProblems(reports: readonly FileReport[], format: OutputFormat): string {
  return formatters[format](reports);
}

function lines(items: readonly string[]): string {
  return items.map((item) => `${item}\n`).join("");
}
