/**
 * Compares a transcript's recorded output with what the engine did, step by step, and says
 * what differed as a line diff of the transcript's own YAML: the reviewer sees the same lines
 * that `--update` would change.
 */
import { isDeepStrictEqual } from "node:util";
import { eventEntry, outKeys, type Transcript, type TranscriptStep } from "./parse-transcript.ts";
import type { PlayedStep } from "./play-transcript.ts";
import { stringifyValue } from "./stringify-transcript.ts";

/** Lines of `expected` and `actual` marked `-`, `+` or kept, by their longest common subsequence. */
export function diffLines(expected: readonly string[], actual: readonly string[]): string[] {
  const width = actual.length + 1;
  // common[i * width + j]: the longest common subsequence of expected[i..] and actual[j..].
  const common = new Uint32Array((expected.length + 1) * width);
  const at = (i: number, j: number) => common[i * width + j] ?? 0;
  for (let i = expected.length - 1; i >= 0; i--) {
    for (let j = actual.length - 1; j >= 0; j--) {
      common[i * width + j] = expected[i] === actual[j] ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1));
    }
  }
  const lines: string[] = [];
  let i = 0;
  let j = 0;
  while (i < expected.length || j < actual.length) {
    if (i < expected.length && j < actual.length && expected[i] === actual[j]) {
      lines.push(`  ${expected[i++]}`);
      j++;
    } else if (i < expected.length && (j === actual.length || at(i + 1, j) >= at(i, j + 1))) {
      lines.push(`- ${expected[i++]}`);
    } else {
      lines.push(`+ ${actual[j++]}`);
    }
  }
  return lines;
}

/** `text: call me maybe`: how a report names the step's event. */
export function describeEvent(step: TranscriptStep): string {
  const [key, value] = eventEntry(step.event);
  return `${key}: ${String(value)}`;
}

function yamlLines(key: string, value: unknown): string[] {
  return value === undefined ? [] : stringifyValue({ [key]: value }).trimEnd().split("\n");
}

/** `runtime/testing/golden/transcripts/x.transcript.yaml:12: examples/x.yaml, step 3 (text: hi)`: where a report points. */
export function stepTitle(transcript: Transcript, flowFile: string, index: number): string {
  const step = transcript.steps[index];
  return step ? `${transcript.file}:${step.line}: ${flowFile}, step ${index + 1} (${describeEvent(step)})` : `${transcript.file}: ${flowFile}`;
}

/** One report per step that differs, naming the step, its event and each part that differed. */
export function diffTranscript(transcript: Transcript, flowFile: string, played: readonly PlayedStep[]): string[] {
  const reports: string[] = [];
  for (const [index, step] of transcript.steps.entries()) {
    const actual = played[index];
    if (!actual) continue;
    const title = stepTitle(transcript, flowFile, index);
    if (step.webhook && actual.webhookCalls === 0) reports.push(`${title}: scripts a webhook outcome, but the turn called no webhook`);
    if (!step.out) {
      reports.push(`${title}: has no recorded output yet`);
      continue;
    }
    for (const key of outKeys) {
      const expected = step.out[key];
      if (isDeepStrictEqual(expected, actual.out[key])) continue;
      const diff = diffLines(yamlLines(key, expected), yamlLines(key, actual.out[key]));
      reports.push([`${title}, ${key} (- recorded, + now):`, ...diff.map((line) => `    ${line}`)].join("\n"));
    }
  }
  return reports;
}
