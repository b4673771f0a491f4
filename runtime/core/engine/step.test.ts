import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Flow } from "../dsl/flow.ts";
import { checkFlowSource } from "../load/check-flow-source.ts";
import type { ConversationState, EngineEvent, OutgoingMessage, StepResult } from "./conversation.ts";
import { prepareFlow, type RunnableFlow } from "./runnable-flow.ts";
import { correctField, startConversation, step } from "./step.ts";

function loadExample(name: string): Flow {
  const source = readFileSync(new URL(`../../../examples/${name}.yaml`, import.meta.url));
  const { flow } = checkFlowSource(source, { fileName: `${name}.yaml` });
  if (!flow) throw new Error(`${name} does not load`);
  return flow;
}

const context = (minute: number) => ({
  now: `2026-11-22T10:${String(minute).padStart(2, "0")}:00.000Z`,
  hashText: (text: string) => `hash of: ${text}`,
});

/** A conversation driven turn by turn, as a channel would. */
class Chat {
  state: ConversationState;
  last: StepResult;
  private minute = 0;

  constructor(readonly runnable: RunnableFlow) {
    this.last = startConversation(runnable, { channel: "web" }, context(this.minute));
    this.state = this.last.state;
  }

  send(event: EngineEvent): OutgoingMessage[] {
    this.minute += 1;
    this.last = step(this.runnable, this.state, event, context(this.minute));
    this.state = this.last.state;
    return this.last.messages;
  }

  text(text: string) {
    return this.send({ type: "text", text });
  }

  choose(value: string) {
    return this.send({ type: "choice", value });
  }
}

const texts = (messages: OutgoingMessage[]) => messages.map((message) => ("text" in message ? message.text : message.type));

