/**
 * The requests desk (docs/privacy.md#requests-desk): a request that arrives by e-mail or letter
 * names an e-mail address or a phone number; the desk finds every conversation on every channel
 * that stored it through the blind index (HMAC-SHA256 of the normalised value under a key
 * derived from the secret, written whenever a conversation's state is stored — never by
 * decrypting everything), and offers one export file and erasure across channels. Each request
 * has a deadline (one month, extendable by two with a reason, Art. 12(3) GDPR); what was done
 * goes into the proof ledger. The address itself is never stored: the request keeps its hash.
 * A messenger user id (Telegram, WhatsApp, Messenger) finds that user's conversation through the
 * channel pseudonym the hub stores it under. A correction goes through the conversation
 * service's one correction path, as "my data" in the chat does. Open requests near their
 * deadline are mailed to the data protection officers (`remind`).
 */
import { createHmac, type KeyObject } from "node:crypto";
import { type ConversationState, type DataExport, exportData, isMessengerChannel, type RunnableFlow } from "../../core/index.ts";
import { type BlindIndexKind, blindIndexTerm, blindIndexTerms } from "../../core/privacy/blind-index.ts";
import { fieldLabel } from "../../core/dsl/field-labels.ts";
import type { ConversationStore } from "../../stores/ports/conversations.ts";
import type { PrivacyDeskStore, PrivacyRequestRecord } from "../../stores/ports/privacy-desk.ts";
import { AppError } from "../app-error.ts";
import type { StateSealer } from "../conversations/conversation-service.ts";
import { secureRandomBytes } from "../crypto/random-pool.ts";
import type { FlowCatalog } from "../flows/flow-catalog.ts";
import { formatOf } from "../../core/engine/runnable-flow.ts";
import type { ProofLedger } from "./proof-ledger.ts";
import { pseudonym } from "../crypto/pseudonym.ts";

export interface FoundConversation {
  id: string;
  flow: string;
  channel: string;
  created: string;
  /** The stored fields as labels, never values. */
  fields: string[];
  /** The same fields with their ids, for a correction: id and label, never the value. */
  correctable: { field: string; label: string }[];
  /** The conversation's pseudonym in the proof ledger, to look up its entries. */
  person: string;
}

/** A messenger user id, as the platform shows it (Telegram user id, WhatsApp number, Messenger PSID). */
export interface MessengerSubject {
  channel: string;
  id: string;
}

export interface RequestView {
  id: string;
  kind: PrivacyRequestRecord["kind"];
  createdAt: string;
  deadline: string;
  extension?: PrivacyRequestRecord["extension"];
  status: PrivacyRequestRecord["status"];
  outcomes: PrivacyRequestRecord["outcomes"];
  conversations: FoundConversation[];
  /** The deadline is less than a week away and the request is still open. */
  reminder: boolean;
  /** An open request for the same person existed already: this is it. */
  duplicate?: boolean;
  /** When the reminders went out. */
  reminded?: PrivacyRequestRecord["reminders"];
}

export interface PrivacyDeskDeps {
  store: PrivacyDeskStore;
  conversations: ConversationStore;
  sealer: Pick<StateSealer, "open" | "forget">;
  catalog: FlowCatalog;
  ledger: ProofLedger;
  indexKey: KeyObject;
  /** The key channel user ids are pseudonymised under (the hub's), to find a messenger user's conversation. */
  pseudonymKey: KeyObject;
  /** The conversation service's correction ("my data" uses the same); set once the service exists. */
  correct?: (conversationId: string, field: string, value: string, request: string) => Promise<"corrected" | "invalid" | "not-stored">;
  /** Asks the processors that received a conversation's data to erase it too, before the desk erases it (docs/privacy.md#recipients-told); resolves with their names. */
  tellErasure?: (conversationId: string) => Promise<string[]>;
  clock: () => Date;
}

/** Which reminder: a week before the deadline, or on its day. */
export type ReminderKind = "week" | "due";

/** A reminder to send: the request and its deadline, nothing about the person. */
export interface RequestReminder {
  kind: ReminderKind;
  request: string;
  deadline: string;
}

const dayMs = 86_400_000;
const weekMs = 7 * dayMs;

function addMonths(time: Date, months: number): string {
  const next = new Date(time);
  next.setUTCMonth(next.getUTCMonth() + months);
  return next.toISOString();
}

