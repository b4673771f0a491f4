/**
 * The conversation engine: `step(flow, state, event, context)` returns the next state, the
 * messages to send and the effects for the edges to carry out. Pure: no I/O, no clock (the
 * time comes in through the context), no mutation of its arguments.
 */
import { deleteAfter } from "../dsl/duration.ts";
import { interpolate } from "../dsl/interpolation.ts";
import type { ConsentNode, FlowNode } from "../dsl/flow.ts";
import { definitionOf } from "../nodes/index.ts";
import { botTexts, retryText } from "./bot-texts.ts";
import type {
  ConversationHistoryEntry,
  ConversationState,
  DataExport,
  Effect,
  EngineContext,
  EngineEvent,
  FieldValue,
  OutgoingMessage,
  StepResult,
} from "./conversation.ts";
import { checkAnswer } from "./input-formats.ts";
import { isOpenAt } from "./opening-hours.ts";
import type { NodeReply, NodeRun, Transition } from "./node-run.ts";
import { formatOf, labelOf, type RunnableFlow } from "./runnable-flow.ts";

/** Nodes run without waiting in one turn; more means a loop of messages, conditions or sets. */
const maxNodesPerTurn = 200;

/** How many messages of the conversation the state keeps for an agent's view (docs/inbox.md#history-before-the-handover). */
export const maxHistoryEntries = 50;

/** Choice values of the my-data dialogue; flows cannot produce them (node ids have no `:`). */
const myDataChoice = { export: "my-data:export", back: "my-data:back", correct: "my-data:correct:", withdraw: "my-data:withdraw:" };

/** The consents in force: for each consent node, its latest decision, when that was an accept. */
export function liveConsents(state: ConversationState): Map<string, ConversationState["consents"][number]> {
  const latest = new Map<string, ConversationState["consents"][number]>();
  for (const record of state.consents) latest.set(record.consent, record);
  for (const [consent, record] of latest) if (record.decision !== "accept") latest.delete(consent);
  return latest;
}

/**
 * A stored field's value. Fields live in a plain object that comes back from JSON, so a lookup
 * must not reach `Object.prototype`: `constructor`, `toString` or `valueOf` are no stored
 * fields, however a flow or a forged choice names them.
 */
function storedValue(fields: ConversationState["fields"], field: string): FieldValue | undefined {
  return Object.hasOwn(fields, field) ? fields[field] : undefined;
}

/** A node of the flow by id; never something `Object.prototype` has under that name. */
function nodeById(runnable: RunnableFlow, id: string): FlowNode | undefined {
  return Object.hasOwn(runnable.flow.nodes, id) ? runnable.flow.nodes[id] : undefined;
}

function isCovered(state: ConversationState, field: string): boolean {
  for (const record of liveConsents(state).values()) if (record.fields.includes(field)) return true;
  return false;
}

/** The machine-readable export of what is stored (GET …/data, and "my data" in the chat). */
export function exportData(runnable: RunnableFlow, state: ConversationState): DataExport {
  const retention = runnable.flow.privacy.retention ?? "P2Y";
  const live = [...liveConsents(state).values()];
  return {
    flow: state.flow,
    flowVersion: state.version,
    channel: state.channel,
    startedAt: state.startedAt,
    lastActivityAt: state.lastActivityAt,
    retention,
    deleteAfter: deleteAfter(runnable.flow.privacy.retention, state.lastActivityAt),
    fields: Object.entries(state.fields).map(([field, value]) => ({
      field,
      label: labelOf(runnable, field),
      value,
      personal: runnable.personalFields.has(field),
      purposes: live.filter((record) => record.fields.includes(field)).map((record) => record.purpose),
    })),
    consents: state.consents.map((record) => ({ ...record, fields: [...record.fields] })),
    ...(state.history && state.history.length > 0 ? { history: state.history.map((entry) => ({ ...entry })) } : {}),
  };
}