describe("the engine on the reference flow", () => {
  const runnable = prepareFlow(loadExample("callback-request"), "v1");

  it("greets and offers the main choice", () => {
    const chat = new Chat(runnable);
    expect(chat.last.messages).toEqual([
      { type: "text", text: "Hallo! Ich bin der Service-Bot der Muster GmbH." },
      {
        type: "choice",
        text: "Wie kann ich helfen?",
        options: [
          { label: "Rückruf anfordern", value: "Rückruf anfordern" },
          { label: "Öffnungszeiten", value: "Öffnungszeiten" },
        ],
      },
    ]);
    expect(chat.state).toMatchObject({ node: "main", waiting: "reply", fields: {}, consents: [] });
  });

  it("accepts a choice by value, by typed label and by number", () => {
    for (const answer of [{ type: "choice", value: "Öffnungszeiten" }, { type: "text", text: "öffnungszeiten" }, { type: "text", text: "2" }] as const) {
      const chat = new Chat(runnable);
      expect(texts(chat.send(answer))).toEqual(["Montag bis Freitag, 9 bis 17 Uhr.", "Wie kann ich helfen?"]);
    }
  });

  it("asks again for a choice no option has", () => {
    const chat = new Chat(runnable);
    expect(texts(chat.choose("Pizza"))).toEqual(["Bitte wählen Sie eine der Optionen.", "Wie kann ich helfen?"]);
    expect(chat.state.node).toBe("main");
  });

  it("logs a decline, stores nothing and goes back to the menu", () => {
    const chat = new Chat(runnable);
    const consent = chat.choose("Rückruf anfordern");
    expect(consent).toEqual([
      {
        type: "consent",
        purpose: "Rückruf zu Ihrem Anliegen",
        text: "Dürfen wir Ihren Namen und Ihre Telefonnummer speichern, um Sie zurückzurufen?",
        fields: ["name", "phone"],
        labels: ["Name", "Telefonnummer"],
        policyUrl: "https://muster.example/datenschutz",
        options: [
          { label: "Ja, einverstanden", value: "accept" },
          { label: "Nein, danke", value: "decline" },
        ],
      },
    ]);
    expect(texts(chat.choose("decline"))).toEqual(["Kein Problem – ohne Ihre Einwilligung speichern wir nichts.", "Wie kann ich helfen?"]);
    expect(chat.state.fields).toEqual({});
    expect(chat.state.consents).toEqual([
      {
        consent: "consent-callback",
        purpose: "Rückruf zu Ihrem Anliegen",
        fields: ["name", "phone"],
        textHash: "hash of: Dürfen wir Ihren Namen und Ihre Telefonnummer speichern, um Sie zurückzurufen?",
        flowVersion: "v1",
        decision: "decline",
        at: "2026-11-22T10:02:00.000Z",
        channel: "web",
      },
    ]);
  });

  it("collects under consent, retries an invalid phone number and calls the CRM as an effect", () => {
    const chat = new Chat(runnable);
    chat.choose("Rückruf anfordern");
    expect(texts(chat.text("ja"))).toEqual(["Wie heißen Sie?", "input"]);
    expect(chat.text("Erika Mustermann")).toEqual([
      { type: "text", text: "Unter welcher Nummer erreichen wir Sie?" },
      { type: "input", format: "phone" },
    ]);
    expect(texts(chat.text("call me maybe"))).toEqual(["Das sieht nicht nach einer Telefonnummer aus. Bitte noch einmal.", "input"]);
    expect(chat.text("+49 170 1234567")).toEqual([]);
    expect(chat.last.effects).toEqual([
      {
        type: "call-webhook",
        node: "send-crm",
        url: "https://crm.muster.example/api/callbacks",
        body: { name: "Erika Mustermann", phone: "+491701234567" },
        timeoutMs: 10_000,
      },
    ]);
    expect(chat.state.waiting).toBe("webhook");
    const after = chat.send({ type: "webhook-result", node: "send-crm", result: { ok: true, json: {} } });
    expect(texts(after)).toEqual(["Danke, Erika Mustermann! Wir rufen Sie zurück.", "status"]);
    expect(chat.state).toMatchObject({ node: null, waiting: "ended" });
  });

  it("ignores a webhook result for another node", () => {
    const chat = new Chat(runnable);
    chat.choose("Rückruf anfordern");
    chat.choose("accept");
    chat.text("Erika");
    chat.text("030 123456");
    expect(chat.send({ type: "webhook-result", node: "elsewhere", result: { ok: true, json: {} } })).toEqual([]);
    expect(chat.state.node).toBe("send-crm");
  });

  it("shows, exports and corrects my data, re-checking the format, then withdraws consent and erases its fields", () => {
    const chat = new Chat(runnable);
    chat.choose("Rückruf anfordern");
    chat.choose("accept");
    chat.text("Erika");
    const overview = chat.send({ type: "menu", item: "my-data" });
    expect(texts(overview)).toEqual(["Das ist alles, was ich über Sie gespeichert habe:", "data", "Gelöscht wird es spätestens am 20. Februar 2027.", "Meine Daten"]);
    const data = overview.find((message) => message.type === "data");
    expect(data?.type === "data" && data.data.fields).toEqual([{ field: "name", label: "Name", value: "Erika", personal: true, purposes: ["Rückruf zu Ihrem Anliegen"] }]);
    const menu = overview.at(-1);
    expect(menu?.type === "choice" && menu.options.map((option) => option.value)).toEqual([
      "my-data:export",
      "my-data:correct:name",
      "my-data:withdraw:consent-callback",
      "my-data:back",
    ]);

    expect(texts(chat.choose("my-data:correct:name"))).toEqual(["Bitte geben Sie den neuen Wert für „Name“ ein.", "input"]);
    expect(texts(chat.text("Erika Musterfrau"))).toEqual(["„Name“ wurde korrigiert.", "Unter welcher Nummer erreichen wir Sie?", "input"]);
    expect(chat.state.fields).toEqual({ name: "Erika Musterfrau" });
    expect(chat.last.effects).toEqual([{ type: "field-corrected", field: "name" }]);

    chat.send({ type: "menu", item: "my-data" });
    expect(texts(chat.choose("my-data:withdraw:consent-callback"))).toEqual([
      "Ihre Einwilligung „Rückruf zu Ihrem Anliegen“ ist widerrufen; die Daten dazu sind gelöscht.",
      "Unter welcher Nummer erreichen wir Sie?",
      "input",
    ]);
    expect(chat.state.fields).toEqual({});
    expect(chat.state.consents.map((record) => record.decision)).toEqual(["accept", "withdraw"]);
    // The runtime guard: after the withdrawal the phone number is not stored, and not sent.
    expect(texts(chat.text("030 123456"))).toEqual(["Diese Angabe speichere ich nicht, weil dafür keine Einwilligung vorliegt."]);
    expect(chat.state.fields).toEqual({});
    expect(chat.last.effects).toEqual([
      { type: "call-webhook", node: "send-crm", url: "https://crm.muster.example/api/callbacks", body: {}, timeoutMs: 10_000 },
    ]);
  });

  it("corrects a stored answer for the privacy desk as my data does: format checked, effect announced, last activity kept", () => {
    const chat = new Chat(runnable);
    chat.choose("Rückruf anfordern");
    chat.choose("accept");
    chat.text("Erika");
    chat.text("030 123456");
    const before = chat.state;
    const later = { now: "2026-12-24T10:00:00.000Z", hashText: (text: string) => text };
    expect(correctField(runnable, before, "phone", "keine Nummer", later)).toMatchObject({ outcome: "invalid", effects: [] });
    expect(correctField(runnable, before, "email", "a@b.example", later)).toMatchObject({ outcome: "not-stored", effects: [] });
    const corrected = correctField(runnable, before, "phone", "+49 30 654321", later);
    expect(corrected).toMatchObject({ outcome: "corrected", messages: [], effects: [{ type: "field-corrected", field: "phone" }] });
    expect(corrected.state.fields).toEqual({ name: "Erika", phone: "+4930654321" });
    expect(corrected.state.lastActivityAt).toBe(before.lastActivityAt);
    expect(corrected.state.node).toBe(before.node);
    expect(before.fields.phone).toBe("030123456");
  });

  it("unsubscribes: deletes everything, confirms and asks the edges to erase", () => {
    const chat = new Chat(runnable);
    chat.choose("Rückruf anfordern");
    chat.choose("accept");
    chat.text("Erika");
    const messages = chat.send({ type: "menu", item: "unsubscribe" });
    expect(messages).toEqual([
      { type: "text", text: "Sie sind abgemeldet. Alle über Sie gespeicherten Daten wurden gelöscht." },
      { type: "status", status: "erased" },
    ]);
    expect(chat.last.effects).toEqual([{ type: "erase-conversation" }]);
    expect(chat.state).toMatchObject({ fields: {}, consents: [], node: null, waiting: "ended" });
  });

  it("links the privacy policy and imprint without leaving the question", () => {
    const chat = new Chat(runnable);
    expect(chat.send({ type: "menu", item: "privacy" })).toEqual([{ type: "link", label: "Datenschutz", url: "https://muster.example/datenschutz" }]);
    expect(chat.send({ type: "menu", item: "imprint" })).toEqual([{ type: "link", label: "Impressum", url: "https://muster.example/impressum" }]);
    expect(chat.state.node).toBe("main");
  });

  it("jumps to a custom menu item's node", () => {
    const chat = new Chat(runnable);
    chat.choose("Rückruf anfordern");
    expect(texts(chat.send({ type: "menu", item: "hours" }))).toEqual(["Montag bis Freitag, 9 bis 17 Uhr.", "Wie kann ich helfen?"]);
  });

  it("does not change the state it was given", () => {
    const chat = new Chat(runnable);
    const before = structuredClone(chat.state);
    step(runnable, chat.state, { type: "choice", value: "Rückruf anfordern" }, context(5));
    expect(chat.state).toEqual(before);
  });

  it("never writes to the state it was given, nested parts included, through consent, input, my data and withdrawal", () => {
    const deepFreeze = <T>(value: T): T => {
      if (typeof value === "object" && value !== null) for (const part of Object.values(value)) deepFreeze(part);
      return Object.freeze(value);
    };
    const chat = new Chat(runnable);
    const events: EngineEvent[] = [
      { type: "choice", value: "Rückruf anfordern" },
      { type: "choice", value: "accept" },
      { type: "text", text: "Erika" },
      { type: "menu", item: "my-data" },
      { type: "choice", value: "my-data:correct:name" },
      { type: "text", text: "Erika Musterfrau" },
      { type: "menu", item: "my-data" },
      { type: "choice", value: "my-data:withdraw:consent-callback" },
      { type: "menu", item: "unsubscribe" },
    ];
    for (const event of events) {
      // A write to a frozen object throws in a module (strict mode), so any mutation fails here.
      const given = deepFreeze(chat.state);
      const before = structuredClone(given);
      chat.send(event);
      expect(given).toEqual(before);
      expect(chat.state).not.toBe(given);
    }
    expect(chat.state).toMatchObject({ fields: {}, consents: [], waiting: "ended" });
  });
});

