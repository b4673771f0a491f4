/**
 * Runs conversations: loads a conversation, opens its sealed state, lets the engine take the
 * turn, carries out the effects (webhook calls feed their result back into the engine), seals
 * and stores the new state — durably, before the reply leaves — and returns the messages.
 * Turns of one conversation run one at a time, in arrival order.
 *
 * Each conversation's state is sealed under a data key of its own; erasing the conversation
 * destroys the key (docs/privacy.md#erasure-by-destroying-keys). A conversation whose key is
 * gone counts as erased, whatever copy of its record turns up.
 */
import {
  type ConversationState,
  correctField,
  type DataExport,
  deleteAfter,
  driveTurn,
  type Effect,
  type EngineEvent,
  exportData,
  type KeepUnansweredEffect,
  menuOf,
  noteRecipients,
  type OutgoingMessage,
  type PlannedNotice,
  planNotices,
  type RunnableFlow,
  type SentData,
  startConversation,
  step,
  type StepResult,
  withTold,
} from "../../core/index.ts";
import type { ConversationRecord, ConversationStore } from "../../stores/ports/conversations.ts";
import type { ConversationChange } from "../../stores/ports/messenger-inbox.ts";
import type { NewDeliveryRecord } from "../../stores/ports/deliveries.ts";
import type { Deliveries, DurableWebhookEffect } from "../deliveries/deliveries.ts";
import type { Analytics, TurnCounter } from "../analytics/analytics.ts";
import { AppError } from "../app-error.ts";
import { secureRandomBytes } from "../crypto/random-pool.ts";
import type { FlowCatalog } from "../flows/flow-catalog.ts";
import { consentDraft, type LedgerDraft } from "../privacy/proof-ledger.ts";
import type { WebhookCall } from "./webhook-call.ts";

/** Seals the engine state for storage (AES-256-GCM under the conversation's data key, bound to its id) and opens it again. */
export interface StateSealer {
  /** The id of a new conversation, whose data key is durable already; `seal` uses it at once. */
  newConversation(): Promise<string>;
  /** Seals under the conversation's key; a conversation sealed before data keys existed gets one first. */
  seal(conversationId: string, state: ConversationState): Promise<string>;
  /** The state, or undefined when the conversation's key was destroyed: it counts as erased. */
  open(conversationId: string, sealed: string): Promise<ConversationState | undefined>;
  /** Destroys the key of a conversation that was never stored (a failed start, an abandoned messenger turn). */
  discard(conversationId: string): Promise<void>;
  /** Forgets the conversation's key in memory, once it is erased. */
  forget(conversationId: string): void;
}

/** Bearer tokens: issued once, stored only as a keyed hash. */
export interface TokenKeeper {
  issue(): string;
  hash(token: string): string;
  matches(token: string, hash: string): boolean;
}

export interface ConversationServiceDeps {
  conversations: ConversationStore;
  catalog: FlowCatalog;
  sealer: StateSealer;
  tokens: TokenKeeper;
  callWebhook: WebhookCall;
  clock: () => Date;
  hashText: (text: string) => string;
  /** Keeps the questions `faq` steps fell back on, masked, for editors (docs/faq.md#learning-from-the-agents). */
  unanswered?: { keep(effect: KeepUnansweredEffect, flow: string, flowVersion: string): Promise<void> };
  /** The live-chat inbox, told about every stored turn that touches a handover (docs/inbox.md). */
  /** The proof ledger (docs/privacy.md#proof-ledger): consent decisions, erasures and exports, under a pseudonym of the conversation. */
  ledger?: { personOf(conversationId: string): string; record(drafts: readonly LedgerDraft[]): Promise<void> };
  /** The requests desk's blind index (docs/privacy.md#requests-desk), written when a state is stored. */
  privacyIndex?: {
    index(conversationId: string, runnable: RunnableFlow, state: ConversationState, before?: ConversationState): Promise<void>;
    forget(conversationIds: readonly string[]): Promise<void>;
  };
  liveChat?: LiveChatHooks;
  /** Durable deliveries: a webhook step with `delivery: durable` is stored with its turn (docs/deliveries.md). */
  deliveries?: Pick<Deliveries, "forTurn" | "stored" | "prepare" | "add">;
  /** Counters per flow version and day, without personal data (docs/analytics.md). */
  analytics?: Pick<Analytics, "turn">;
}

/** A stored turn, as the live-chat inbox sees it. */
export interface StoredTurn {
  id: string;
  runnable: RunnableFlow;
  /** What the conversation waited for before the turn. */
  before: ConversationState["waiting"] | undefined;
  state: ConversationState;
  /** The messages the turn sent, for turns nobody asked over HTTP (an agent's, a timer's): the inbox passes them on. */
  messages: OutgoingMessage[];
  effects: Effect[];
  expiresAt: string;
  /** Who caused the turn: the visitor (whose reply carries the messages), or the team or a timer. */
  by: "visitor" | "team";
  /** A messenger user's turn: how the live chat reaches them outside a turn (docs/inbox.md#messengers). */
  contact?: MessengerContact;
}

