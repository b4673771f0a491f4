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
import { botTexts, type ConversationState, type DataExport, type EngineEvent, type FieldValue, fieldLabel, type OutgoingMessage, type RequestHandoverEffect, type RunnableFlow } from "../../core/index.ts";
import type { LiveChatMessage, LiveChatRecord, LiveChatStatus, LiveChatStore } from "../../stores/ports/live-chats.ts";
import type { SignalStore } from "../../stores/ports/signals.ts";
import type { Principal } from "../accounts/principal.ts";
import { AppError } from "../app-error.ts";
import type { AuditActor, AuditTrail } from "../audit/audit-trail.ts";
import type { LiveChatHooks, StoredTurn } from "../conversations/conversation-service.ts";
import type { ConversationValueSealer } from "../crypto/service-crypto.ts";

/** Longer replies are refused, naming the limit: Messenger's 2000 characters are the smallest of the channels. */
export const maxReplyLength = 2000;

const shares = "live-chat-shares";
const messagePurpose = "live-chat";

/** What the inbox needs of the conversation service: the turns it causes, and a look at a conversation. */
export interface InboxConversations {
  teamTurn(id: string, event: EngineEvent): Promise<{ messages: OutgoingMessage[]; state: ConversationState } | undefined>;
  peek(id: string): Promise<{ runnable: RunnableFlow; state: ConversationState } | undefined>;
}