/** The main menu as channels show it: id and label, built-ins labelled in the flow's language. */
export function menuOf(runnable: RunnableFlow): { id: string; label: string }[] {
  const labels = botTexts(runnable.flow.language).menu as Record<string, string>;
  return runnable.menu.map((entry) => ({ id: entry.id, label: entry.label ?? (Object.hasOwn(labels, entry.id) ? labels[entry.id] : undefined) ?? entry.id }));
}

/**
 * A deep copy of a state, so the turn can change its copy freely. Written out rather than
 * `structuredClone`, which costs several times more on every turn; it must follow
 * `ConversationState`: field values are primitives, consents hold one array each.
 */
function copyState(state: ConversationState): ConversationState {
  const copy: ConversationState = {
    ...state,
    fields: { ...state.fields },
    consents: state.consents.map((record) => ({ ...record, fields: [...record.fields] })),
  };
  if (state.overlay) copy.overlay = { ...state.overlay };
  // Entries are never changed once written, so the list is copied, not each entry.
  if (state.history) copy.history = [...state.history];
  return copy;
}

/**
 * A node executor's view of the turn. A class, not an object of closures: a turn runs several
 * nodes, and methods on the prototype cost no allocation per node.
 */
class TurnNodeRun implements NodeRun {
  constructor(
    private readonly turn: Turn,
    readonly nodeId: string,
  ) {}

  get texts() {
    return this.turn.texts;
  }

  get language() {
    return this.turn.state.language;
  }

  get policyUrl() {
    return this.turn.runnable.flow.privacy.policyUrl ?? "";
  }

  label(field: string): string {
    return labelOf(this.turn.runnable, field);
  }

  get retries() {
    return this.turn.state.retries;
  }

  say(message: OutgoingMessage): void {
    this.turn.messages.push(message);
  }

  interpolate(text: string): string {
    return this.turn.interpolate(text);
  }

  field(name: string): FieldValue | undefined {
    return storedValue(this.turn.state.fields, name);
  }

  store(field: string, value: FieldValue): boolean {
    return this.turn.store(field, value);
  }

  shareable(fields: readonly string[]): Record<string, FieldValue> {
    const shared: Record<string, FieldValue> = {};
    for (const field of fields) {
      const value = storedValue(this.turn.state.fields, field);
      if (value !== undefined && this.turn.mayHold(field)) shared[field] = value;
    }
    return shared;
  }

  effect(effect: Effect): void {
    this.turn.effects.push(effect);
  }

  recordConsent(node: ConsentNode, decision: "accept" | "decline"): void {
    const { state, context } = this.turn;
    state.consents.push({
      consent: this.nodeId,
      purpose: node.purpose,
      fields: [...node.covers],
      textHash: context.hashText(this.turn.interpolate(node.text)),
      flowVersion: state.version,
      decision,
      at: context.now,
      channel: state.channel,
    });
    context.observe?.({ type: "consent", purpose: node.purpose, decision });
  }

  countInvalidAnswer(): void {
    this.turn.state.retries += 1;
    this.turn.context.observe?.({ type: "retry", node: this.nodeId });
  }

  knowledgeBase(name: string) {
    return this.turn.runnable.knowledgeBases.get(name);
  }

  hash(text: string): string {
    return this.turn.context.hashText(text);
  }

  get now() {
    return this.turn.context.now;
  }

  get startedAt() {
    return this.turn.state.startedAt;
  }

  get agentsExpected() {
    return isOpenAt(this.turn.runnable.flow.openingHours, this.turn.context.now);
  }

  noteUnanswered(id: string): void {
    this.turn.state.unanswered = id;
  }
}

/** One turn's work in progress: a private copy of the state plus what was said and asked for. */
class Turn {
  readonly messages: OutgoingMessage[] = [];
  readonly effects: Effect[] = [];
  readonly state: ConversationState;

  constructor(
    readonly runnable: RunnableFlow,
    state: ConversationState,
    readonly context: EngineContext,
  ) {
    this.state = copyState(state);
    this.state.lastActivityAt = context.now;
  }

  get texts() {
    return botTexts(this.state.language);
  }

  result(): StepResult {
    return { state: this.state, messages: this.messages, effects: this.effects };
  }