/** How a messenger user is reached, as the delivery that caused a turn says: personal, so the inbox keeps it only sealed. */
export interface MessengerContact {
  /** The raw channel user id (chat id, phone number, PSID). */
  recipient: string;
  /** The pseudonym the outbox orders this user's replies by. */
  conversationKey: string;
  /** When the user sent the message (ISO 8601): the platforms' reply windows run from here. */
  sentAt: string;
}

export interface LiveChatHooks {
  /** After the turn's state is stored; only called for turns that request, feed or leave a handover. */
  afterTurn(turn: StoredTurn): Promise<void>;
  /** The conversation was erased by its visitor; the live chat keeps nothing but that fact. */
  erased(id: string): Promise<void>;
  /** The live chat's messages for the visitor's export. */
  transcript(id: string): Promise<NonNullable<DataExport["liveChat"]>>;
}

/** Whether a turn concerns the inbox: it waited at a handover, or asked for one. */
/** How often a visitor's turn whose message the agent already has is tried against a conversation other instances keep changing. */
const maxRelayedTurnAttempts = 5;

function touchesHandover(before: ConversationState["waiting"] | undefined, effects: readonly Effect[]): boolean {
  return before === "handover" || effects.some((effect) => effect.type === "request-handover");
}

export interface TurnResult {
  id: string;
  messages: OutgoingMessage[];
  menu: { id: string; label: string }[];
  status: ConversationState["waiting"] | "erased";
}

/** What a messenger user did, as the conversation sees it. */
export type ChannelTurnInput = { type: "start" } | { type: "event"; event: EngineEvent };

/**
 * A messenger turn, computed but not stored: the channel runtime stores `changes` in one atomic
 * call together with the delivery's dedupe key and the replies (see `ConversationStore.completeInbound`).
 */
export interface ChannelTurnPlan extends TurnResult {
  changes: ConversationChange[];
  /** What the proof ledger records once the changes are stored (`channelTurnStored`). */
  ledger: LedgerDraft[];
  /** The blind index's update once the changes are stored. */
  index?: { id: string; runnable: RunnableFlow; state: ConversationState; before?: ConversationState } | { forget: string };
  /** The conversation the turn ran on (gone again when `status` is `erased`). */
  conversationId: string;
  language: ConversationState["language"];
  /** The turn's durable deliveries, stored with the changes. */
  deliveries: NewDeliveryRecord[];
  /** Counts the turn in the analytics; the caller calls it once the changes are stored. */
  counted?: () => void;
  /** What the live-chat inbox learns once the changes are stored: a handover turn, or an erasure. */
  liveChat?: StoredTurn | { erased: string };
  /** The answers the user corrected in "my data", handled once the changes are stored. */
  corrected?: Correction | undefined;
}

/** Stored answers that were corrected: by the person in the chat, or through the privacy desk. */
export interface Correction {
  conversation: string;
  flow: string;
  flowVersion: string;
  channel: string;
  /** The fields corrected (ids; the values are in the conversation, nowhere else). */
  fields: string[];
  by: "visitor" | "request";
  /** The privacy desk's request, when the correction came through it. */
  request?: string;
}

export class ConversationService {
  private readonly queues = new Map<string, Promise<unknown>>();

  /** A stored-hash stand-in for ids that do not exist: the hash of a random secret nobody holds. */
  private readonly unknownTokenHash: string;

  constructor(private readonly deps: ConversationServiceDeps) {
    this.unknownTokenHash = deps.tokens.hash(deps.tokens.issue());
  }

  /** Starts a conversation on the newest version of a flow. The token is returned only here. */
  async start(flowId: string, channel: string): Promise<TurnResult & { token: string }> {
    const runnable = await this.deps.catalog.latest(flowId);
    const id = await this.deps.sealer.newConversation();
    const secret = this.deps.tokens.issue();
    const counter = this.counter(runnable);
    const first = await this.runEffects(runnable, startConversation(runnable, { channel }, this.context(counter)), counter);
    const { revision: _, ...record } = await this.record(runnable, id, this.deps.tokens.hash(secret), first.state, 0);
    try {
      const deliveries = await this.deliveriesOf(id, runnable, first);
      await this.deps.conversations.create(record, deliveries);
      if (deliveries.length > 0) this.deps.deliveries?.stored();
    } catch (error) {
      await this.deps.sealer.discard(id).catch(() => undefined);
      throw error;
    }
    this.counted(counter, first.effects, true);
    await this.deps.privacyIndex?.index(id, runnable, first.state);
    if (touchesHandover(undefined, first.effects)) {
      await this.deps.liveChat?.afterTurn({ id, runnable, before: undefined, state: first.state, messages: first.messages, effects: first.effects, expiresAt: record.expiresAt, by: "visitor" });
    }
    return { ...this.turnResult(runnable, id, first), token: `${id}.${secret}` };
  }

