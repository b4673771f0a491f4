/**
 * A driven turn in the compact form a golden transcript records: only what a user, an operator
 * or a processor could notice, written so that a reviewer reads it without the types at hand.
 * Text messages are plain strings; a choice lists `label → value` only where the two differ.
 */
import type { ConsentRecord, ConversationState, DataExport, DrivenTurn, Effect, OutgoingMessage } from "../../core/index.ts";

const consentLine = (record: Pick<ConsentRecord, "decision" | "consent">) => `${record.decision} ${record.consent}`;

function dataSummary(data: DataExport): Record<string, unknown> {
  return {
    fields: Object.fromEntries(data.fields.map(({ field, value }) => [field, value])),
    personal: data.fields.filter((field) => field.personal).map(({ field }) => field),
    consents: data.consents.map(consentLine),
    deleteAfter: data.deleteAfter,
  };
}

export function compactMessage(message: OutgoingMessage): unknown {
  switch (message.type) {
    case "text":
      return message.text;
    case "choice":
      return {
        choice: message.text,
        options: message.options.map(({ label, value }) => (label === value ? label : `${label} → ${value}`)),
      };
    case "consent":
      return { consent: message.purpose, text: message.text, fields: message.fields, labels: message.labels };
    case "link":
      return { link: message.label, url: message.url };
    case "input":
      return { input: message.format };
    case "data":
      return { data: dataSummary(message.data) };
    case "status":
      return { status: message.status };
  }
}

export function compactEffect(effect: Effect): unknown {
  switch (effect.type) {
    case "call-webhook":
      return { "call-webhook": effect.node, body: effect.body };
    case "deliver-webhook":
      return effect.integration ? { "deliver-webhook": effect.node, integration: effect.integration } : { "deliver-webhook": effect.node, body: effect.body };
    case "request-handover":
      return { "request-handover": effect.node, shares: effect.shares, ...(effect.unattended ? { unattended: true } : {}) };
    case "handover-message":
      return { "handover-message": effect.node, text: effect.text };
    case "field-corrected":
      return { "field-corrected": effect.field };
    case "erase-conversation":
      return "erase-conversation";
    case "keep-unanswered":
      // The id is a hash of times and text; the masked question and what came closest are what to review.
      return { "keep-unanswered": effect.node, question: effect.question, candidates: effect.candidates.map((candidate) => `${candidate.id} ${candidate.score}`) };
  }
}

function waitingOf(state: ConversationState): string {
  return state.waiting === "ended" ? "ended" : `${state.waiting} at ${state.node}`;
}

/** Every effect of the turn in order, the webhook calls the driver answered included. */
export function compactTurn(turn: DrivenTurn): Record<string, unknown> {
  const { state } = turn.result;
  const out: Record<string, unknown> = { messages: turn.result.messages.map(compactMessage) };
  const effects = turn.steps.flatMap((result) => result.effects);
  if (effects.length > 0) out.effects = effects.map(compactEffect);
  out.waiting = waitingOf(state);
  if (state.overlay) out.overlay = state.overlay.kind === "correct" ? `correct ${state.overlay.field}` : state.overlay.kind;
  if (state.retries > 0) out.retries = state.retries;
  out.fields = { ...state.fields };
  if (state.consents.length > 0) out.consents = state.consents.map(consentLine);
  return out;
}