export class PrivacyDesk {
  constructor(private readonly deps: PrivacyDeskDeps) {}

  #token(term: string): string {
    return createHmac("sha256", this.deps.indexKey).update(term).digest("base64url");
  }

  /**
   * Writes a conversation's blind index from its stored fields, called whenever its state is
   * stored; a turn that changed no e-mail address or phone number writes nothing.
   */
  async index(conversationId: string, runnable: RunnableFlow, state: ConversationState, before?: ConversationState): Promise<void> {
    const terms = blindIndexTerms(state.fields, (field) => formatOf(runnable, field), state.language);
    if (before) {
      const earlier = blindIndexTerms(before.fields, (field) => formatOf(runnable, field), before.language);
      if (earlier.length === terms.length && earlier.every((term, index) => term === terms[index])) return;
    } else if (terms.length === 0) {
      return;
    }
    await this.deps.store.index(conversationId, terms.map((term) => this.#token(term)));
  }

  /** The conversations were erased: their index goes too. */
  forget(conversationIds: readonly string[]): Promise<void> {
    return this.deps.store.forget(conversationIds);
  }

  /**
   * Opens a request for the person with this address. An open request for the same person is
   * answered again instead of a second one. "Nothing stored" is an honest answer, recorded too.
   */
  async open(subject: { email?: unknown; phone?: unknown; messenger?: unknown }): Promise<RequestView> {
    const given = [subject.email, subject.phone, subject.messenger].filter((value) => value !== undefined).length;
    if (given !== 1) throw new AppError("bad-request", "Send one of `email`, `phone` or `messenger` ({ channel, id }).");
    const { kind, token, ids } = subject.messenger !== undefined ? await this.#messenger(subject.messenger) : await this.#address(subject);
    const now = this.deps.clock();
    const found = await this.#found(ids);
    const existing = (await this.deps.store.listRequests()).find((record) => record.subject === token && record.status === "open");
    if (existing) {
      const merged = { ...existing, conversations: [...new Set([...existing.conversations, ...found.map((conversation) => conversation.id)])] };
      await this.deps.store.saveRequest(merged);
      return { ...(await this.#view(merged)), duplicate: true };
    }
    const record: PrivacyRequestRecord = {
      id: secureRandomBytes(9).toString("base64url"),
      subject: token,
      kind,
      createdAt: now.toISOString(),
      deadline: addMonths(now, 1),
      status: "open",
      conversations: found.map((conversation) => conversation.id),
      outcomes: found.length === 0 ? [{ outcome: "nothing-stored", at: now.toISOString() }] : [],
    };
    await this.deps.store.saveRequest(record);
    await this.deps.ledger.record([{ time: now.toISOString(), type: "request", request: record.id, reason: found.length === 0 ? "nothing-stored" : `found ${found.length}` }]);
    return this.#view(record);
  }

  async #address(subject: { email?: unknown; phone?: unknown }): Promise<{ kind: PrivacyRequestRecord["kind"]; token: string; ids: string[] }> {
    const kind: BlindIndexKind | undefined = typeof subject.email === "string" ? "email" : typeof subject.phone === "string" ? "phone" : undefined;
    const value = kind === "email" ? subject.email : subject.phone;
    if (!kind || typeof value !== "string") throw new AppError("bad-request", "Send either `email` or `phone`.");
    // National numbers are read as German ones: the calling code flows use today (docs/privacy.md#requests-desk).
    const term = blindIndexTerm(kind, value, "de");
    if (!term) throw new AppError("bad-request", kind === "email" ? "That is not an e-mail address." : "That is not a phone number.");
    const token = this.#token(term);
    return { kind, token, ids: await this.deps.store.find(token) };
  }

  /** A messenger user's conversation, found by the pseudonym the hub keeps it under (never by the raw id). */
  async #messenger(subject: unknown): Promise<{ kind: PrivacyRequestRecord["kind"]; token: string; ids: string[] }> {
    const { channel, id } = (subject ?? {}) as { channel?: unknown; id?: unknown };
    if (typeof channel !== "string" || !isMessengerChannel(channel)) throw new AppError("bad-request", "`messenger.channel` is `telegram`, `whatsapp` or `messenger`.");
    const userId = typeof id === "string" ? id.trim() : typeof id === "number" ? String(id) : "";
    if (userId.length === 0 || userId.length > 100) throw new AppError("bad-request", "`messenger.id` is the user id the platform shows.");
    // WhatsApp user ids are the number in international digits; `+49 151 …` means the same.
    const normalised = channel === "whatsapp" ? userId.replace(/[\s()+/.-]/g, "").replace(/^00/, "") : userId;
    const found = await this.deps.conversations.findByChannelUser(channel, pseudonym(this.deps.pseudonymKey, channel, normalised));
    return { kind: "messenger", token: this.#token(`messenger:${channel}:${normalised}`), ids: found ? [found.id] : [] };
  }

  async get(id: string): Promise<RequestView> {
    return this.#view(await this.#record(id));
  }

  async list(): Promise<RequestView[]> {
    return Promise.all((await this.deps.store.listRequests()).map((record) => this.#view(record)));
  }

  /** Extends the deadline by two months, once, with a reason the person is told (Art. 12(3) GDPR). */
  async extend(id: string, reason: unknown): Promise<RequestView> {
    if (typeof reason !== "string" || reason.trim().length === 0 || reason.length > 1000) throw new AppError("bad-request", "An extension needs a `reason` (up to 1000 characters).");
    const record = await this.#record(id);
    if (record.extension) throw new AppError("conflict", "This request was extended already.");
    const now = this.deps.clock().toISOString();
    const next = { ...record, deadline: addMonths(new Date(record.createdAt), 3), extension: { reason: reason.trim(), at: now }, outcomes: [...record.outcomes, { outcome: "extended", at: now }] };
    await this.deps.store.saveRequest(next);
    return this.#view(next);
  }

  /** One file for the person: the export of every conversation found. */
  async export(id: string): Promise<{ request: string; exportedAt: string; conversations: DataExport[] }> {
    const record = await this.#record(id);
    const now = this.deps.clock().toISOString();
    const conversations: DataExport[] = [];
    for (const conversationId of record.conversations) {
      const opened = await this.#opened(conversationId);
      if (!opened) continue;
      conversations.push(exportData(opened.runnable, opened.state));
      await this.deps.ledger.record([
        { time: now, type: "export", reason: "request", request: id, flow: opened.state.flow, flowVersion: opened.state.version, channel: opened.state.channel, person: this.deps.ledger.personOf(conversationId) },
      ]);
    }
    await this.deps.store.saveRequest({ ...record, outcomes: [...record.outcomes, { outcome: "exported", at: now }] });
    return { request: id, exportedAt: now, conversations };
  }

  /**
   * Corrects one stored answer of a conversation the request found (Art. 16 GDPR), through the
   * same correction as "my data" in the chat: the format is checked again, the proof ledger
   * records it, and whatever else a correction sets off happens for the desk's too.
   */
  async correct(id: string, body: { conversation?: unknown; field?: unknown; value?: unknown }): Promise<RequestView> {
    const record = await this.#record(id);
    if (record.status !== "open") throw new AppError("conflict", "This request is closed.");
    const { conversation, field, value } = body;
    if (typeof conversation !== "string" || !record.conversations.includes(conversation)) throw new AppError("bad-request", "`conversation` must be one the request found.");
    if (typeof field !== "string" || typeof value !== "string" || value.length > 1000) throw new AppError("bad-request", "Send the `field` and its new `value`.");
    if (!this.deps.correct) throw new Error("the privacy desk has no correction wired");
    const outcome = await this.deps.correct(conversation, field, value, id);
    if (outcome === "invalid") throw new AppError("bad-request", "The new value does not fit the field's format.");
    if (outcome === "not-stored") throw new AppError("conflict", "The conversation holds no such field (any more).");
    const now = this.deps.clock().toISOString();
    const next = { ...record, outcomes: [...record.outcomes, { outcome: "corrected", at: now }] };
    await this.deps.store.saveRequest(next);
    return this.#view(next);
  }

  /**
   * The reminders due now: for each open request, one a week before its deadline and one on the
   * day of the deadline (from midnight UTC), each once — the request records a reminder once
   * `send` resolved; a request already past its week mark gets only the one that is due.
   * Returns what was sent.
   */
  async remind(send: (reminder: RequestReminder) => Promise<void>): Promise<RequestReminder[]> {
    const now = this.deps.clock().getTime();
    const sent: RequestReminder[] = [];
    for (const listed of await this.deps.store.listRequests()) {
      if (listed.status !== "open") continue;
      const deadline = Date.parse(listed.deadline);
      const kind: ReminderKind | undefined = now >= startOfDay(deadline) ? "due" : deadline - now <= weekMs ? "week" : undefined;
      if (!kind || listed.reminders?.[kind] || (kind === "week" && listed.reminders?.due)) continue;
      // Read again just before: the DPO may have closed it meanwhile.
      const record = await this.deps.store.getRequest(listed.id);
      if (record?.status !== "open" || record.reminders?.[kind]) continue;
      const reminder = { kind, request: record.id, deadline: record.deadline };
      await send(reminder);
      await this.deps.store.saveRequest({ ...record, reminders: { ...record.reminders, [kind]: new Date(now).toISOString() } });
      sent.push(reminder);
    }
    return sent;
  }

  /** Erases every conversation found, on every channel; the request is done. */
  async erase(id: string): Promise<RequestView> {
    const record = await this.#record(id);
    const now = this.deps.clock().toISOString();
    let erased = 0;
    const told = new Set<string>();
    for (const conversationId of record.conversations) {
      const stored = await this.deps.conversations.get(conversationId);
      // The processors' notices are durable before the erasure, so none is lost in between.
      if (stored) for (const processor of (await this.deps.tellErasure?.(conversationId)) ?? []) told.add(processor);
      if (stored && (await this.deps.conversations.delete(conversationId))) {
        erased += 1;
        this.deps.sealer.forget(conversationId);
        await this.deps.ledger.record([
          { time: now, type: "erasure", reason: "request", request: id, flow: stored.flow, channel: stored.channel, person: this.deps.ledger.personOf(conversationId) },
        ]);
      }
    }
    await this.forget(record.conversations);
    const outcomes = [...record.outcomes, { outcome: erased > 0 ? `erased ${erased}` : "nothing-to-erase", at: now }];
    if (told.size > 0) outcomes.push({ outcome: `processors asked to erase: ${[...told].join(", ")}`, at: now });
    const next: PrivacyRequestRecord = { ...record, status: "done", outcomes };
    await this.deps.store.saveRequest(next);
    await this.deps.ledger.record([{ time: now, type: "request", request: id, reason: erased > 0 ? `erased ${erased}` : "nothing-to-erase" }]);
    return this.#view(next);
  }

  async #record(id: string): Promise<PrivacyRequestRecord> {
    const record = await this.deps.store.getRequest(id);
    if (!record) throw new AppError("not-found", "There is no such request.");
    return record;
  }

  async #opened(id: string): Promise<{ runnable: RunnableFlow; state: ConversationState } | undefined> {
    const record = await this.deps.conversations.get(id);
    const state = record && (await this.deps.sealer.open(id, record.sealedState));
    if (!record || !state) return undefined;
    return { runnable: await this.deps.catalog.version(record.flow, record.version), state };
  }

  /** The conversations that still exist, with their fields as labels. */
  async #found(ids: readonly string[]): Promise<FoundConversation[]> {
    const found: FoundConversation[] = [];
    for (const id of ids) {
      const opened = await this.#opened(id);
      if (!opened) continue;
      const { runnable, state } = opened;
      const correctable = Object.keys(state.fields).map((field) => ({ field, label: fieldLabel(runnable.flow, field) }));
      found.push({ id, flow: state.flow, channel: state.channel, created: state.startedAt, fields: correctable.map((item) => item.label), correctable, person: this.deps.ledger.personOf(id) });
    }
    return found;
  }

  async #view(record: PrivacyRequestRecord): Promise<RequestView> {
    const now = this.deps.clock().getTime();
    return {
      id: record.id,
      kind: record.kind,
      createdAt: record.createdAt,
      deadline: record.deadline,
      ...(record.extension ? { extension: record.extension } : {}),
      status: record.status,
      outcomes: record.outcomes,
      conversations: record.status === "open" ? await this.#found(record.conversations) : [],
      reminder: record.status === "open" && Date.parse(record.deadline) - now < weekMs,
      ...(record.reminders ? { reminded: record.reminders } : {}),
    };
  }
}

/** Midnight UTC of the day a time falls on. */
function startOfDay(time: number): number {
  return time - (time % dayMs);
}