  /**
   * One event from the user. Checks the bearer token before anything else; `admit` runs only once
   * the token is right (the route's rate limit), so requests with a wrong token count for nothing.
   */
  async handle(id: string, token: string | undefined, event: EngineEvent, admit: () => void = () => undefined): Promise<TurnResult> {
    return this.serialised(id, async () => {
      // The visitor's message as kept for the agent by an earlier attempt of this turn: kept once, however often the turn is tried.
      let kept: Promise<void> | undefined;
      for (let attempt = 1; ; attempt++) {
        const record = await this.authorised(id, token);
        if (attempt === 1) admit();
        const state = await this.opened(record, "unauthorized");
        const runnable = await this.deps.catalog.version(record.flow, record.version);
        const counter = this.counter(runnable);
        const result = await this.runEffects(runnable, step(runnable, state, event, this.context(counter)), counter);
        const proof = this.proofOf(id, runnable, state, event, result);
        if (result.effects.some((effect) => effect.type === "erase-conversation")) {
          // The processors' erasure notices are durable before the erasure: none is lost to a crash between the two.
          const notices = await this.noticesOf(id, state, result.state, { erased: true });
          await this.deps.deliveries?.add(notices.records);
          await this.deps.conversations.delete(id);
          this.deps.sealer.forget(id);
          await this.deps.liveChat?.erased(id);
          await this.deps.privacyIndex?.forget([id]);
          await this.deps.ledger?.record([...proof, ...notices.ledger]);
          return { ...this.turnResult(runnable, id, this.told(runnable, result, notices.planned)), status: "erased" };
        }
        const next = await this.record(runnable, id, record.tokenHash, result.state, record.revision + 1);
        // Notices owed by a correction or a withdrawal are stored with the turn itself.
        const notices = await this.noticesOf(id, state, result.state, { corrected: correctedFields(result) });
        const deliveries = [...(await this.deliveriesOf(id, runnable, result)), ...notices.records];
        const turn: StoredTurn = { id, runnable, before: state.waiting, state: result.state, messages: result.messages, effects: result.effects, expiresAt: next.expiresAt, by: "visitor" };
        // A message for the agent while the handover goes on is kept in the same round of writes as
        // the turn (one journal sync instead of two); the agent sees it no sooner than it is durable.
        const relayed = state.waiting === "handover" && result.state.waiting === "handover" && result.effects.every((effect) => effect.type === "handover-message");
        if (relayed && !kept) {
          kept = this.deps.liveChat?.afterTurn(turn);
          // Awaited below; marked handled now, so that an update that throws (the store failed) does not leave it unhandled.
          kept?.catch(() => undefined);
        }
        if (!(await this.deps.conversations.update(next, deliveries))) {
          // Another instance changed the conversation since it was read (an agent's hand-back, a
          // timer, the same visitor on another instance). When the agent has the message already,
          // the turn runs again on what is stored now: a 409 would make the visitor send it twice.
          // (A relayed turn calls no webhook, so running it again repeats nothing outside.)
          if (kept && attempt < maxRelayedTurnAttempts) continue;
          await kept?.catch(() => undefined);
          throw new AppError("conflict", "The conversation changed at the same time; please send the message again.");
        }
        if (deliveries.length > 0) this.deps.deliveries?.stored();
        this.counted(counter, result.effects, false);
        if (relayed) await kept;
        else if (touchesHandover(state.waiting, result.effects)) {
          await kept?.catch(() => undefined);
          // An earlier attempt kept the visitor's text for the agent already.
          await this.deps.liveChat?.afterTurn(kept ? { ...turn, effects: turn.effects.filter((effect) => effect.type !== "handover-message") } : turn);
        }
        await this.deps.privacyIndex?.index(id, runnable, result.state, state);
        await this.deps.ledger?.record([...proof, ...notices.ledger]);
        await this.corrected(this.correctionOf(id, result, "visitor"));
        return this.turnResult(runnable, id, this.told(runnable, result, notices.planned));
      }
    });
  }

