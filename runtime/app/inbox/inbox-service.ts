/**
 * The live-chat inbox (docs/inbox.md): the conversations a `handover` step gave to the team,
 * their queue, claiming, the agent's view (the messages since the handover and the fields the
 * step `shares`, nothing else), replies, hand-back to the bot, closing, and the timer for
 * conversations nobody claimed in time. Every text is sealed under the conversation's data key,
 * so erasing the conversation erases the live chat with it; every time an agent opens a
 * conversation it is in the audit trail. Changes go out as signals (`SignalStore`), which the
 * event streams of visitors and agents follow on every instance.
 *
 * @example
 * ```ts
 * const inbox = new InboxService({ liveChats: store.liveChats, signals: store.signals, conversations: service, sealer, audit, clock });
 * await inbox.claim(id, principal, actor);
 * await inbox.reply(id, "Gern, ich sehe nach.", principal, actor);
 * await inbox.release(id, principal, actor); // the flow continues at the step's `next`
 * ```
 */
import { botTexts, type ConversationState, type DataExport, type EngineEvent, type FieldValue, fieldLabel, type Language, type OutgoingMessage, type RequestHandoverEffect, type RunnableFlow } from "../../core/index.ts";
import type { LiveChatMessage, LiveChatRecord, LiveChatStatus, LiveChatStore } from "../../stores/ports/live-chats.ts";
import type { SignalStore } from "../../stores/ports/signals.ts";
import type { Principal } from "../accounts/principal.ts";
import { AppError } from "../app-error.ts";
import type { AuditActor, AuditTrail } from "../audit/audit-trail.ts";
import type { LiveChatHooks, MessengerContact, StoredTurn } from "../conversations/conversation-service.ts";
import type { ConversationValueSealer } from "../crypto/service-crypto.ts";

/** Longer replies are refused, naming the limit: Messenger's 2000 characters are the smallest of the channels. */
export const maxReplyLength = 2000;

const shares = "live-chat-shares";
const messagePurpose = "live-chat";
const historyPurpose = "live-chat-history";
const contactPurpose = "live-chat-contact";

/** What the inbox needs of the conversation service: the turns it causes, and a look at a conversation. */
export interface InboxConversations {
  teamTurn(id: string, event: EngineEvent): Promise<{ messages: OutgoingMessage[]; state: ConversationState } | undefined>;
  peek(id: string): Promise<{ runnable: RunnableFlow; state: ConversationState } | undefined>;
}

/** Where a messenger user's messages go: the raw channel id and the outbox's pseudonym of them. */
export type MessengerRecipient = Omit<MessengerContact, "sentAt">;

/** Messenger conversations: the agent's and the bot's messages leave through the channel's outbox (docs/inbox.md#messengers). */
export interface InboxMessengers {
  /**
   * Queues bot or agent messages for the messenger user, in order after everything queued for
   * them before; refuses with a coded error when the channel cannot take them.
   */
  send(channel: string, to: MessengerRecipient, messages: readonly OutgoingMessage[], options: { from: "agent" | "bot"; lastInboundAt: string; language: Language }): Promise<void>;
  /**
   * Until when a message `from` the agent or the bot may still reach a user who last wrote at
   * `lastInboundAt` (WhatsApp: 24 hours; Messenger: 24 hours, an agent 7 days); undefined when
   * the platform has no limit.
   */
  replyWindowEnd(channel: string, lastInboundAt: string, from: "agent" | "bot"): string | undefined;
}

export interface InboxDeps {
  liveChats: LiveChatStore;
  signals: SignalStore;
  conversations: InboxConversations;
  sealer: ConversationValueSealer;
  audit: AuditTrail;
  clock: () => Date;
  /** `FaqReview.agentAnswered`: an agent's first answer after a `faq` fallback becomes a suggestion for editors. */
  agentAnswered?: (input: { conversation: string; answer: string; question?: string }) => Promise<unknown>;
  messengers?: InboxMessengers;
  /** Told once when a conversation has waited this long unclaimed (BOTSCHAFT_INBOX_NOTIFY_AFTER). */
  notify?: { afterMs: number; send(waiting: InboxSummary): Promise<void> };
}