describe("the runtime guard", () => {
  // This flow would fail validation (no consent before the e-mail): the engine must still not store it.
  const unvalidated: Flow = {
    flow: "sneaky",
    title: "Sneaky",
    language: "en",
    privacy: { controller: { name: "X", address: "Y", email: "x@example.org" } },
    start: "ask",
    nodes: {
      ask: { type: "input", text: "Your e-mail?", field: "email", next: "copy" },
      copy: { type: "set", set: { contact: "{{email}}", email: "x@example.org" }, next: "send" },
      send: { type: "webhook", url: "https://collector.example/api", sends: ["email"], next: "done" },
      done: { type: "end", text: "Thanks {{email}}" },
    },
  };

  it("stores, sets and sends no personal field without a live consent", () => {
    const chat = new Chat(prepareFlow(unvalidated, "v0"));
    expect(texts(chat.text("erika@example.org"))).toEqual(["I am not storing this, because there is no consent for it."]);
    expect(chat.last.effects).toEqual([{ type: "call-webhook", node: "send", url: "https://collector.example/api", body: {}, timeoutMs: 10_000 }]);
    expect(chat.state.fields).toEqual({ contact: "" });
  });

  it("ends a flow whose nodes loop without waiting, instead of hanging", () => {
    const loop: Flow = { ...unvalidated, start: "a", nodes: { a: { type: "message", text: "a", next: "b" }, b: { type: "message", text: "b", next: "a" } } };
    const chat = new Chat(prepareFlow(loop, "v0"));
    expect(chat.last.messages.at(-2)).toEqual({ type: "text", text: "Sorry, something went wrong here. The conversation has ended." });
    expect(chat.state.waiting).toBe("ended");
  });
});

