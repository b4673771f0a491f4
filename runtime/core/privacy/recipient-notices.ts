/**
 * Recipients told (docs/privacy.md#recipients-told, Art. 17(2) and 19 GDPR): which processors
 * received which personal fields from a conversation, and which notices a correction, a
 * withdrawal or an erasure owes them. Pure: the edges record what left (`noteRecipients`), plan
 * the notices of a change (`planNotices`), store them as durable deliveries and put the
 * truthful sentence into the chat (`withTold`).
 *
 * A notice names the person only by what the processor already knows: the `Idempotency-Key`s
 * the data went with. It never carries a personal value, except the new value of a correction,
 * which the processor needs to correct its copy.
 */
import type { ConversationState, FieldValue, OutgoingMessage, RecipientRecord } from "../engine/conversation.ts";
import { botTexts } from "../engine/bot-texts.ts";
import { labelOf, type RunnableFlow } from "../engine/runnable-flow.ts";

export type NoticeType = "erasure" | "correction" | "withdrawal";

/** The JSON a processor receives (docs/deliveries.md#notices-to-processors). */
export type NoticeBody = {
  type: NoticeType;
  /** The processor the notice is for, as the flow names it. */
  processor: string;
  /** Who the notice is about, in the processor's terms: the `Idempotency-Key`s of the deliveries that brought the data. */
  subject: { deliveries: string[] };
  /** The fields concerned (ids as sent). */
  fields: string[];
  /** Corrections only: the new values, which the processor needs. */
  values?: Record<string, FieldValue>;
  /** Withdrawals only: the purpose of the consent withdrawn. */
  purpose?: string;
  flow: string;
  time: string;
};

/** A notice to store as a durable delivery. */
export interface PlannedNotice {
  url: string;
  body: NoticeBody;
  /** Erasure and withdrawal notices hold no personal value and outlive the conversation; a correction's holds the new value and goes with it. */
  survivesErasure: boolean;
}

/** What a data-sending step left behind: its node, the delivery's id, the fields in its body. */
export interface SentData {
  node: string;
  delivery: string;
  fields: readonly string[];
}

/**
 * Records the personal fields each step sent to a processor that takes notices. A step without
 * `notices` or `processor`, or one that sent no personal field, leaves nothing.
 */
export function noteRecipients(runnable: RunnableFlow, state: ConversationState, sent: readonly SentData[], now: string): ConversationState {
  const added: RecipientRecord[] = [];
  for (const item of sent) {
    const node = Object.hasOwn(runnable.flow.nodes, item.node) ? runnable.flow.nodes[item.node] : undefined;
    if (node?.type !== "webhook" || !node.notices || !node.processor) continue;
    const fields = item.fields.filter((field) => runnable.personalFields.has(field));
    if (fields.length === 0) continue;
    added.push({ node: item.node, processor: node.processor.name, notices: node.notices.url, fields: [...fields], delivery: item.delivery, at: now });
  }
  return added.length === 0 ? state : { ...state, recipients: [...(state.recipients ?? []), ...added] };
}

/** The records grouped by where their notices go (one notice per processor address). */
function byAddress(records: readonly RecipientRecord[]): Map<string, RecipientRecord[]> {
  const groups = new Map<string, RecipientRecord[]>();
  for (const record of records) {
    const key = `${record.notices}\u0000${record.processor}`;
    groups.set(key, [...(groups.get(key) ?? []), record]);
  }
  return groups;
}

function notice(type: NoticeType, group: readonly RecipientRecord[], fields: readonly string[], flow: string, time: string, extra: Partial<NoticeBody> = {}): PlannedNotice {
  const first = group[0] as RecipientRecord;
  return {
    url: first.notices,
    body: { type, processor: first.processor, subject: { deliveries: [...new Set(group.map((record) => record.delivery))] }, fields: [...new Set(fields)], ...extra, flow, time },
    survivesErasure: type !== "correction",
  };
}

/** Erasure: every processor that received personal data is asked to erase it too. */
export function erasureNotices(state: ConversationState, time: string): PlannedNotice[] {
  return [...byAddress(state.recipients ?? []).values()].map((group) => notice("erasure", group, group.flatMap((record) => record.fields), state.flow, time));
}

/**
 * The notices a turn owes: a correction of a sent field (with its new value), a withdrawal of a
 * consent covering sent fields, or the erasure of the conversation.
 */
export function planNotices(before: ConversationState, after: ConversationState, change: { erased?: boolean; corrected?: readonly string[] }, time: string): PlannedNotice[] {
  if (change.erased) return erasureNotices(before, time);
  const records = after.recipients ?? [];
  const notices: PlannedNotice[] = [];
  const corrected = (change.corrected ?? []).filter((field) => Object.hasOwn(after.fields, field));
  if (corrected.length > 0) {
    for (const group of byAddress(records).values()) {
      const fields = corrected.filter((field) => group.some((record) => record.fields.includes(field)));
      if (fields.length === 0) continue;
      const values = Object.fromEntries(fields.map((field) => [field, after.fields[field] as FieldValue]));
      notices.push(notice("correction", group.filter((record) => record.fields.some((field) => fields.includes(field))), fields, after.flow, time, { values }));
    }
  }
  for (const record of after.consents.slice(before.consents.length)) {
    if (record.decision !== "withdraw") continue;
    for (const group of byAddress(records).values()) {
      const concerned = group.filter((sent) => sent.fields.some((field) => record.fields.includes(field)));
      const fields = concerned.flatMap((sent) => sent.fields.filter((field) => record.fields.includes(field)));
      if (fields.length > 0) notices.push(notice("withdrawal", concerned, fields, after.flow, time, { purpose: record.purpose }));
    }
  }
  return notices;
}

/**
 * The chat's messages with one sentence per kind of notice sent, naming the processors, right
 * after the confirmation it belongs to (or at the end): said only for notices really stored.
 */
export function withTold(runnable: RunnableFlow, state: ConversationState, messages: readonly OutgoingMessage[], notices: readonly PlannedNotice[]): OutgoingMessage[] {
  if (notices.length === 0) return [...messages];
  const texts = botTexts(state.language);
  const result = [...messages];
  const kinds: [NoticeType, (names: readonly string[]) => string, (text: string) => boolean][] = [
    ["erasure", texts.toldErasure, (text) => text === texts.unsubscribed],
    ["correction", texts.toldCorrection, (text) => Object.keys(state.fields).some((field) => text === texts.corrected(labelOf(runnable, field)))],
    ["withdrawal", texts.toldWithdrawal, (text) => notices.some((item) => item.body.purpose !== undefined && text === texts.withdrawn(item.body.purpose))],
  ];
  for (const [type, say, confirms] of kinds) {
    const names = [...new Set(notices.filter((item) => item.body.type === type).map((item) => item.body.processor))];
    if (names.length === 0) continue;
    const told: OutgoingMessage = { type: "text", text: say(names) };
    const at = result.findIndex((message) => message.type === "text" && confirms(message.text));
    if (at >= 0) result.splice(at + 1, 0, told);
    else {
      const status = result.findIndex((message) => message.type === "status");
      result.splice(status >= 0 ? status : result.length, 0, told);
    }
  }
  return result;
}