  /**
   * A turn the team or a timer causes on a conversation found by id, without its token: an
   * agent hands back or closes, nobody claimed it in time. Undefined when the conversation is
   * gone or erased. The messages are for the inbox to pass on to the visitor.
   */
  async teamTurn(id: string, event: EngineEvent): Promise<{ messages: OutgoingMessage[]; state: ConversationState } | undefined> {
    return this.serialised(id, async () => {
      const record = await this.deps.conversations.get(id);
      const state = record && (await this.deps.sealer.open(record.id, record.sealedState));
      if (!record || !state) return undefined;
      const runnable = await this.deps.catalog.version(record.flow, record.version);
      const counter = this.counter(runnable);
      const result = await this.runEffects(runnable, step(runnable, state, event, this.context(counter)), counter);
      const next = { ...(await this.record(runnable, id, record.tokenHash, result.state, record.revision + 1)), ...(record.channelUser === undefined ? {} : { channelUser: record.channelUser }) };
      // A hand-back may lead the flow on into a durable webhook step.
      const deliveries = await this.deliveriesOf(id, runnable, result);
      if (!(await this.deps.conversations.update(next, deliveries))) {
        throw new AppError("conflict", "The conversation changed at the same time; please try again.");
      }
      if (deliveries.length > 0) this.deps.deliveries?.stored();
      this.counted(counter, result.effects, false);
      if (touchesHandover(state.waiting, result.effects)) {
        await this.deps.liveChat?.afterTurn({ id, runnable, before: state.waiting, state: result.state, messages: result.messages, effects: result.effects, expiresAt: next.expiresAt, by: "team" });
      }
      return { messages: result.messages, state: result.state };
    });
  }

  /** The flow a conversation runs on and its state, for the inbox; undefined when gone or erased. */
  async peek(id: string): Promise<{ runnable: RunnableFlow; state: ConversationState } | undefined> {
    const record = await this.deps.conversations.get(id);
    const state = record && (await this.deps.sealer.open(record.id, record.sealedState));
    if (!record || !state) return undefined;
    return { runnable: await this.deps.catalog.version(record.flow, record.version), state };
  }

  /**
   * Plans a messenger turn for the channel user with pseudonym `channelUser`. Messenger
   * conversations have no bearer token: they are found by the pseudonym. A user without a
   * conversation starts one on the newest version of `flowId` (a menu event then runs on the
   * fresh conversation, any other first message only starts it); `start` on an ended conversation replaces it with a new one. The
   * caller serialises turns per channel user and stores the changes atomically. `contact` (the
   * delivery's sender) goes to the live chat with a turn that touches a handover.
   */
  async planChannelTurn(channel: string, channelUser: string, flowId: string, input: ChannelTurnInput, contact?: MessengerContact): Promise<ChannelTurnPlan> {
    const existing = await this.deps.conversations.findByChannelUser(channel, channelUser);
    // A conversation whose key is gone counts as erased: it is replaced like an ended one.
    const state = existing && (await this.deps.sealer.open(existing.id, existing.sealedState));
    if (existing && state && !(input.type === "start" && state.waiting === "ended")) {
      const runnable = await this.deps.catalog.version(existing.flow, existing.version);
      // `start` while a conversation runs shows the pending question again, as a menu detour would.
      const event: EngineEvent = input.type === "start" ? { type: "text", text: "" } : input.event;
      const counter = this.counter(runnable);
      const result = await this.runEffects(runnable, step(runnable, state, event, this.context(counter)), counter);
      const ledger = this.proofOf(existing.id, runnable, state, event, result);
      if (result.effects.some((effect) => effect.type === "erase-conversation")) {
        // The erasure notices survive the erasure and are stored in the same write as it.
        const notices = await this.noticesOf(existing.id, state, result.state, { erased: true });
        this.deps.sealer.forget(existing.id);
        return {
          ...this.turnResult(runnable, existing.id, this.told(runnable, result, notices.planned)),
          status: "erased",
          changes: [{ op: "delete", id: existing.id }],
          ledger: [...ledger, ...notices.ledger],
          index: { forget: existing.id },
          conversationId: existing.id,
          language: result.state.language,
          deliveries: notices.records,
          liveChat: { erased: existing.id },
        };
      }
      const next = { ...(await this.record(runnable, existing.id, existing.tokenHash, result.state, existing.revision + 1)), channelUser };
      const notices = await this.noticesOf(existing.id, state, result.state, { corrected: correctedFields(result) });
      const deliveries = [...(await this.deliveriesOf(existing.id, runnable, result)), ...notices.records];
      const liveChat: StoredTurn | undefined = touchesHandover(state.waiting, result.effects)
        ? { id: existing.id, runnable, before: state.waiting, state: result.state, messages: result.messages, effects: result.effects, expiresAt: next.expiresAt, by: "visitor", ...(contact ? { contact } : {}) }
        : undefined;
      return {
        ...this.turnResult(runnable, existing.id, this.told(runnable, result, notices.planned)),
        changes: [{ op: "update", record: next }],
        ledger: [...ledger, ...notices.ledger],
        index: { id: existing.id, runnable, state: result.state, before: state },
        conversationId: existing.id,
        language: result.state.language,
        deliveries,
        counted: () => this.counted(counter, result.effects, false),
        ...(liveChat ? { liveChat } : {}),
        corrected: this.correctionOf(existing.id, result, "visitor"),
      };
    }
    const runnable = await this.deps.catalog.latest(flowId);
    const counter = this.counter(runnable);
    let result = await this.runEffects(runnable, startConversation(runnable, { channel }, this.context(counter)), counter);
    // A fresh conversation greets first; only a menu item (e.g. "privacy") is also answered at once —
    // a first "hello" or a stale button is not an answer to a question the user has not seen.
    if (input.type === "event" && input.event.type === "menu") {
      const after = await this.runEffects(runnable, step(runnable, result.state, input.event, this.context(counter)), counter);
      result = { state: after.state, messages: [...result.messages, ...after.messages], effects: after.effects };
    }
    const replaced: ConversationChange[] = existing ? [{ op: "delete", id: existing.id }] : [];
    if (result.effects.some((effect) => effect.type === "erase-conversation")) {
      // Nothing is stored, so the conversation needs neither a key nor a lasting id.
      const id = secureRandomBytes(16).toString("base64url");
      return { ...this.turnResult(runnable, id, result), status: "erased", changes: replaced, ledger: [], conversationId: id, language: result.state.language, deliveries: [] };
    }
    // An abandoned plan destroys the key again.
    const id = await this.deps.sealer.newConversation();
    // No bearer token: an empty hash matches no token, so the web API can never open this conversation.
    const { revision: _, ...record } = { ...(await this.record(runnable, id, "", result.state, 0)), channelUser };
    const deliveries = await this.deliveriesOf(id, runnable, result);
    const ledger = this.proofOf(id, runnable, undefined, input.type === "event" ? input.event : undefined, result);
    const effects = result.effects;
    return {
      ...this.turnResult(runnable, id, result),
      changes: [...replaced, { op: "create", record }],
      ledger,
      index: { id, runnable, state: result.state },
      conversationId: id,
      language: result.state.language,
      deliveries,
      counted: () => this.counted(counter, effects, true),
      // A flow (or a first menu item) that hands over at once: the live chat opens with the conversation.
      ...(touchesHandover(undefined, effects)
        ? { liveChat: { id, runnable, before: undefined, state: result.state, messages: result.messages, effects, expiresAt: record.expiresAt, by: "visitor" as const, ...(contact ? { contact } : {}) } }
        : {}),
    };
  }

