/**
 * Writes a golden transcript as YAML that reads well in a diff: one message per line (no
 * folding, so a changed word changes one line), short lists of scalars on one line.
 */
import { Document, isMap, isScalar, isSeq, visit, type YAMLSeq } from "yaml";
import type { WebhookOutcome } from "../../core/index.ts";
import { eventEntry, outKeys, type Transcript, type TranscriptStep } from "./parse-transcript.ts";

const header = `# Golden transcript: events in; the bot's messages, effects and stored fields out.
# \`npm test\` plays every step on the engine and fails on any difference. After a deliberate
# behaviour change, \`npm run golden -- --update\` rewrites the output; review it in the diff.
# How to read and write one: docs/architecture.md#golden-transcripts
`;

/** A list of scalars longer than this goes one item per line. */
const maxFlowLength = 90;

/** The length of a list of scalars on one line; a list of collections never goes on one line. */
function flatLength(seq: YAMLSeq): number {
  if (!seq.items.every(isScalar)) return Number.POSITIVE_INFINITY;
  return seq.items.reduce((sum, item) => sum + String(item.value).length + 2, 0);
}

function webhookValue(outcome: WebhookOutcome): unknown {
  return outcome.ok ? { ok: outcome.json } : "failed";
}

function stepValue(step: TranscriptStep): Record<string, unknown> {
  const value: Record<string, unknown> = {};
  if (step.note !== undefined) value.note = step.note;
  const [key, event] = eventEntry(step.event);
  value[key] = event;
  if (step.webhook) value.webhook = webhookValue(step.webhook);
  if (step.at) value.at = step.at;
  for (const name of outKeys) if (step.out?.[name] !== undefined) value[name] = step.out[name];
  return value;
}

/** Any value in the transcript's style; the harness shows differences in it too. */
export function stringifyValue(value: unknown): string {
  const document = new Document(value);
  visit(document, {
    Pair(_, pair) {
      if (!isScalar(pair.key)) return;
      // A scripted webhook answer is input, written as it would be typed: on one line.
      if (pair.key.value === "webhook" && isMap(pair.value)) pair.value.flow = true;
      // Maps and messages stay one entry per line, so a changed field or message is a changed line.
      const list = pair.value;
      if (pair.key.value !== "messages" && isSeq(list) && list.items.length > 0 && flatLength(list) <= maxFlowLength) list.flow = true;
    },
  });
  return document.toString({ lineWidth: 0, flowCollectionPadding: false });
}

export function stringifyTranscript(transcript: Transcript): string {
  return header + stringifyValue({ flows: transcript.flows, steps: transcript.steps.map(stepValue) });
}
