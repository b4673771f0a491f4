/**
 * What every Botschaft file (flows and knowledge bases) goes through before its own check —
 * size, UTF-8, byte-order mark, YAML — and the locating of the problems its check finds.
 */
import { message, type MessageCode, type MessageParams } from "../validate/messages.ts";
import type { Language, Problem, UnlocatedProblem } from "../validate/problem.ts";
import { eventsOf, locatePointers, maxNestingDepth, offsetOf, parseYaml } from "./parse-yaml.ts";
import { bytePosition, createPositionIndex, firstInvalidUtf8Offset, type SourcePosition } from "./source-text.ts";

/** Larger files are refused before parsing (a 50,000-node flow is about 10 MB). */
export const maxFlowBytes = 32 * 1024 * 1024;

function formatSize(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

function fileProblem<C extends MessageCode>(code: C, params: MessageParams<C>, lang: Language, at: SourcePosition): { problems: Problem[] } {
  return { problems: [{ rule: "schema", severity: "error", pointer: "", message: message(code, params, lang), ...at }] };
}

const fileStart: SourcePosition = { line: 1, column: 1 };

/** A source read as far as a YAML value, or the problem that stopped it (with its position). */
export type ReadSource = { text: string; value: unknown; events: ReturnType<typeof eventsOf> | undefined } | { problems: Problem[] };

/**
 * Size, UTF-8, byte-order mark and YAML: what every Botschaft file (flows and knowledge bases)
 * goes through before its own check.
 */
export function readYamlSource(source: string | Uint8Array, lang: Language): ReadSource {
  const size = typeof source === "string" ? source.length : source.byteLength;
  if (size > maxFlowBytes) {
    return fileProblem("file-too-large", { size: formatSize(size), limit: formatSize(maxFlowBytes) }, lang, fileStart);
  }
  let text: string;
  if (typeof source === "string") {
    text = source;
  } else {
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(source);
    } catch {
      return fileProblem("not-utf8", undefined, lang, bytePosition(source, Math.max(0, firstInvalidUtf8Offset(source))));
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);

  const parsed = parseYaml(text);
  if ("failure" in parsed) {
    const positionOf = createPositionIndex(text);
    const { code, reason, offset } = parsed.failure;
    const params = code === "yaml-syntax" ? { reason } : code === "yaml-too-deep" ? { limit: maxNestingDepth } : undefined;
    return fileProblem(code, params as MessageParams<typeof code>, lang, positionOf(offset));
  }
  return { text, value: parsed.value, events: parsed.events };
}

/** Gives problems found on the parsed value their line and column in the source, sorted by position. */
export function locateProblems(read: { text: string; events: ReturnType<typeof eventsOf> | undefined }, problems: readonly UnlocatedProblem[]): Problem[] {
  if (problems.length === 0) return [];
  const positionOf = createPositionIndex(read.text);
  const events = read.events ?? eventsOf(read.text);
  const located = locatePointers(read.text, events, problems.map((problem) => problem.pointer));
  const withPositions = problems.map(({ atKey, ...problem }: UnlocatedProblem): Problem => ({
    ...problem,
    ...positionOf(offsetOf(located, problem.pointer, atKey)),
  }));
  withPositions.sort((a, b) => a.line - b.line || a.column - b.column);
  return withPositions;
}