describe("webhooks and handover", () => {
  const flow: Flow = {
    flow: "ticket",
    title: "Ticket",
    language: "en",
    privacy: { controller: { name: "X", address: "Y", email: "x@example.org" }, policyUrl: "https://x.example/p", imprintUrl: "https://x.example/i", retention: "P30D" },
    menu: ["privacy", "imprint", "my-data", "unsubscribe"],
    start: "topic",
    nodes: {
      topic: { type: "choice", text: "Topic?", field: "topic", options: [{ label: "Billing", value: "billing", next: "create" }] },
      create: { type: "webhook", url: "https://tickets.example/api", sends: ["topic"], map: { ticket: "/ticket/id", agent: "/ticket" }, next: "created", error: "failed" },
      created: { type: "handover", text: "Ticket {{ticket}}: an agent takes over.", shares: ["topic", "ticket"], next: "done" },
      failed: { type: "message", text: "The ticket system is down.", next: "done" },
      done: { type: "end" },
    },
  };
  const runnable = prepareFlow(flow, "v1");

  it("takes the error branch when the call fails", () => {
    const chat = new Chat(runnable);
    chat.choose("billing");
    expect(texts(chat.send({ type: "webhook-result", node: "create", result: { ok: false } }))).toEqual(["The ticket system is down.", "status"]);
  });

  it("maps only JSON primitives from the reply and hands over with the shared fields", () => {
    const chat = new Chat(runnable);
    chat.choose("billing");
    const messages = chat.send({ type: "webhook-result", node: "create", result: { ok: true, json: { ticket: { id: 4711 } } } });
    expect(chat.state.fields).toEqual({ topic: "billing", ticket: 4711 });
    expect(texts(messages)).toEqual(["Ticket 4711: an agent takes over.", "status"]);
    expect(chat.last.effects).toEqual([{ type: "request-handover", node: "created", shares: { topic: "billing", ticket: 4711 }, unclaimedMinutes: 10 }]);
    expect(chat.state.waiting).toBe("handover");
    expect(chat.text("hello?")).toEqual([]);
    expect(chat.last.effects).toEqual([{ type: "handover-message", node: "created", text: "hello?" }]);
    expect(texts(chat.send({ type: "handover-ended" }))).toEqual(["status"]);
    expect(chat.state.waiting).toBe("ended");
  });

  const human = (extra: Partial<Extract<Flow["nodes"][string], { type: "handover" }>>, openingHours?: Flow["openingHours"]): RunnableFlow =>
    prepareFlow(
      {
        ...flow,
        ...(openingHours ? { openingHours } : {}),
        start: "human",
        nodes: { human: { type: "handover", text: "An agent takes over.", next: "back", ...extra }, back: { type: "message", text: "Back with the bot.", next: "done" }, closed: { type: "message", text: "We are closed.", next: "done" }, busy: { type: "message", text: "All busy.", next: "done" }, done: { type: "end" } },
      },
      "v1",
    );
  // The Chat's clock reads 2026-11-22, a Sunday, 10:0x UTC.
  const weekdaysOnly = { timezone: "Europe/Berlin", mon: ["09:00-17:00"], fri: ["09:00-17:00"] };

  it("goes to the noAgent target outside the opening hours, without the waiting text", () => {
    const chat = new Chat(human({ noAgent: "closed" }, weekdaysOnly));
    expect(texts(chat.last.messages)).toEqual(["We are closed.", "status"]);
    expect(chat.last.effects).toEqual([]);
    expect(chat.state.waiting).toBe("ended");
  });

  it("without a noAgent target tells the visitor that nobody is there and queues the conversation as unattended", () => {
    const chat = new Chat(human({}, weekdaysOnly));
    expect(texts(chat.last.messages)).toEqual(["Nobody from our team is here right now. Leave us your message here; we will answer as soon as someone is back.", "status"]);
    expect(chat.last.effects).toEqual([{ type: "request-handover", node: "human", shares: {}, unclaimedMinutes: 10, unattended: true }]);
    expect(chat.text("Please call me back")).toEqual([]);
    expect(chat.last.effects).toEqual([{ type: "handover-message", node: "human", text: "Please call me back" }]);
  });

  it("waits for an agent within the opening hours", () => {
    const chat = new Chat(human({ noAgent: "closed" }, { timezone: "Europe/Berlin", sun: ["00:00-24:00"] }));
    expect(texts(chat.last.messages)).toEqual(["An agent takes over.", "status"]);
    expect(chat.state.waiting).toBe("handover");
  });

  it("goes to the unclaimed target when nobody claimed it in time, and tells the visitor without one", () => {
    const withTarget = new Chat(human({ unclaimed: "busy", unclaimedMinutes: 3 }));
    expect(withTarget.last.effects).toEqual([{ type: "request-handover", node: "human", shares: {}, unclaimedMinutes: 3 }]);
    expect(texts(withTarget.send({ type: "handover-timeout" }))).toEqual(["All busy.", "status"]);
    const without = new Chat(human({}));
    expect(texts(without.send({ type: "handover-timeout" }))).toEqual(["Sorry, nobody is free right now. Leave us your message here; we will answer as soon as someone is free."]);
    expect(without.state.waiting).toBe("handover");
  });

  it("ends the conversation when the agent closes, and continues at next when the agent hands back", () => {
    const closed = new Chat(human({}));
    expect(texts(closed.send({ type: "handover-closed" }))).toEqual(["status"]);
    expect(closed.state.waiting).toBe("ended");
    const back = new Chat(human({}));
    expect(texts(back.send({ type: "handover-ended" }))).toEqual(["Back with the bot.", "status"]);
  });

  it("ignores handover events when the conversation is not at a handover", () => {
    const chat = new Chat(runnable);
    expect(chat.send({ type: "handover-timeout" })).toEqual([]);
    expect(chat.send({ type: "handover-closed" })).toEqual([]);
    expect(chat.state.node).toBe("topic");
  });
});