  /** A messenger turn's changes were stored: the proof ledger records what it proves, the analytics count it. */
  async channelTurnStored(plan: ChannelTurnPlan): Promise<void> {
    plan.counted?.();
    const index = plan.index;
    if (index && "forget" in index) await this.deps.privacyIndex?.forget([index.forget]);
    else if (index) await this.deps.privacyIndex?.index(index.id, index.runnable, index.state, index.before);
    const replaced = plan.changes.flatMap((change) => (change.op === "delete" ? [change.id] : []));
    if (replaced.length > 0) await this.deps.privacyIndex?.forget(replaced);
    await this.deps.ledger?.record(plan.ledger);
    await this.corrected(plan.corrected);
    if (plan.liveChat && "erased" in plan.liveChat) await this.deps.liveChat?.erased(plan.liveChat.erased);
    else if (plan.liveChat) await this.deps.liveChat?.afterTurn(plan.liveChat);
  }

  /** A plan whose changes were not stored (the delivery was completed elsewhere, or a conflict): the keys of the conversations it would have created go. */
  async abandonChannelTurn(plan: ChannelTurnPlan): Promise<void> {
    for (const change of plan.changes) if (change.op === "create") await this.deps.sealer.discard(change.record.id);
  }

  /** The export of a conversation found without a token (a short-lived, sealed messenger export link). */
  async exportById(id: string): Promise<DataExport> {
    const record = await this.deps.conversations.get(id);
    if (!record) throw new AppError("not-found", "There is no such conversation.");
    const state = await this.opened(record, "not-found");
    const runnable = await this.deps.catalog.version(record.flow, record.version);
    await this.deps.ledger?.record([this.exportDraft(id, state, "visitor")]);
    return this.withTranscript(id, exportData(runnable, state));
  }

  async export(id: string, token: string | undefined): Promise<DataExport> {
    const record = await this.authorised(id, token);
    const state = await this.opened(record, "unauthorized");
    const runnable = await this.deps.catalog.version(record.flow, record.version);
    await this.deps.ledger?.record([this.exportDraft(id, state, "visitor")]);
    return this.withTranscript(id, exportData(runnable, state));
  }