/** A conversation in the queue, as every agent sees it: nothing personal. */
export interface InboxSummary {
  id: string;
  flow: string;
  channel: string;
  state: LiveChatStatus;
  node: string;
  /** The handover step's text as written in the flow (placeholders not filled in). */
  text: string;
  waitingSince: string;
  unattended: boolean;
  timedOut: boolean;
  claimedBy?: string;
  claimedByName?: string;
  mine: boolean;
  lastMessageAt?: string;
}

export interface InboxMessage {
  seq: number;
  from: LiveChatMessage["from"];
  at: string;
  message: OutgoingMessage;
}

/** The agent's view of one conversation. */
export interface InboxView extends InboxSummary {
  ended?: LiveChatRecord["ended"];
  shares: Record<string, FieldValue>;
  /**
   * The conversation before the handover, when the step shows it (`history: true`): the bot's
   * messages and the visitor's answers. Only in the full view (audited), not in `after` reads.
   */
  history?: { from: "visitor" | "bot"; at: string; message: OutgoingMessage }[];
  /** Each shared field's label in the flow's language (docs/flows.md#field-labels), so agents read names, not ids. */
  labels: Record<string, string>;
  messages: InboxMessage[];
  /** When a reply can no longer reach the visitor (WhatsApp's 24-hour window). */
  replyWindowEnd?: string;
}

/** What decides who follows a live chat's messages: its state and who claimed it. */
export interface LiveChatAudience {
  status: LiveChatStatus;
  claimedBy?: string;
}

function audienceOf(record: LiveChatRecord): LiveChatAudience {
  return { status: record.status, ...(record.claimedBy ? { claimedBy: record.claimedBy } : {}) };
}

/**
 * Whether an agent's nudge stream should carry a conversation's messages: it waits (anyone may
 * look before claiming), or this agent has it; admins follow every one.
 */
export function follows(audience: LiveChatAudience | undefined, principal: Principal): boolean {
  if (principal.roles.includes("admin")) return true;
  return audience !== undefined && (audience.status === "waiting" || audience.claimedBy === principal.id);
}

const noLiveChat = () => new AppError("not-found", "There is no live chat with this id.");

/** The platform's name as agents know it. */
function channelName(channel: string): string {
  return ({ telegram: "Telegram", whatsapp: "WhatsApp", messenger: "Messenger" } as Record<string, string>)[channel] ?? channel;
}

/** The window's length in words ("24 hours", "7 days"). */
function windowWords(from: string, end: string): string {
  const hours = Math.round((Date.parse(end) - Date.parse(from)) / 3_600_000);
  return hours % 24 === 0 && hours > 24 ? `${hours / 24} days` : `${hours} hours`;
}

function textOf(flow: RunnableFlow["flow"] | undefined, node: string): string {
  const step = flow && Object.hasOwn(flow.nodes, node) ? flow.nodes[node] : undefined;
  return step?.type === "handover" ? step.text : "";
}

export class InboxService implements LiveChatHooks {
  /** Handover step texts by flow version and node, so the queue does not load flows per row. */
  /** Flows by version, for the handover step's text and the fields' labels: read once per version, not per view. */
  readonly #flows = new Map<string, RunnableFlow["flow"]>();

  constructor(private readonly deps: InboxDeps) {}

  // ——— the conversation service's hooks ———

  async afterTurn(turn: StoredTurn): Promise<void> {
    const request = turn.effects.find((effect): effect is RequestHandoverEffect => effect.type === "request-handover");
    if (request) {
      await this.#open(turn, request);
    }
    for (const effect of turn.effects) {
      if (effect.type !== "handover-message") continue;
      const sealed = await this.deps.sealer.seal(turn.id, messagePurpose, { type: "text", text: effect.text });
      if (sealed) await this.#append({ conversation: turn.id, from: "visitor", sealed, at: this.#now(), ...(turn.contact ? { sentAt: turn.contact.sentAt } : {}) });
    }
    if (turn.by === "team" && !request) await this.#say(turn.id, turn.messages, turn.state.language);
    // Left the handover another way (its `unclaimed` target, a menu item): the live chat is over.
    if (turn.before === "handover" && turn.state.waiting !== "handover" && !request) {
      const record = await this.deps.liveChats.get(turn.id);
      if (record && record.status !== "ended") await this.#end(record, "withdrawn");
      // The messenger user's address was kept for the live chat only; the bot answers them through their own messages again.
      await this.#forgetContact(turn.id);
    }
  }

