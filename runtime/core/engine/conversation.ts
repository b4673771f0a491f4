/**
 * The engine's vocabulary: a conversation's state (plain JSON, stored sealed by the server),
 * the events that advance it, the messages it sends and the effects the edges carry out.
 */
import type { InputNode } from "../dsl/flow.ts";
import type { IntegrationCall } from "../webhook/integrations.ts";
import type { Language } from "../validate/problem.ts";

export type FieldValue = string | number | boolean;
export type InputFormat = NonNullable<InputNode["format"]>;

/** One logged consent decision (docs/privacy.md#consent-before-collection): what was asked, how it was answered, when, where. */
export interface ConsentRecord {
  /** The consent node's id; one purpose each. */
  consent: string;
  purpose: string;
  fields: string[];
  /** SHA-256 of the exact consent text shown. */
  textHash: string;
  flowVersion: string;
  decision: "accept" | "decline" | "withdraw";
  at: string;
  channel: string;
}

/**
 * Personal data a webhook step sent to a processor that takes notices (docs/privacy.md#recipients-told):
 * written by the edges when the data left, so that a later correction, withdrawal or erasure can
 * be passed on. Ids and names only, never a value.
 */
export interface RecipientRecord {
  /** The webhook step that sent it. */
  node: string;
  /** The processor's name, as the step declared it. */
  processor: string;
  /** Where the processor takes notices: the step's `notices.url` when the data left. */
  notices: string;
  /** The personal fields sent. */
  fields: string[];
  /** The `Idempotency-Key` the data went with: the processor knows the person by it. */
  delivery: string;
  at: string;
}

/** A side dialogue of the main menu, laid over the flow without moving it. */
export type MenuOverlay = { kind: "my-data" } | { kind: "correct"; field: string };

export interface ConversationState {
  flow: string;
  /** The flow version this conversation runs on, for its whole life. */
  version: string;
  language: Language;
  channel: string;
  /** The node the conversation waits at; null once it has ended. */
  node: string | null;
  waiting: "reply" | "webhook" | "handover" | "ended";
  /** Invalid answers given at the current input. */
  retries: number;
  overlay?: MenuOverlay;
  fields: Record<string, FieldValue>;
  consents: ConsentRecord[];
  /**
   * The id of the unanswered question this conversation's last `faq` fallback kept (masked, in
   * the store's review list), so that an agent's answer after the handover can be offered to
   * editors (docs/faq.md#learning-from-the-agents). An id only: the question is not in the state.
   */
  unanswered?: string;
  /**
   * The conversation so far, kept only when a `handover` step of the flow shows it to the agent
   * (`history: true`, docs/inbox.md#history-before-the-handover): at most the last 50 messages
   * of the bot and answers of the visitor, sealed with the rest of the state. Withdrawing a
   * consent forgets it.
   */
  history?: ConversationHistoryEntry[];
  /** Which processors received which personal fields, for their notices; the edges write it. */
  recipients?: RecipientRecord[];
  startedAt: string;
  lastActivityAt: string;
}

/** One message of the conversation before a handover, for the agent's view. */
export interface ConversationHistoryEntry {
  from: "visitor" | "bot";
  at: string;
  message: OutgoingMessage;
}

export type MenuItemId = "privacy" | "imprint" | "my-data" | "unsubscribe" | (string & {});

export type EngineEvent =
  | { type: "text"; text: string }
  | { type: "choice"; value: string }
  | { type: "menu"; item: MenuItemId }
  | { type: "webhook-result"; node: string; result: { ok: true; json: unknown } | { ok: false } }
  | { type: "handover-ended" }
  /** The agent closed the live chat: the conversation ends. */
  | { type: "handover-closed" }
  /** Nobody claimed the live chat within the step's `unclaimedMinutes`. */
  | { type: "handover-timeout" };

export interface ChoiceOptionOut {
  label: string;
  value: string;
}

/** What the bot sends: typed objects, never HTML. Channels render them within their limits. */
export type OutgoingMessage =
  | { type: "text"; text: string }
  | { type: "choice"; text: string; options: ChoiceOptionOut[] }
  | {
      type: "consent";
      purpose: string;
      text: string;
      /** The field ids the consent covers. */
      fields: string[];
      /** The same fields as visitors see them (docs/flows.md#field-labels). */
      labels: string[];
      policyUrl: string;
      options: ChoiceOptionOut[];
    }
  | { type: "link"; label: string; url: string }
  | { type: "input"; format: InputFormat }
  | { type: "data"; data: DataExport }
  | { type: "status"; status: "handover" | "ended" | "erased" };