  /**
   * The privacy desk corrects a stored answer for a person who asked by e-mail or letter
   * (Art. 16 GDPR): the same engine correction as "my data" in the chat — the field's format
   * checked again — stored like a turn, then handed to `corrected` like the chat's. The
   * conversation's last activity, and so its retention, stay as they were.
   */
  async correct(id: string, field: string, value: string, request: string): Promise<"corrected" | "invalid" | "not-stored"> {
    return this.serialised(id, async () => {
      const record = await this.deps.conversations.get(id);
      const state = record && (await this.deps.sealer.open(record.id, record.sealedState));
      if (!record || !state) throw new AppError("not-found", "There is no such conversation.");
      const runnable = await this.deps.catalog.version(record.flow, record.version);
      const result = correctField(runnable, state, field, value, this.context());
      if (result.outcome !== "corrected") return result.outcome;
      const next = { ...(await this.record(runnable, id, record.tokenHash, result.state, record.revision + 1)), ...(record.channelUser === undefined ? {} : { channelUser: record.channelUser }) };
      // The processors that received the field are told with the correction's own write.
      const notices = await this.noticesOf(id, state, result.state, { corrected: [field] });
      if (!(await this.deps.conversations.update(next, notices.records))) throw new AppError("conflict", "The conversation changed at the same time; please try again.");
      if (notices.records.length > 0) this.deps.deliveries?.stored();
      await this.deps.privacyIndex?.index(id, runnable, result.state, state);
      await this.deps.ledger?.record(notices.ledger);
      await this.corrected(this.correctionOf(id, result, "request", request));
      return "corrected";
    });
  }

  /** Checks a conversation's bearer token, as every visitor route does; the live-chat event stream uses it. */
  async authorise(id: string, token: string | undefined): Promise<void> {
    const record = await this.authorised(id, token);
    await this.opened(record, "unauthorized");
  }

  async erase(id: string, token: string | undefined): Promise<void> {
    await this.serialised(id, async () => {
      const record = await this.authorised(id, token);
      await this.tellErasure(record);
      await this.deps.conversations.delete(id);
      this.deps.sealer.forget(id);
      await this.deps.liveChat?.erased(id);
      await this.deps.privacyIndex?.forget([id]);
      await this.deps.ledger?.record([this.erasureDraft(id, record.flow, record.channel, "visitor")]);
    });
  }

  /**
   * Before the privacy desk erases a conversation outside a turn: the processors that received
   * its data are asked to erase it too (docs/privacy.md#recipients-told). The notices are durable
   * when this resolves, before the erasure. Resolves with the processors' names.
   */
  async tellErasureOf(id: string): Promise<string[]> {
    return this.serialised(id, async () => {
      const record = await this.deps.conversations.get(id);
      return record ? this.tellErasure(record) : [];
    });
  }

  private async tellErasure(record: ConversationRecord): Promise<string[]> {
    const state = await this.deps.sealer.open(record.id, record.sealedState);
    if (!state) return [];
    const notices = await this.noticesOf(record.id, state, state, { erased: true });
    await this.deps.deliveries?.add(notices.records);
    await this.deps.ledger?.record(notices.ledger);
    return [...new Set(notices.planned.map((notice) => notice.body.processor))];
  }

  /**
   * Recipients told (docs/privacy.md#recipients-told): the one place that turns a change of a
   * conversation — its erasure, a correction (in the chat, on a messenger or through the desk),
   * a withdrawal — into notices to the processors that received the data, as durable deliveries
   * of kind `notice`, signed and SSRF-checked like every delivery. Each caller stores `records`
   * with the change itself (an erasure: just before it), says so in the chat (`told`) and
   * records `ledger` once stored. Without deliveries (a runtime that has none) nothing is told,
   * and so nothing is said.
   */
  private async noticesOf(id: string, before: ConversationState, after: ConversationState, change: { erased?: boolean; corrected?: readonly string[] }): Promise<{ planned: PlannedNotice[]; records: NewDeliveryRecord[]; ledger: LedgerDraft[] }> {
    const deliveries = this.deps.deliveries;
    if (!deliveries || (before.recipients ?? after.recipients ?? []).length === 0) return { planned: [], records: [], ledger: [] };
    const time = this.deps.clock().toISOString();
    const planned = planNotices(before, after, change, time);
    const records = await Promise.all(
      planned.map((notice) =>
        deliveries.prepare({
          kind: "notice",
          url: notice.url,
          body: notice.body,
          ...(notice.survivesErasure ? { survivesErasure: true } : { conversationId: id }),
          flow: before.flow,
        }),
      ),
    );
    const person = this.deps.ledger?.personOf(id) ?? "";
    const ledger = planned.map((notice): LedgerDraft => ({ time, type: "notice", reason: `${notice.body.type}: ${notice.body.processor}`, flow: before.flow, flowVersion: before.version, channel: before.channel, person }));
    return { planned, records, ledger };
  }

