/**
 * The requests desk (docs/privacy.md#requests-desk): a request that arrives by e-mail or letter
 * names an e-mail address or a phone number; the desk finds every conversation on every channel
 * that stored it through the blind index (HMAC-SHA256 of the normalised value under a key
 * derived from the secret, written whenever a conversation's state is stored — never by
 * decrypting everything), and offers one export file and erasure across channels. Each request
 * has a deadline (one month, extendable by two with a reason, Art. 12(3) GDPR); what was done
 * goes into the proof ledger. The address itself is never stored: the request keeps its hash.
 */
import { createHmac, type KeyObject } from "node:crypto";
import { type ConversationState, type DataExport, exportData, type RunnableFlow } from "../../core/index.ts";
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

export interface FoundConversation {
  id: string;
  flow: string;
  channel: string;
  created: string;
  /** The stored fields as labels, never values. */
  fields: string[];
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
}

export interface PrivacyDeskDeps {
  store: PrivacyDeskStore;
  conversations: ConversationStore;
  sealer: Pick<StateSealer, "open" | "forget">;
  catalog: FlowCatalog;
  ledger: ProofLedger;
  indexKey: KeyObject;
  clock: () => Date;
}

const weekMs = 7 * 86_400_000;

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
  async open(subject: { email?: unknown; phone?: unknown }): Promise<RequestView> {
    const kind: BlindIndexKind | undefined = typeof subject.email === "string" ? "email" : typeof subject.phone === "string" ? "phone" : undefined;
    const value = kind === "email" ? subject.email : subject.phone;
    if (!kind || typeof value !== "string" || (subject.email !== undefined && subject.phone !== undefined)) {
      throw new AppError("bad-request", "Send either `email` or `phone`.");
    }
    // National numbers are read as German ones: the calling code flows use today (docs/privacy.md#requests-desk).
    const term = blindIndexTerm(kind, value, "de");
    if (!term) throw new AppError("bad-request", kind === "email" ? "That is not an e-mail address." : "That is not a phone number.");
    const token = this.#token(term);
    const now = this.deps.clock();
    const found = await this.#found(await this.deps.store.find(token));
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

  /** Erases every conversation found, on every channel; the request is done. */
  async erase(id: string): Promise<RequestView> {
    const record = await this.#record(id);
    const now = this.deps.clock().toISOString();
    let erased = 0;
    for (const conversationId of record.conversations) {
      const stored = await this.deps.conversations.get(conversationId);
      if (stored && (await this.deps.conversations.delete(conversationId))) {
        erased += 1;
        this.deps.sealer.forget(conversationId);
        await this.deps.ledger.record([
          { time: now, type: "erasure", reason: "request", request: id, flow: stored.flow, channel: stored.channel, person: this.deps.ledger.personOf(conversationId) },
        ]);
      }
    }
    await this.forget(record.conversations);
    const next: PrivacyRequestRecord = { ...record, status: "done", outcomes: [...record.outcomes, { outcome: erased > 0 ? `erased ${erased}` : "nothing-to-erase", at: now }] };
    await this.deps.store.saveRequest(next);
    await this.deps.ledger.record([{ time: now, type: "request", request: id, reason: next.outcomes.at(-1)?.outcome ?? "done" }]);
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
      found.push({ id, flow: state.flow, channel: state.channel, created: state.startedAt, fields: Object.keys(state.fields).map((field) => fieldLabel(runnable.flow, field)) });
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
    };
  }
}