/** Work the engine asks the edges to do; their results come back as events. */
export type Effect =
  | { type: "call-webhook"; node: string; url: string; body: Record<string, FieldValue>; timeoutMs: number }
  | RequestHandoverEffect
  /** A message the visitor wrote during a handover: for the agent, kept sealed by the edges (docs/inbox.md). */
  | { type: "handover-message"; node: string; text: string }
  /**
   * A webhook step with `delivery: durable`: stored with the turn and sent by the delivery worker;
   * nothing comes back. An integration preset's carries the provider's request in `integration`
   * (docs/deliveries.md#integrations), sent instead of `body`.
   */
    | {
      type: "deliver-webhook";
      node: string;
      url: string;
      body: Record<string, FieldValue>;
      timeoutMs: number;
      integration?: IntegrationCall;
      /** Set by the edges before the turn is stored: the delivery's id, its `Idempotency-Key`. */
      id?: string;
    }
  | KeepUnansweredEffect
  /** A stored answer was corrected (in "my data", or by the privacy desk): the edges record it and tell whoever must know. */
  | { type: "field-corrected"; field: string }
  | { type: "erase-conversation" };

/**
 * A `handover` step asks for an agent: the edges queue the conversation in the inbox with the
 * fields the step `shares`, and send `handover-timeout` when nobody claimed it in time.
 */
export interface RequestHandoverEffect {
  type: "request-handover";
  node: string;
  shares: Record<string, FieldValue>;
  /** Minutes until an unclaimed conversation gets `handover-timeout`. */
  unclaimedMinutes: number;
  /** No agent is expected (outside opening hours): the visitor was told and may leave a message. */
  unattended?: true;
  /** The conversation before the handover, when the step shows it to the agent (`history: true`). */
  history?: ConversationHistoryEntry[];
}

/**
 * A `faq` step fell back: the edges keep the question for editors to review. The question
 * arrives masked (`maskPersonalData`) and carries nothing that links it to the visitor.
 */
export interface KeepUnansweredEffect {
  type: "keep-unanswered";
  /** A stable id (the same turn yields the same id), so keeping it twice keeps one. */
  id: string;
  node: string;
  knowledgeBase: string;
  question: string;
  /** The entries that came closest, best first. */
  candidates: { id: string; score: number }[];
}

/** The machine-readable export of everything stored about the user (docs/privacy.md#data-subject-rights-in-the-chat). */
export interface DataExport {
  flow: string;
  flowVersion: string;
  channel: string;
  startedAt: string;
  lastActivityAt: string;
  retention: string;
  deleteAfter: string;
  fields: { field: string; label: string; value: FieldValue; personal: boolean; purposes: string[] }[];
  consents: ConsentRecord[];
  /** The messages of the live chat with the team since the last handover (docs/inbox.md#privacy), when there is one; the edges add it. */
  liveChat?: { from: "visitor" | "agent" | "bot"; at: string; message: OutgoingMessage }[];
  /** The conversation kept for an agent's view before a handover (`history: true` on the step), when there is one. */
  history?: ConversationHistoryEntry[];
}

/** What the engine needs from outside: the time and a hash function (both pure inputs). */
export interface EngineContext {
  /** The current time as an ISO 8601 string. */
  now: string;
  /** Hex SHA-256 of a text (consent records keep the hash of the exact text shown). */
  hashText(text: string): string;
  /** Told what the turn did, for the analytics (docs/analytics.md); nothing the visitor said reaches it. */
  observe?(observation: EngineObservation): void;
}

/** A structural fact about a turn, for counting: node ids and consent purposes from the flow, never a value the visitor gave. */
export type EngineObservation =
  /** A node was entered; `from` is the node whose way out led here (null at the start). */
  | { type: "enter"; node: string; from: string | null }
  | { type: "consent"; purpose: string; decision: "accept" | "decline" | "withdraw" }
  /** An answer was invalid and the question is asked again. */
  | { type: "retry"; node: string }
  /** The flow reached its end. */
  | { type: "completed" };

export interface StepResult {
  state: ConversationState;
  messages: OutgoingMessage[];
  effects: Effect[];
}