  /** The turn with the chat's sentence about the notices sent (none: unchanged). */
  private told(runnable: RunnableFlow, result: StepResult, planned: readonly PlannedNotice[]): StepResult {
    return planned.length === 0 ? result : { ...result, messages: withTold(runnable, result.state, result.messages, planned) };
  }

  /** The export with the live chat's messages, when the conversation had one (docs/privacy.md#data-subject-rights-in-the-chat). */
  private async withTranscript(id: string, data: DataExport): Promise<DataExport> {
    const transcript = await this.deps.liveChat?.transcript(id);
    return transcript && transcript.length > 0 ? { ...data, liveChat: transcript } : data;
  }

  /**
   * What a turn proves: each consent decision it recorded, an export the user asked for in the
   * chat, and an unsubscribe's erasure. No value and no text, only the facts.
   */
  private proofOf(id: string, runnable: RunnableFlow, before: ConversationState | undefined, event: EngineEvent | undefined, result: StepResult): LedgerDraft[] {
    const ledger = this.deps.ledger;
    if (!ledger) return [];
    const drafts: LedgerDraft[] = [];
    const person = ledger.personOf(id);
    const known = before?.consents.length ?? 0;
    for (const record of result.state.consents.slice(known)) drafts.push(consentDraft(record, runnable.flow.flow, person));
    if (event?.type === "choice" && event.value === "my-data:export" && result.messages.some((message) => message.type === "data")) {
      drafts.push(this.exportDraft(id, result.state, "visitor"));
    }
    if (result.effects.some((effect) => effect.type === "erase-conversation")) {
      drafts.push(this.erasureDraft(id, runnable.flow.flow, result.state.channel, "visitor"));
    }
    return drafts;
  }

  /** The turn's corrections, if it made any. */
  private correctionOf(id: string, result: StepResult, by: Correction["by"], request?: string): Correction | undefined {
    const fields = result.effects.flatMap((effect) => (effect.type === "field-corrected" ? [effect.field] : []));
    if (fields.length === 0) return undefined;
    const { state } = result;
    return { conversation: id, flow: state.flow, flowVersion: state.version, channel: state.channel, fields, by, ...(request ? { request } : {}) };
  }

  /**
   * The one place a stored correction is handled, wherever it came from — "my data" on the web
   * or a messenger, or the privacy desk: the proof ledger records it (no field, no value).
   */
  private async corrected(correction: Correction | undefined): Promise<void> {
    if (!correction) return;
    const ledger = this.deps.ledger;
    if (ledger) {
      await ledger.record([
        {
          time: this.deps.clock().toISOString(),
          type: "correction",
          reason: correction.by,
          flow: correction.flow,
          flowVersion: correction.flowVersion,
          channel: correction.channel,
          person: ledger.personOf(correction.conversation),
          ...(correction.request ? { request: correction.request } : {}),
        },
      ]);
    }
  }

  private exportDraft(id: string, state: ConversationState, reason: string): LedgerDraft {
    return { time: this.deps.clock().toISOString(), type: "export", reason, flow: state.flow, flowVersion: state.version, channel: state.channel, person: this.deps.ledger?.personOf(id) ?? "" };
  }

  private erasureDraft(id: string, flow: string, channel: string, reason: string): LedgerDraft {
    return { time: this.deps.clock().toISOString(), type: "erasure", reason, flow, channel, person: this.deps.ledger?.personOf(id) ?? "" };
  }

  /**
   * The conversation's state. A record whose key was destroyed — erased, though a copy of the
   * record survived, e.g. in a restored backup — is answered as if the id did not exist.
   */
  private async opened(record: ConversationRecord, code: "unauthorized" | "not-found"): Promise<ConversationState> {
    const state = await this.deps.sealer.open(record.id, record.sealedState);
    if (state) return state;
    throw code === "unauthorized" ? new AppError("unauthorized", "A valid conversation token is required.") : new AppError("not-found", "There is no such conversation.");
  }

  /**
   * `<id>.<secret>` tokens: a missing or wrong token is 401 whether or not the id exists; a
   * valid token for another conversation is 404, as if the id did not exist.
   */
  private async authorised(id: string, token: string | undefined): Promise<ConversationRecord> {
    const [tokenId, secret] = (token ?? "").split(".");
    if (!tokenId || !secret) throw new AppError("unauthorized", "A valid conversation token is required.");
    const record = await this.deps.conversations.get(tokenId);
    // The hash is computed for an unknown id too (against a hash no secret matches), so the time
    // of a refusal does not tell whether the conversation exists.
    const matches = this.deps.tokens.matches(secret, record?.tokenHash ?? this.unknownTokenHash);
    if (!record || !matches) {
      throw new AppError("unauthorized", "A valid conversation token is required.");
    }
    if (tokenId !== id) throw new AppError("not-found", "There is no such conversation.");
    return record;
  }