/** Messenger conversations: replies leave through the channel's outbox (docs/inbox.md#messengers). */
export interface InboxMessengers {
  /** Sends bot or agent messages to the messenger user of the conversation; refuses with a coded error when it cannot. */
  send(conversation: string, channel: string, messages: OutgoingMessage[]): Promise<void>;
  /** Until when a reply may still be sent (WhatsApp's 24 hours after the user's last message); undefined when there is no limit. */
  replyWindowEnd(conversation: string, channel: string): Promise<string | undefined>;
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
  /** Each shared field's label in the flow's language (docs/flows.md#field-labels), so agents read names, not ids. */
  labels: Record<string, string>;
  messages: InboxMessage[];
  /** When a reply can no longer reach the visitor (WhatsApp's 24-hour window). */
  replyWindowEnd?: string;
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
      if (sealed) await this.#append({ conversation: turn.id, from: "visitor", sealed, at: this.#now() });
    }
    if (turn.by === "team" && !request) await this.#say(turn.id, turn.messages);
    // Left the handover another way (its `unclaimed` target, a menu item): the live chat is over.
    if (turn.before === "handover" && turn.state.waiting !== "handover" && !request) {
      const record = await this.deps.liveChats.get(turn.id);
      if (record && record.status !== "ended") await this.#end(record, "withdrawn");
    }
  }

  async erased(id: string): Promise<void> {
    const record = await this.deps.liveChats.get(id);
    if (!record) return;
    // A tombstone: agents see "erased by the visitor", and nothing of what was written stays.
    await this.deps.liveChats.open({ ...record, sealedShares: "", status: "ended", ended: "erased", endedAt: this.#now() });
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
    const record = await this.#record(id);
    if (after === undefined) await this.deps.audit.record(actor, { action: "live-chat.open", target: id });
    const summary = await this.#summary(record, principal);
    const erased: InboxView = { ...summary, state: "ended", ended: "erased", shares: {}, labels: {}, messages: [] };
    if (record.ended === "erased") return erased;
    const opened = (await this.deps.sealer.open(id, shares, record.sealedShares)) as Record<string, FieldValue> | undefined;
    if (!opened) {
      await this.erased(id);
      return erased;
    }
    const messages = await this.#opened(id, await this.deps.liveChats.messages(id, after ?? 0));
    const windowEnd = record.channel === "web" ? undefined : await this.deps.messengers?.replyWindowEnd(id, record.channel);
    const flow = await this.#flowOf(record);
    const labels = Object.fromEntries(Object.keys(opened).map((field) => [field, flow ? fieldLabel(flow, field) : field]));
    return {
      ...summary,
      ...(record.ended ? { ended: record.ended } : {}),
      shares: opened,
      labels,
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
        if (peeked) await this.#say(id, [{ type: "text", text: botTexts(peeked.state.language).agentJoined }]);
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
    if (record.channel !== "web" && !this.deps.messengers) {
      // Said plainly rather than stored and never delivered (docs/inbox.md#messengers).
      throw new AppError("conflict", `Replies to ${record.channel} conversations cannot be sent from the inbox yet; the visitor's messages are kept and shown here.`);
    }
    if (record.channel !== "web" && this.deps.messengers) {
      const end = await this.deps.messengers.replyWindowEnd(id, record.channel);
      if (end !== undefined && Date.parse(end) < this.deps.clock().getTime()) {
        throw new AppError("conflict", `The visitor's last message is older than the platform allows for a reply (its window closed at ${end}); the reply was not sent.`);
      }
      await this.deps.messengers.send(id, record.channel, [message]);
    }
    const sealed = await this.deps.sealer.seal(id, messagePurpose, message);
    if (!sealed) {
      await this.erased(id);
      throw new AppError("gone", "The visitor erased this conversation.");
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

  /**
   * Whether an agent's nudge stream should carry a conversation's messages: it waits (anyone may
   * look before claiming), or this agent has it; admins follow every one.
   */
  async follows(id: string, principal: Principal): Promise<boolean> {
    if (principal.roles.includes("admin")) return true;
    const record = await this.deps.liveChats.get(id);
    return record !== undefined && (record.status === "waiting" || record.claimedBy === principal.id);
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
    const record = await this.deps.liveChats.get(id);
    if (!record || record.ended === "erased") return [];
    const fresh = (await this.deps.liveChats.messages(id, after)).filter((message) => message.from !== "visitor");
    return this.#opened(id, fresh);
  }

  // ——— inside ———

  async #open(turn: StoredTurn, request: RequestHandoverEffect): Promise<void> {
    const sealedShares = await this.deps.sealer.seal(turn.id, shares, request.shares);
    if (sealedShares === undefined) return;
    const now = this.deps.clock();
    await this.deps.liveChats.open({
      conversation: turn.id,
      flow: turn.runnable.flow.flow,
      flowVersion: turn.runnable.version,
      channel: turn.state.channel,
      node: request.node,
      sealedShares,
      status: "waiting",
      unattended: request.unattended === true,
      requestedAt: now.toISOString(),
      claimDeadline: new Date(now.getTime() + request.unclaimedMinutes * 60_000).toISOString(),
      expiresAt: turn.expiresAt,
    });
    this.#flows.set(turn.runnable.version, turn.runnable.flow);
    this.deps.signals.publish({ kind: "queue", conversation: turn.id });
  }

  async #finish(id: string, principal: Principal, actor: AuditActor, how: "released" | "closed"): Promise<void> {
    const record = await this.#live(id);
    if (record.status === "claimed" && record.claimedBy !== principal.id && !principal.roles.includes("admin")) {
      throw new AppError("conflict", `${record.claimedByName ?? "Another agent"} has claimed this conversation.`);
    }
    // Ended first, so that the turn's messages are the last of the live chat and no reply slips in after them.
    const ended = await this.#end(record, how);
    if (!ended) throw new AppError("conflict", "The conversation changed at the same time; please try again.");
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

  /** The bot's messages of a turn the team caused, kept in the live chat so the visitor's stream carries them. */
  async #say(id: string, messages: readonly OutgoingMessage[]): Promise<void> {
    for (const message of messages) {
      const sealed = await this.deps.sealer.seal(id, messagePurpose, message);
      if (!sealed) return;
      await this.#append({ conversation: id, from: "bot", sealed, at: this.#now() });
    }
    const record = await this.deps.liveChats.get(id);
    if (record && record.channel !== "web" && messages.length > 0) await this.deps.messengers?.send(id, record.channel, [...messages]);
  }

  async #append(message: Omit<LiveChatMessage, "seq">): Promise<LiveChatMessage | undefined> {
    const appended = await this.deps.liveChats.append(message);
    if (appended) this.deps.signals.publish({ kind: "message", conversation: message.conversation, seq: appended.seq });
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
    if (!record) throw new AppError("not-found", "There is no live chat with this id.");
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