describe("the history before a handover (history: true)", () => {
  const flow = (history: boolean | undefined): RunnableFlow =>
    prepareFlow(
      {
        flow: "callback",
        title: "Callback",
        language: "en",
        privacy: { controller: { name: "X", address: "Y", email: "x@example.org" }, policyUrl: "https://x.example/p", imprintUrl: "https://x.example/i", retention: "P30D" },
        menu: ["privacy", "imprint", "my-data", "unsubscribe"],
        start: "topic",
        nodes: {
          topic: { type: "choice", text: "What is it about?", field: "topic", options: [{ label: "My invoice", value: "invoice", next: "ask" }] },
          ask: { type: "consent", purpose: "Call back", covers: ["phone"], text: "May we store your number to call you back?", accept: "phone", decline: "human" },
          phone: { type: "input", text: "Your number?", field: "phone", format: "phone", next: "human" },
          human: { type: "handover", text: "An agent takes over.", shares: ["topic"], next: "done", ...(history === undefined ? {} : { history }) },
          done: { type: "end" },
        },
      },
      "v1",
    );

  it("keeps nothing of the conversation unless a handover step shows it", () => {
    for (const history of [undefined, false]) {
      const chat = new Chat(flow(history));
      chat.choose("invoice");
      chat.choose("accept");
      chat.text("+49 30 1234567");
      expect(chat.state.history).toBeUndefined();
      expect(chat.last.effects).toEqual([{ type: "request-handover", node: "human", shares: { topic: "invoice" }, unclaimedMinutes: 10 }]);
    }
  });

  it("gives the handover the bot's messages and the visitor's answers, choices as the labels seen", () => {
    const chat = new Chat(flow(true));
    chat.choose("invoice");
    chat.choose("accept");
    chat.text("+49 30 1234567");
    const [effect] = chat.last.effects;
    expect(effect?.type === "request-handover" && effect.history?.map((entry) => [entry.from, "text" in entry.message ? entry.message.text : entry.message.type])).toEqual([
      ["bot", "What is it about?"],
      ["visitor", "My invoice"],
      ["bot", "May we store your number to call you back?"],
      ["visitor", "Yes, I agree"],
      ["bot", "Your number?"],
      ["visitor", "+49 30 1234567"],
      ["bot", "An agent takes over."],
    ]);
    expect(effect?.type === "request-handover" && effect.history?.[1]).toEqual({ from: "visitor", at: "2026-11-22T10:01:00.000Z", message: { type: "text", text: "My invoice" } });
    // What the visitor writes to the agent is the live chat's, not the history's.
    chat.text("Hello?");
    expect(chat.state.history).toHaveLength(7);
    // Part of the visitor's export.
    chat.send({ type: "menu", item: "my-data" });
    const data = chat.last.messages.find((message) => message.type === "data");
    expect(data?.type === "data" && data.data.history?.map((entry) => entry.from)).toEqual(["bot", "visitor", "bot", "visitor", "bot", "visitor", "bot"]);
  });

  it("keeps at most the last 50 messages", () => {
    const runnable = prepareFlow(
      {
        flow: "loop",
        title: "Loop",
        language: "en",
        privacy: { controller: { name: "X", address: "Y", email: "x@example.org" }, policyUrl: "https://x.example/p", imprintUrl: "https://x.example/i" },
        start: "again",
        nodes: {
          again: { type: "choice", text: "Again?", options: [{ label: "Yes", value: "yes", next: "again" }, { label: "Talk to someone", value: "human", next: "human" }] },
          human: { type: "handover", text: "An agent takes over.", history: true },
        },
      },
      "v1",
    );
    const chat = new Chat(runnable);
    for (let round = 0; round < 40; round++) chat.choose("yes");
    chat.choose("human");
    const [effect] = chat.last.effects;
    const history = effect?.type === "request-handover" ? (effect.history ?? []) : [];
    expect(history).toHaveLength(50);
    expect(history.slice(-3).map((entry) => ("text" in entry.message ? entry.message.text : ""))).toEqual(["Again?", "Talk to someone", "An agent takes over."]);
  });

  it("forgets the history when a consent is withdrawn, and on unsubscribe", () => {
    const withdrawn = new Chat(flow(true));
    withdrawn.choose("invoice");
    withdrawn.choose("accept");
    withdrawn.send({ type: "menu", item: "my-data" });
    withdrawn.choose("my-data:withdraw:ask");
    expect(withdrawn.state.history).toBeUndefined();
    const unsubscribed = new Chat(flow(true));
    unsubscribed.choose("invoice");
    unsubscribed.send({ type: "menu", item: "unsubscribe" });
    expect(unsubscribed.state.history).toBeUndefined();
  });
});

