/**
 * What a node executor may do during one engine step. Executors are pure: they read the state
 * through this interface and record messages, stored fields and effects in it; `step` turns the
 * record into the next state.
 */
import type { ConsentNode } from "../dsl/flow.ts";
import type { Language } from "../validate/problem.ts";
import type { BotTexts } from "./bot-texts.ts";
import type { Effect, FieldValue, OutgoingMessage } from "./conversation.ts";
import type { RunnableKnowledgeBase } from "../faq/runnable-knowledge-base.ts";

export interface NodeRun {
  /** The id of the node being run. */
  readonly nodeId: string;
  readonly texts: BotTexts;
  readonly language: Language;
  readonly policyUrl: string;
  /** What visitors see for a field (docs/flows.md#field-labels). */
  label(field: string): string;
  /** Invalid answers so far at this node. */
  readonly retries: number;
  say(message: OutgoingMessage): void;
  /** `{{field}}` replaced by stored values (missing fields become empty). */
  interpolate(text: string): string;
  field(name: string): FieldValue | undefined;
  /**
   * Stores a field. A personal field is stored only under a live consent covering it — the
   * runtime guard that holds even for a flow that never passed the validator. Returns whether
   * the value was stored.
   */
  store(field: string, value: FieldValue): boolean;
  /** The stored values of these fields that may leave the bot (personal ones only under consent). */
  shareable(fields: readonly string[]): Record<string, FieldValue>;
  effect(effect: Effect): void;
  recordConsent(node: ConsentNode, decision: "accept" | "decline"): void;
  countInvalidAnswer(): void;
  /** A knowledge base published with the flow version, by name. */
  knowledgeBase(name: string): RunnableKnowledgeBase | undefined;
  /** Hex SHA-256 of a text (the context's hash). */
  hash(text: string): string;
  /** The time of the turn, ISO 8601. */
  readonly now: string;
  /** The conversation's start time, ISO 8601. */
  readonly startedAt: string;
  /** Whether agents are expected now: within the flow's opening hours, or always without any. */
  readonly agentsExpected: boolean;
  /** Notes in the state which kept unanswered question the agent may answer next. */
  noteUnanswered(id: string): void;
}

/** Where the conversation goes after a node: on to a node, to the end, or waiting here. */
export type Transition = { next: string | undefined } | { wait: "reply" | "webhook" | "handover" };

/** A reply addressed to the node the conversation waits at. */
export type NodeReply =
  | { type: "text"; text: string }
  | { type: "choice"; value: string }
  | { type: "webhook-result"; result: { ok: true; json: unknown } | { ok: false } }
  | { type: "handover-ended" }
  | { type: "handover-closed" }
  | { type: "handover-timeout" };

export function go(next: string | undefined): Transition {
  return { next };
}