  private context(counter?: TurnCounter) {
    return { now: this.deps.clock().toISOString(), hashText: this.deps.hashText, ...(counter ? { observe: counter.observe } : {}) };
  }

  private counter(runnable: RunnableFlow): TurnCounter | undefined {
    return this.deps.analytics?.turn(runnable.flow.flow, runnable.version);
  }

  /** A stored turn goes into the analytics: started, handed over, and what the engine observed. */
  private counted(counter: TurnCounter | undefined, effects: readonly Effect[], started: boolean): void {
    if (!counter) return;
    if (started) counter.started();
    if (effects.some((effect) => effect.type === "request-handover")) counter.handover();
    counter.commit();
  }

  /**
   * Runs the turn to rest: webhook calls are made and their outcomes fed back (the core's one
   * effect loop). Every webhook call carries an `Idempotency-Key` (a durable one: its delivery's
   * id), and the conversation records which personal fields went to which processor under which
   * key, for the processor's notices later (docs/privacy.md#recipients-told).
   */
  private async runEffects(runnable: RunnableFlow, first: StepResult, counter?: TurnCounter): Promise<StepResult> {
    const sent: SentData[] = [];
    const { result } = await driveTurn(runnable, first, this.context(counter), {
      callWebhook: async (effect) => {
        const delivery = secureRandomBytes(16).toString("base64url");
        const outcome = await this.deps.callWebhook({ ...effect, headers: { "idempotency-key": delivery } });
        // Only a call refused before anything left (a blocked address) surely did not reach the processor.
        if (outcome.ok || !neverLeft(outcome)) sent.push({ node: effect.node, delivery, fields: Object.keys(effect.body) });
        return outcome;
      },
    });
    for (const effect of result.effects) {
      // At least once: a turn that is retried keeps the same id, and the store keeps it once.
      if (effect.type === "keep-unanswered") await this.deps.unanswered?.keep(effect, runnable.flow.flow, runnable.version);
    }
    const effects = result.effects.map((effect) => {
      if (effect.type !== "deliver-webhook") return effect;
      const id = secureRandomBytes(16).toString("base64url");
      sent.push({ node: effect.node, delivery: id, fields: Object.keys(effect.body) });
      return { ...effect, id };
    });
    if (sent.length === 0) return result;
    return { ...result, effects, state: noteRecipients(runnable, result.state, sent, this.deps.clock().toISOString()) };
  }

  /** The turn's durable webhook calls as delivery records, sealed under the conversation's key (which `record` made sure of). */
  private async deliveriesOf(id: string, runnable: RunnableFlow, result: StepResult): Promise<NewDeliveryRecord[]> {
    const effects = result.effects.filter((effect): effect is DurableWebhookEffect & { type: "deliver-webhook" } => effect.type === "deliver-webhook");
    if (effects.length === 0) return [];
    if (!this.deps.deliveries) throw new Error("a flow has a durable webhook step, but the runtime has no deliveries");
    return this.deps.deliveries.forTurn(id, runnable.flow.flow, effects);
  }

  private async record(runnable: RunnableFlow, id: string, tokenHash: string, state: ConversationState, revision: number): Promise<ConversationRecord> {
    return {
      id,
      tokenHash,
      flow: runnable.flow.flow,
      version: runnable.version,
      sealedState: await this.deps.sealer.seal(id, state),
      channel: state.channel,
      revision,
      lastActivityAt: state.lastActivityAt,
      expiresAt: deleteAfter(runnable.flow.privacy.retention, state.lastActivityAt),
    };
  }

  private turnResult(runnable: RunnableFlow, id: string, result: StepResult): TurnResult {
    return { id, messages: result.messages, menu: menuOf(runnable), status: result.state.waiting };
  }

  /** One turn at a time per conversation, in arrival order; other conversations run in parallel. */
  private serialised<T>(id: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(id) ?? Promise.resolve();
    const current = previous.then(work, work);
    const settled = current.catch(() => undefined);
    this.queues.set(id, settled);
    void settled.then(() => {
      if (this.queues.get(id) === settled) this.queues.delete(id);
    });
    return current;
  }
}

/** The fields a turn corrected. */
function correctedFields(result: StepResult): string[] {
  return result.effects.flatMap((effect) => (effect.type === "field-corrected" ? [effect.field] : []));
}

/** A webhook outcome for a call that never left Botschaft (its address was refused before connecting). */
function neverLeft(outcome: unknown): boolean {
  const reason = (outcome as { reason?: unknown }).reason;
  return reason === "blocked-address" || reason === "not-https";
}