describe("field names that Object.prototype also has", () => {
  /** Built without the validator (which refuses such names), as a flow that skipped it would be. */
  const flow: Flow = {
    flow: "prototype-names",
    title: "Prototype names",
    language: "en",
    privacy: { controller: { name: "Muster GmbH", address: "Musterstraße 1, 10115 Berlin", email: "datenschutz@muster.example" }, policyUrl: "https://muster.example/p", imprintUrl: "https://muster.example/i", retention: "P30D" },
    menu: ["privacy", "imprint", "my-data", "unsubscribe"],
    start: "check",
    nodes: {
      check: { type: "condition", if: [{ field: "valueOf", exists: true, next: "found" }, { field: "toString", equals: "x", next: "found" }], else: "ask" },
      found: { type: "message", text: "found", next: "ask" },
      ask: { type: "input", text: "Topic for {{constructor}}{{hasOwnProperty}}?", field: "topic", next: "done" },
      done: { type: "end", text: "Noted {{topic}}{{__proto__}}." },
    },
  };
  const runnable = prepareFlow(flow, "v1");

  it("finds no field a new conversation never stored: no inherited function is a value", () => {
    const chat = new Chat(runnable);
    expect(texts(chat.last.messages)).toEqual(["Topic for ?", "input"]);
  });

  it("offers no correction of a field that is not stored and stores no undeclared field", () => {
    const chat = new Chat(runnable);
    chat.text("billing");
    chat.send({ type: "menu", item: "my-data" });
    for (const name of ["constructor", "toString", "valueOf", "__defineGetter__", "__proto__", "hasOwnProperty"]) {
      expect(chat.choose(`my-data:correct:${name}`)).toEqual([]);
      chat.text("anything");
      expect(Object.keys(chat.state.fields)).toEqual(["topic"]);
      chat.send({ type: "menu", item: "my-data" });
    }
    expect(Object.getPrototypeOf(chat.state.fields)).toBe(Object.prototype);
    chat.choose("my-data:withdraw:constructor");
    chat.choose("my-data:withdraw:__proto__");
    expect(chat.state.fields).toEqual({ topic: "billing" });
  });
});