  async erased(id: string): Promise<void> {
    const record = await this.deps.liveChats.get(id);
    if (!record) return;
    // A tombstone: agents see "erased by the visitor", and nothing of what was written stays.
    const { sealedContact: _, inboundAt: __, sealedHistory: ___, ...kept } = record;
    await this.deps.liveChats.open({ ...kept, sealedShares: "", status: "ended", ended: "erased", endedAt: this.#now() });
    this.deps.signals.publish({ kind: "queue", conversation: id });
  }

  async transcript(id: string): Promise<NonNullable<DataExport["liveChat"]>> {
    const record = await this.deps.liveChats.get(id);
    if (!record || record.ended === "erased") return [];
    return (await this.#opened(id, await this.deps.liveChats.messages(id))).map(({ from, at, message }) => ({ from, at, message }));
  }

  // ——— the agents' side ———

  async list(principal: Principal): Promise<InboxSummary[]> {
    const records = await this.deps.liveChats.list(["waiting", "claimed"]);
    return Promise.all(records.map((record) => this.#summary(record, principal)));
  }

  /** The agent's view; `after` reads only newer messages (a stream's follow-up, not audited again). */
  async view(id: string, principal: Principal, actor: AuditActor, after?: number): Promise<InboxView> {
    // The record and the messages in one read: an agent reads the view on every message.
    const read = await this.deps.liveChats.read(id, after ?? 0);
    if (!read) throw noLiveChat();
    const { record, messages: stored } = read;
    if (after === undefined) await this.deps.audit.record(actor, { action: "live-chat.open", target: id });
    const summary = await this.#summary(record, principal);
    const erased: InboxView = { ...summary, state: "ended", ended: "erased", shares: {}, labels: {}, messages: [] };
    if (record.ended === "erased") return erased;
    const opened = (await this.deps.sealer.open(id, shares, record.sealedShares)) as Record<string, FieldValue> | undefined;
    if (!opened) {
      await this.erased(id);
      return erased;
    }
    const history = after === undefined && record.sealedHistory ? await this.#history(id, record.sealedHistory, actor) : undefined;
    const messages = await this.#opened(id, stored);
    const windowEnd = record.ended ? undefined : await this.#windowEnd(record, after === undefined ? stored : undefined);
    const flow = await this.#flowOf(record);
    const labels = Object.fromEntries(Object.keys(opened).map((field) => [field, flow ? fieldLabel(flow, field) : field]));
    return {
      ...summary,
      ...(record.ended ? { ended: record.ended } : {}),
      shares: opened,
      labels,
      ...(history ? { history } : {}),
      messages,
      ...(windowEnd ? { replyWindowEnd: windowEnd } : {}),
    };
  }

  /** Claims a waiting conversation; an admin may take one another agent has (reassigning it). */
  async claim(id: string, principal: Principal, actor: AuditActor): Promise<InboxSummary> {
    for (;;) {
      const record = await this.#live(id);
      if (record.status === "claimed" && record.claimedBy === principal.id) return this.#summary(record, principal);
      if (record.status === "claimed" && !principal.roles.includes("admin")) {
        throw new AppError("conflict", `${record.claimedByName ?? "Another agent"} has claimed this conversation.`);
      }
      const claimed: LiveChatRecord = { ...record, status: "claimed", claimedBy: principal.id, claimedByName: principal.name, claimedAt: this.#now(), revision: record.revision + 1 };
      if (!(await this.deps.liveChats.update(claimed))) continue;
      await this.deps.audit.record(actor, { action: record.status === "claimed" ? "live-chat.reassign" : "live-chat.claim", target: id });
      this.deps.signals.publish({ kind: "queue", conversation: id });
      if (record.status === "waiting") {
        const peeked = await this.deps.conversations.peek(id);
        if (peeked) await this.#say(id, [{ type: "text", text: botTexts(peeked.state.language).agentJoined }], peeked.state.language);
      }
      return this.#summary(claimed, principal);
    }
  }

  async reply(id: string, text: unknown, principal: Principal): Promise<InboxMessage> {
    if (typeof text !== "string" || text.trim() === "") throw new AppError("bad-request", "Send `{ \"text\": \"…\" }` with the reply.");
    if (text.length > maxReplyLength) throw new AppError("bad-request", `A reply may have at most ${maxReplyLength} characters; this one has ${text.length}.`);
    let record = await this.#live(id);
    if (record.status === "claimed" && record.claimedBy !== principal.id) {
      throw new AppError("conflict", `${record.claimedByName ?? "Another agent"} has claimed this conversation.`);
    }
    if (record.status === "waiting") {
      await this.claim(id, principal, { actor: principal.name });
      record = await this.#live(id);
    }
    const message: OutgoingMessage = { type: "text", text };
    const sealed = await this.deps.sealer.seal(id, messagePurpose, message);
    if (!sealed) {
      await this.erased(id);
      throw new AppError("gone", "The visitor erased this conversation.");
    }
    if (record.channel !== "web") {
      // Through the channel's outbox, or refused with the reason: never stored and left undelivered (docs/inbox.md#messengers).
      const { messengers, to, lastInboundAt } = await this.#reach(record);
      const end = messengers.replyWindowEnd(record.channel, lastInboundAt, "agent");
      if (end !== undefined && Date.parse(end) <= this.deps.clock().getTime()) {
        throw new AppError(
          "reply-window-closed",
          `${channelName(record.channel)} delivers replies only until ${end}, ${windowWords(lastInboundAt, end)} after the visitor's last message; the reply was not sent. It can be sent once the visitor writes again.`,
        );
      }
      await messengers.send(record.channel, to, [message], { from: "agent", lastInboundAt, language: (await this.#flowOf(record))?.language ?? "de" });
    }
    const appended = await this.#append({ conversation: id, from: "agent", agent: principal.id, sealed, at: this.#now() });
    if (!appended) throw new AppError("gone", "This live chat has ended.");
    if (!record.answeredAt) await this.#firstAnswer(record, text);
    return { seq: appended.seq, from: "agent", at: appended.at, message };
  }

  /** Back to the bot: the flow continues at the handover step's `next`. */
  release(id: string, principal: Principal, actor: AuditActor): Promise<void> {
    return this.#finish(id, principal, actor, "released");
  }

  /** Ends the live chat and the conversation. */
  close(id: string, principal: Principal, actor: AuditActor): Promise<void> {
    return this.#finish(id, principal, actor, "closed");
  }

  /** Who may follow a conversation's messages (`follows`); undefined when there is no live chat. */
  async audience(id: string): Promise<LiveChatAudience | undefined> {
    const record = await this.deps.liveChats.get(id);
    return record ? audienceOf(record) : undefined;
  }

  /** Who may follow each live chat that waits or is claimed, in one read (what an instance's agents' streams start from). */
  async audiences(): Promise<Map<string, LiveChatAudience>> {
    const records = await this.deps.liveChats.list(["waiting", "claimed"]);
    return new Map(records.map((record) => [record.conversation, audienceOf(record)]));
  }

  typing(id: string, from: "visitor" | "agent"): void {
    this.deps.signals.publish({ kind: "typing", conversation: id, from });
  }

  /**
   * The timer's round: conversations nobody claimed within their step's minutes get
   * `handover-timeout`, and the agents are told once about those waiting longer than configured.
   */
  async sweep(): Promise<void> {
    const now = this.deps.clock();
    for (const record of await this.deps.liveChats.list(["waiting"])) {
      if (!record.timedOut && Date.parse(record.claimDeadline) <= now.getTime()) {
        if (await this.deps.liveChats.update({ ...record, timedOut: true, revision: record.revision + 1 })) {
          await this.deps.conversations.teamTurn(record.conversation, { type: "handover-timeout" }).catch(() => undefined);
          this.deps.signals.publish({ kind: "queue", conversation: record.conversation });
        }
        continue;
      }
      const notify = this.deps.notify;
      if (notify && !record.notifiedAt && now.getTime() - Date.parse(record.requestedAt) >= notify.afterMs) {
        const marked = { ...record, notifiedAt: now.toISOString(), revision: record.revision + 1 };
        if (await this.deps.liveChats.update(marked)) await notify.send(await this.#summary(marked, undefined));
      }
    }
    await this.deps.liveChats.deleteExpired(now.toISOString());
  }

  // ——— the visitor's event stream ———

  /** The messages for the visitor after `after`: the agents' and the bot's, never the visitor's own. */
  async visitorMessages(id: string, after: number): Promise<InboxMessage[]> {
    // No look at the live chat's record first: an erasure replaces it with a tombstone without
    // messages (`LiveChatStore.open`) and destroys the key they were sealed with.
    const fresh = (await this.deps.liveChats.messages(id, after)).filter((message) => message.from !== "visitor");
    return this.#opened(id, fresh);
  }

  // ——— inside ———

  async #open(turn: StoredTurn, request: RequestHandoverEffect): Promise<void> {
    const sealedShares = await this.deps.sealer.seal(turn.id, shares, request.shares);
    if (sealedShares === undefined) return;
    // Sealed apart from the shares: opened only for an agent's full view, and audited then.
    const sealedHistory = request.history && request.history.length > 0 ? await this.deps.sealer.seal(turn.id, historyPurpose, request.history) : undefined;
    const contact = await this.#contactFor(turn);
    const now = this.deps.clock();
    await this.deps.liveChats.open({
      conversation: turn.id,
      flow: turn.runnable.flow.flow,
      flowVersion: turn.runnable.version,
      channel: turn.state.channel,
      node: request.node,
      sealedShares,
      ...(sealedHistory ? { sealedHistory } : {}),
      status: "waiting",
      unattended: request.unattended === true,
      requestedAt: now.toISOString(),
      claimDeadline: new Date(now.getTime() + request.unclaimedMinutes * 60_000).toISOString(),
      expiresAt: turn.expiresAt,
      ...contact,
    });
    this.#flows.set(turn.runnable.version, turn.runnable.flow);
    this.deps.signals.publish({ kind: "queue", conversation: turn.id });
  }

  async #finish(id: string, principal: Principal, actor: AuditActor, how: "released" | "closed"): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const record = await this.#live(id);
      if (record.status === "claimed" && record.claimedBy !== principal.id && !principal.roles.includes("admin")) {
        throw new AppError("conflict", `${record.claimedByName ?? "Another agent"} has claimed this conversation.`);
      }
      // Ended first, so that the turn's messages are the last of the live chat and no reply slips in after them.
      if (await this.#end(record, how)) break;
      if (attempt === 3) throw new AppError("conflict", "The conversation changed at the same time; please try again.");
    }
    await this.deps.audit.record(actor, { action: how === "released" ? "live-chat.release" : "live-chat.close", target: id });
    const event: EngineEvent = { type: how === "released" ? "handover-ended" : "handover-closed" };
    // A visitor's turn at the same moment makes the store refuse ours; it is tried again.
    for (let attempt = 1; ; attempt++) {
      try {
        const turn = await this.deps.conversations.teamTurn(id, event);
        if (!turn) throw new AppError("gone", "The visitor erased this conversation.");
        return;
      } catch (error) {
        if (!(error instanceof AppError && error.code === "conflict") || attempt === 3) throw error;
      }
    }
  }

  async #end(record: LiveChatRecord, how: NonNullable<LiveChatRecord["ended"]>): Promise<boolean> {
    const ended = await this.deps.liveChats.update({ ...record, status: "ended", ended: how, endedAt: this.#now(), revision: record.revision + 1 });
    if (ended) this.deps.signals.publish({ kind: "queue", conversation: record.conversation });
    return ended;
  }

  /**
   * The bot's messages of a turn the team caused, kept in the live chat so the visitor's stream
   * carries them, and queued for a messenger user (dropped unsent once the platform's window for
   * the bot has closed).
   */
  async #say(id: string, messages: readonly OutgoingMessage[], language: Language): Promise<void> {
    for (const message of messages) {
      const sealed = await this.deps.sealer.seal(id, messagePurpose, message);
      if (!sealed) return;
      await this.#append({ conversation: id, from: "bot", sealed, at: this.#now() });
    }
    const record = await this.deps.liveChats.get(id);
    if (!record || record.channel === "web" || record.ended === "erased" || messages.length === 0) return;
    const reach = await this.#reach(record).catch((error: unknown) => {
      // The channel was switched off, or the live chat began before addresses were kept: nothing can reach the user.
      if (error instanceof AppError) return undefined;
      throw error;
    });
    if (reach) await reach.messengers.send(record.channel, reach.to, messages, { from: "bot", lastInboundAt: reach.lastInboundAt, language });
  }

  /** The messenger user's sealed address for a new live chat: from the turn's delivery, or kept from the conversation's previous live chat. */
  async #contactFor(turn: StoredTurn): Promise<Pick<LiveChatRecord, "sealedContact" | "inboundAt">> {
    if (turn.state.channel === "web") return {};
    if (turn.contact) {
      const { recipient, conversationKey, sentAt } = turn.contact;
      const sealedContact = await this.deps.sealer.seal(turn.id, contactPurpose, { recipient, conversationKey } satisfies MessengerRecipient);
      return sealedContact ? { sealedContact, inboundAt: sentAt } : {};
    }
    const previous = await this.deps.liveChats.get(turn.id);
    if (!previous?.sealedContact || previous.ended === "erased") return {};
    const inboundAt = await this.#lastInbound(previous, await this.deps.liveChats.messages(turn.id));
    return { sealedContact: previous.sealedContact, ...(inboundAt ? { inboundAt } : {}) };
  }

  /** How the inbox reaches a messenger conversation's user, or a coded refusal naming why it cannot. */
  async #reach(record: LiveChatRecord): Promise<{ messengers: InboxMessengers; to: MessengerRecipient; lastInboundAt: string }> {
    const messengers = this.deps.messengers;
    if (!messengers) throw new AppError("conflict", `The ${channelName(record.channel)} channel is not enabled on this server; nothing can reach the visitor.`);
    const to = record.sealedContact ? ((await this.deps.sealer.open(record.conversation, contactPurpose, record.sealedContact)) as MessengerRecipient | undefined) : undefined;
    const lastInboundAt = await this.#lastInbound(record, await this.deps.liveChats.messages(record.conversation));
    if (!to || !lastInboundAt) throw new AppError("conflict", "This live chat does not know how to reach the visitor on their messenger; the visitor's messages are kept and shown here.");
    return { messengers, to, lastInboundAt };
  }

  /** When the messenger user last wrote: the message that led to the handover, or a later one of theirs. */
  async #lastInbound(record: LiveChatRecord, messages: readonly LiveChatMessage[]): Promise<string | undefined> {
    let last = record.inboundAt;
    for (const message of messages) if (message.from === "visitor" && message.sentAt && (!last || Date.parse(message.sentAt) > Date.parse(last))) last = message.sentAt;
    return last;
  }

  /** The end of the agent's reply window for the view; `messages` when already read in full. */
  async #windowEnd(record: LiveChatRecord, messages: readonly LiveChatMessage[] | undefined): Promise<string | undefined> {
    if (record.channel === "web" || !this.deps.messengers) return undefined;
    const last = await this.#lastInbound(record, messages ?? (await this.deps.liveChats.messages(record.conversation)));
    return last ? this.deps.messengers.replyWindowEnd(record.channel, last, "agent") : undefined;
  }

  /** Drops the messenger user's address once the live chat is over. */
  async #forgetContact(id: string): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const record = await this.deps.liveChats.get(id);
      if (!record?.sealedContact) return;
      const { sealedContact: _, ...rest } = record;
      if (await this.deps.liveChats.update({ ...rest, revision: record.revision + 1 })) return;
    }
  }