  /**
   * Keeps the visitor's answer in the conversation's history, for a flow whose handover shows it
   * to the agent. A choice is kept as the label the visitor saw.
   */
  keepAnswer(event: { type: "text"; text: string } | { type: "choice"; value: string }): void {
    if (!this.runnable.keepsHistory) return;
    let text = event.type === "text" ? event.text : event.value;
    if (event.type === "choice") {
      const asked = this.state.history?.at(-1);
      const options = asked?.from === "bot" && (asked.message.type === "choice" || asked.message.type === "consent") ? asked.message.options : [];
      text = options.find((option) => option.value === event.value)?.label ?? event.value;
    }
    this.keep([{ from: "visitor", at: this.context.now, message: { type: "text", text } }]);
  }

  /**
   * Keeps what the bot said in this turn in the history (not the data export, input hints or
   * status notes), and gives a handover that shows the history to the agent its copy.
   */
  keepSaid(): void {
    if (!this.runnable.keepsHistory) return;
    const said = this.messages.filter((message) => message.type !== "data" && message.type !== "input" && message.type !== "status");
    this.keep(said.map((message) => ({ from: "bot" as const, at: this.context.now, message })));
    for (const effect of this.effects) {
      if (effect.type !== "request-handover") continue;
      const node = nodeById(this.runnable, effect.node);
      if (node?.type === "handover" && node.history === true) effect.history = [...(this.state.history ?? [])];
    }
  }

  private keep(entries: ConversationHistoryEntry[]): void {
    if (entries.length === 0) return;
    this.state.history = [...(this.state.history ?? []), ...entries].slice(-maxHistoryEntries);
  }

  interpolate(text: string): string {
    return interpolate(text, (field) => String(storedValue(this.state.fields, field) ?? ""));
  }

  /** The runtime guard: a personal field is stored or shared only under a live consent. */
  mayHold(field: string): boolean {
    return !this.runnable.personalFields.has(field) || isCovered(this.state, field);
  }

  store(field: string, value: FieldValue): boolean {
    // `__proto__` would replace the object's prototype instead of storing; the schema refuses such names.
    if (!this.mayHold(field) || Object.hasOwn(Object.prototype, field)) return false;
    this.state.fields[field] = value;
    return true;
  }

  /**
   * Replaces a stored answer, checked against the field's format again: the one correction both
   * "my data" in the chat and the privacy desk use (docs/privacy.md#requests-desk).
   */
  correct(field: string, answer: string): "corrected" | "invalid" | "not-stored" {
    if (storedValue(this.state.fields, field) === undefined) return "not-stored";
    const value = checkAnswer(answer, formatOf(this.runnable, field), this.runnable.inputFor.get(field)?.pattern);
    if (value === undefined) return "invalid";
    if (!this.store(field, value)) return "not-stored";
    this.effects.push({ type: "field-corrected", field });
    return "corrected";
  }

  nodeRun(nodeId: string): NodeRun {
    return new TurnNodeRun(this, nodeId);
  }

  currentNode(): FlowNode | undefined {
    return this.state.node === null ? undefined : nodeById(this.runnable, this.state.node);
  }

  /** Follows transitions through nodes that do not wait, until one waits or the flow ends. */
  advance(transition: Transition): void {
    let current = transition;
    for (let hops = 0; "next" in current; hops++) {
      const nodeId = current.next;
      const node = nodeId === undefined ? undefined : nodeById(this.runnable, nodeId);
      if (nodeId === undefined || !node || hops >= maxNodesPerTurn) {
        // A missing node or an endless loop only happens in a flow that skipped validation.
        if (nodeId !== undefined) this.messages.push({ type: "text", text: this.texts.loop });
        this.end();
        return;
      }
      this.context.observe?.({ type: "enter", node: nodeId, from: this.state.node });
      this.state.node = nodeId;
      this.state.retries = 0;
      current = definitionOf(node).enter(node, this.nodeRun(nodeId));
    }
    this.state.waiting = current.wait;
  }

  end(): void {
    this.context.observe?.({ type: "completed" });
    this.state.node = null;
    this.state.waiting = "ended";
    this.messages.push({ type: "status", status: "ended" });
  }

