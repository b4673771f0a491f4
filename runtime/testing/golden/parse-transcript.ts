/**
 * Reads a golden transcript file (docs/architecture.md#golden-transcripts): the flow files it
 * covers and a list of steps, each one event in (with the webhook outcome it scripts) and the
 * output recorded for it. The YAML is flat so that a pull request's diff reads like the chat:
 *
 * @example
 * ```yaml
 * flows: [examples/callback-request.yaml]
 * steps:
 *   - start: web
 *     messages:
 *       - Hallo!
 *     waiting: reply at main
 *     fields: {}
 *   - text: "+49 170 1234567"
 *     webhook: failed
 *     messages: …
 * ```
 */
import { isNode, isSeq, LineCounter, parseDocument } from "yaml";
import type { EngineEvent, WebhookOutcome } from "../../core/index.ts";

/** An event in: a new conversation on a channel, or an engine event for the current one. */
export type TranscriptEvent = { type: "start"; channel: string } | Exclude<EngineEvent, { type: "webhook-result" }>;

export interface TranscriptStep {
  /** Where the step starts in the transcript file, for reports. */
  line: number;
  /** Why the step is there, kept when the output is regenerated. */
  note?: string;
  event: TranscriptEvent;
  /** How every webhook the turn calls answers; unscripted calls answer ok with `{}`. */
  webhook?: WebhookOutcome;
  /** The time of this step and the following ones (ISO 8601), e.g. outside a flow's opening hours; else the fixed golden time. */
  at?: string;
  /** What came out, in the compact form of `compactTurn`; absent until first recorded. */
  out?: Record<string, unknown>;
}

export interface Transcript {
  /** The transcript's own path, for reports. */
  file: string;
  /** Repository-relative paths of the flow files that must all behave as the steps say. */
  flows: string[];
  steps: TranscriptStep[];
}

/** The keys of a step's output, in the order they are written. */
export const outKeys = ["messages", "effects", "waiting", "overlay", "retries", "fields", "consents"] as const;

const eventKeys = ["start", "text", "choice", "menu", "handover-ended", "handover-closed", "handover-timeout"] as const;

function scalar(value: unknown, where: string): string {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return String(value);
  throw new Error(`${where}: expected a single value, got ${JSON.stringify(value)}`);
}

function eventOf(key: (typeof eventKeys)[number], value: unknown, where: string): TranscriptEvent {
  switch (key) {
    case "start":
      return { type: "start", channel: scalar(value, where) };
    case "text":
      return { type: "text", text: scalar(value, where) };
    case "choice":
      return { type: "choice", value: scalar(value, where) };
    case "menu":
      return { type: "menu", item: scalar(value, where) };
    case "handover-ended":
    case "handover-closed":
    case "handover-timeout":
      if (value !== true) throw new Error(`${where}: write \`${key}: true\``);
      return { type: key };
  }
}

/** The inverse of `eventOf`: the step's event as its YAML key and value. */
export function eventEntry(event: TranscriptEvent): [string, unknown] {
  switch (event.type) {
    case "start":
      return ["start", event.channel];
    case "text":
      return ["text", event.text];
    case "choice":
      return ["choice", event.value];
    case "menu":
      return ["menu", event.item];
    case "handover-ended":
    case "handover-closed":
    case "handover-timeout":
      return [event.type, true];
  }
}

function webhookOf(value: unknown, where: string): WebhookOutcome {
  if (value === "failed") return { ok: false };
  if (value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).join() === "ok") {
    return { ok: true, json: (value as { ok: unknown }).ok };
  }
  throw new Error(`${where}: a webhook outcome is \`failed\` or \`{ ok: <the JSON it answers> }\``);
}

function stepOf(raw: unknown, where: string, line: number): TranscriptStep {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw new Error(`${where}: a step is a map`);
  const entries = raw as Record<string, unknown>;
  const events = eventKeys.filter((key) => key in entries);
  if (events.length !== 1) throw new Error(`${where}: a step has exactly one event (${eventKeys.join(", ")}), found ${events.length}`);
  const known = new Set<string>(["note", "webhook", "at", ...eventKeys, ...outKeys]);
  const unknown = Object.keys(entries).filter((key) => !known.has(key));
  if (unknown.length > 0) throw new Error(`${where}: unknown key ${unknown.join(", ")}`);
  const key = events[0] as (typeof eventKeys)[number];
  const step: TranscriptStep = { line, event: eventOf(key, entries[key], `${where}, ${key}`) };
  if (entries.note !== undefined) step.note = scalar(entries.note, `${where}, note`);
  if (entries.webhook !== undefined) step.webhook = webhookOf(entries.webhook, `${where}, webhook`);
  if (entries.at !== undefined) {
    const at = scalar(entries.at, `${where}, at`);
    if (Number.isNaN(Date.parse(at))) throw new Error(`${where}, at: write a time such as \`2026-03-02T19:30:00Z\``);
    step.at = new Date(at).toISOString();
  }
  const out = Object.fromEntries(outKeys.filter((name) => name in entries).map((name) => [name, entries[name]]));
  if (Object.keys(out).length > 0) step.out = out;
  return step;
}

/** Parses a transcript; a malformed one throws an error naming the file, the line and the step. */
export function parseTranscript(text: string, file: string): Transcript {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter });
  const [error] = document.errors;
  if (error) throw new Error(`${file}: ${error.message}`);
  const raw = document.toJS() as { flows?: unknown; steps?: unknown } | null;
  const flows = raw?.flows;
  if (!Array.isArray(flows) || flows.length === 0 || !flows.every((flow) => typeof flow === "string")) {
    throw new Error(`${file}: \`flows\` lists the flow files the transcript covers`);
  }
  if (!Array.isArray(raw?.steps) || raw.steps.length === 0) throw new Error(`${file}: \`steps\` is a list of steps`);
  const stepNodes = document.get("steps");
  const lineOf = (index: number) => {
    const node = isSeq(stepNodes) ? stepNodes.items[index] : undefined;
    return isNode(node) && node.range ? lineCounter.linePos(node.range[0]).line : 1;
  };
  const steps = raw.steps.map((step, index) => stepOf(step, `${file}:${lineOf(index)}: step ${index + 1}`, lineOf(index)));
  if (steps[0]?.event.type !== "start") throw new Error(`${file}:${lineOf(0)}: step 1: the first step starts a conversation (\`start: web\`)`);
  return { file, flows, steps };
}