  async #append(message: Omit<LiveChatMessage, "seq">): Promise<LiveChatMessage | undefined> {
    const appended = await this.deps.liveChats.append(message);
    if (appended) this.deps.signals.publish({ kind: "message", conversation: message.conversation, seq: appended.seq, from: message.from, ...(message.agent ? { agent: message.agent } : {}) });
    return appended;
  }

  async #firstAnswer(record: LiveChatRecord, answer: string): Promise<void> {
    const latest = await this.deps.liveChats.get(record.conversation);
    if (!latest || latest.answeredAt) return;
    if (!(await this.deps.liveChats.update({ ...latest, answeredAt: this.#now(), revision: latest.revision + 1 }))) return;
    if (!this.deps.agentAnswered) return;
    const first = (await this.#opened(record.conversation, await this.deps.liveChats.messages(record.conversation))).find((message) => message.from === "visitor");
    const question = first?.message.type === "text" ? first.message.text : undefined;
    await this.deps.agentAnswered({ conversation: record.conversation, answer, ...(question ? { question } : {}) });
  }

  /** The conversation before the handover, opened for an agent's full view; the opening is in the audit trail. */
  async #history(id: string, sealed: string, actor: AuditActor): Promise<InboxView["history"]> {
    const opened = (await this.deps.sealer.open(id, historyPurpose, sealed)) as InboxView["history"];
    if (!Array.isArray(opened)) return undefined;
    await this.deps.audit.record(actor, { action: "live-chat.history", target: id });
    return opened;
  }

  async #opened(id: string, messages: readonly LiveChatMessage[]): Promise<InboxMessage[]> {
    const opened: InboxMessage[] = [];
    for (const message of messages) {
      const value = (await this.deps.sealer.open(id, messagePurpose, message.sealed)) as OutgoingMessage | undefined;
      if (value) opened.push({ seq: message.seq, from: message.from, at: message.at, message: value });
    }
    return opened;
  }

  async #record(id: string): Promise<LiveChatRecord> {
    const record = await this.deps.liveChats.get(id);
    if (!record) throw noLiveChat();
    return record;
  }

  /** A live chat that has not ended: 410 for one that has. */
  async #live(id: string): Promise<LiveChatRecord> {
    const record = await this.#record(id);
    if (record.ended === "erased") throw new AppError("gone", "The visitor erased this conversation.");
    if (record.status === "ended") throw new AppError("gone", "This live chat has ended.");
    return record;
  }

  async #summary(record: LiveChatRecord, principal: Principal | undefined): Promise<InboxSummary> {
    const text = textOf(await this.#flowOf(record), record.node);
    return {
      id: record.conversation,
      flow: record.flow,
      channel: record.channel,
      state: record.status,
      node: record.node,
      text,
      waitingSince: record.requestedAt,
      unattended: record.unattended,
      timedOut: record.timedOut === true,
      ...(record.claimedBy ? { claimedBy: record.claimedBy } : {}),
      ...(record.claimedByName ? { claimedByName: record.claimedByName } : {}),
      mine: principal !== undefined && record.claimedBy === principal.id,
    };
  }

  /** The flow version the conversation was handed over in; undefined once it is erased. */
  async #flowOf(record: LiveChatRecord): Promise<RunnableFlow["flow"] | undefined> {
    const known = this.#flows.get(record.flowVersion);
    if (known || record.ended === "erased") return known;
    const peeked = await this.deps.conversations.peek(record.conversation).catch(() => undefined);
    if (peeked) this.#flows.set(record.flowVersion, peeked.runnable.flow);
    return peeked?.runnable.flow;
  }

  #now(): string {
    return this.deps.clock().toISOString();
  }
}