  reply(reply: NodeReply): void {
    const node = this.currentNode();
    const answer = node && definitionOf(node).reply;
    if (!node || !answer) return;
    this.advance(answer(node, reply, this.nodeRun(this.state.node as string)));
  }

  /** Asks the pending question again, after a menu detour. */
  reprompt(): void {
    const node = this.currentNode();
    if (node && this.state.waiting === "reply") definitionOf(node).enter(node, this.nodeRun(this.state.node as string));
  }

  showMyData(): void {
    const data = exportData(this.runnable, this.state);
    const texts = this.texts;
    this.state.overlay = { kind: "my-data" };
    this.messages.push({ type: "text", text: data.fields.length === 0 ? texts.myDataEmpty : texts.myDataIntro });
    this.messages.push({ type: "data", data });
    this.messages.push({ type: "text", text: texts.deleteAfter(data.deleteAfter.slice(0, 10)) });
    this.messages.push({
      type: "choice",
      text: texts.menu["my-data"],
      options: [
        { label: texts.exportOption, value: myDataChoice.export },
        ...data.fields.map(({ field, label }) => ({ label: texts.correctOption(label), value: `${myDataChoice.correct}${field}` })),
        ...[...liveConsents(this.state).values()].map((record) => ({
          label: texts.withdrawOption(record.purpose),
          value: `${myDataChoice.withdraw}${record.consent}`,
        })),
        { label: texts.back, value: myDataChoice.back },
      ],
    });
  }

  withdraw(consent: string): void {
    const record = liveConsents(this.state).get(consent);
    if (!record) return;
    this.state.consents.push({ ...record, fields: [...record.fields], decision: "withdraw", at: this.context.now });
    this.context.observe?.({ type: "consent", purpose: record.purpose, decision: "withdraw" });
    // Withdrawal is as easy as consent, and takes the data with it (docs/privacy.md#data-subject-rights-in-the-chat).
    for (const field of record.fields) if (!isCovered(this.state, field)) delete this.state.fields[field];
    // The answers are in the history kept for an agent too: it goes with them.
    delete this.state.history;
    this.messages.push({ type: "text", text: this.texts.withdrawn(record.purpose) });
  }

  unsubscribe(): void {
    this.state.fields = {};
    this.state.consents = [];
    delete this.state.history;
    delete this.state.overlay;
    this.state.node = null;
    this.state.waiting = "ended";
    this.messages.push({ type: "text", text: this.texts.unsubscribed });
    this.messages.push({ type: "status", status: "erased" });
    this.effects.push({ type: "erase-conversation" });
  }

  menu(item: string): void {
    const policy = this.runnable.flow.privacy;
    switch (item) {
      case "privacy":
        this.messages.push({ type: "link", label: this.texts.menu.privacy, url: policy.policyUrl ?? "" });
        return;
      case "imprint":
        this.messages.push({ type: "link", label: this.texts.menu.imprint, url: policy.imprintUrl ?? "" });
        return;
      case "my-data":
        this.showMyData();
        return;
      case "unsubscribe":
        this.unsubscribe();
        return;
    }
    const custom = this.runnable.menu.find((entry) => entry.id === item && entry.goto !== undefined);
    if (!custom) {
      this.messages.push({ type: "text", text: this.texts.pickAnOption });
      return;
    }
    delete this.state.overlay;
    this.advance({ next: custom.goto });
  }

  /** A reply while the my-data dialogue is open. Returns false when it was meant for the flow. */
  overlayReply(event: EngineEvent): boolean {
    const overlay = this.state.overlay;
    const answer = event.type === "choice" ? event.value : event.type === "text" ? event.text : undefined;
    if (!overlay || answer === undefined) return false;
    if (overlay.kind === "correct") {
      const outcome = this.correct(overlay.field, answer);
      if (outcome === "invalid") {
        const format = formatOf(this.runnable, overlay.field);
        this.messages.push({ type: "text", text: retryText(format, this.state.language) }, { type: "input", format });
        return true;
      }
      delete this.state.overlay;
      this.messages.push({ type: "text", text: outcome === "corrected" ? this.texts.corrected(labelOf(this.runnable, overlay.field)) : this.texts.notStored });
      this.reprompt();
      return true;
    }
    if (answer === myDataChoice.export) {
      this.messages.push({ type: "data", data: exportData(this.runnable, this.state) });
      return true;
    }
    if (answer.startsWith(myDataChoice.correct)) {
      const field = answer.slice(myDataChoice.correct.length);
      if (storedValue(this.state.fields, field) === undefined) return true;
      this.state.overlay = { kind: "correct", field };
      this.messages.push({ type: "text", text: this.texts.correctPrompt(labelOf(this.runnable, field)) }, { type: "input", format: formatOf(this.runnable, field) });
      return true;
    }
    delete this.state.overlay;
    if (answer.startsWith(myDataChoice.withdraw)) this.withdraw(answer.slice(myDataChoice.withdraw.length));
    if (answer.startsWith("my-data:")) {
      this.reprompt();
      return true;
    }
    // Anything else answers the pending question: the dialogue closes and the flow goes on.
    return false;
  }
}

/**
 * Starts a conversation at the flow's `start` node.
 *
 * @example
 * const { state, messages } = startConversation(prepareFlow(flow, version), { channel: "web" }, { now, hashText });
 */
export function startConversation(runnable: RunnableFlow, options: { channel: string }, context: EngineContext): StepResult {
  const initial: ConversationState = {
    flow: runnable.flow.flow,
    version: runnable.version,
    language: runnable.flow.language,
    channel: options.channel,
    node: null,
    waiting: "reply",
    retries: 0,
    fields: {},
    consents: [],
    startedAt: context.now,
    lastActivityAt: context.now,
  };
  const turn = new Turn(runnable, initial, context);
  turn.advance({ next: runnable.flow.start });
  turn.keepSaid();
  return turn.result();
}

/**
 * Corrects one stored answer outside a turn of the person — the privacy desk's correction
 * (Art. 16 GDPR) — with the same check and the same `field-corrected` effect as "my data".
 * `invalid`: the value does not fit the field's format; `not-stored`: nothing to correct.
 */
export function correctField(runnable: RunnableFlow, state: ConversationState, field: string, answer: string, context: EngineContext): StepResult & { outcome: "corrected" | "invalid" | "not-stored" } {
  const turn = new Turn(runnable, state, context);
  turn.state.lastActivityAt = state.lastActivityAt;
  const outcome = turn.correct(field, answer);
  return { ...turn.result(), outcome };
}

/**
 * Advances a conversation by one event.
 *
 * @example
 * const next = step(runnable, state, { type: "choice", value: "accept" }, { now: clock.now(), hashText: sha256 });
 * await store.save(next.state); await send(next.messages); await runEffects(next.effects);
 */
export function step(runnable: RunnableFlow, state: ConversationState, event: EngineEvent, context: EngineContext): StepResult {
  const turn = new Turn(runnable, state, context);
  if (event.type === "menu") {
    turn.menu(event.item);
    return turn.result();
  }
  if (turn.overlayReply(event)) return turn.result();
  switch (turn.state.waiting) {
    case "reply":
      if (event.type === "text" || event.type === "choice") {
        turn.keepAnswer(event);
        turn.reply(event);
        turn.keepSaid();
      }
      break;
    case "webhook":
      if (event.type === "webhook-result" && event.node === turn.state.node) {
        turn.reply({ type: "webhook-result", result: event.result });
        turn.keepSaid();
      }
      break;
    case "handover":
      // What the visitor writes is for the agent; the edges keep it (docs/inbox.md).
      if (event.type === "text") turn.reply(event);
      else if (event.type === "choice") turn.reply({ type: "text", text: event.value });
      else if (event.type === "handover-ended" || event.type === "handover-closed" || event.type === "handover-timeout") turn.reply(event);
      break;
    case "ended":
      if (event.type === "text" || event.type === "choice") turn.messages.push({ type: "text", text: turn.texts.ended });
      break;
  }
  return turn.result();
}
