/**
 * A Telegram user reaches a handover on the fake Bot API: the conversation is in the agents'
 * queue with what the user writes next, an agent claims it and writes, and the fake Bot API
 * receives the agent's text for the user's chat; the agent hands back and the flow's next
 * question reaches the user; /stop erases the live chat (docs/inbox.md#messengers).
 */
import request from "supertest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestRuntime, eventually, type TestMember, type TestRuntime, telegramSecret } from "../testing/create-test-runtime.ts";
import { type FakePlatform, type RecordedCall, startFakePlatform } from "../testing/fake-platform.ts";
import { helpdeskFlow } from "../testing/live-chat-fixtures.ts";

const chatId = 555_111_222;
let nextUpdate = 700_000_000;

function message(text: string) {
  const id = ++nextUpdate;
  return {
    update_id: id,
    message: {
      message_id: id,
      date: 1767225600,
      from: { id: chatId, is_bot: false, first_name: "Paula", language_code: "de" },
      chat: { id: chatId, type: "private", first_name: "Paula" },
      text,
      ...(text.startsWith("/") ? { entities: [{ offset: 0, length: text.length, type: "bot_command" }] } : {}),
    },
  };
}

function press(data: string) {
  const id = ++nextUpdate;
  return { update_id: id, callback_query: { id: `cbq-${id}`, from: { id: chatId, is_bot: false, first_name: "Paula" }, message: { message_id: 43, chat: { id: chatId, type: "private" }, date: 1767225610 }, chat_instance: "-8123", data } };
}

/** The texts the fake Bot API was asked to send to the user's chat, from call `from` on. */
function sentTexts(calls: readonly RecordedCall[], from = 0): string[] {
  return calls
    .slice(from)
    .filter((call) => call.method === "sendMessage" && String(call.body.chat_id) === String(chatId))
    .map((call) => String(call.body.text));
}

describe("the live chat with a Telegram user", () => {
  let fake: FakePlatform;
  let h: TestRuntime;
  let agent: TestMember;

  beforeEach(async () => {
    fake = await startFakePlatform("telegram");
    h = await createTestRuntime({ flows: [{ id: "helpdesk", yaml: helpdeskFlow }], messengers: { telegramBase: fake.base, telegramFlow: "helpdesk" }, logLevel: "silent" });
    agent = await h.member(["agent"]);
  });

  afterEach(async () => {
    await h.close();
    await fake.close();
  });

  const deliver = (update: unknown) => request(h.app).post("/channels/telegram/webhook").set("content-type", "application/json").set("x-telegram-bot-api-secret-token", telegramSecret).send(JSON.stringify(update)).expect(200);
  const as = () => ({ cookie: agent.cookie, "x-csrf-token": agent.csrf });
  const lines = (body: { messages: { from: string; message: { text: string } }[] }) => body.messages.map((entry) => `${entry.from}: ${entry.message.text}`);

  async function atHandover(): Promise<string> {
    await deliver(message("/start"));
    await h.settled();
    await deliver(press("rechnung"));
    await h.settled();
    await eventually(() => sentTexts(fake.calls).includes("Ich verbinde Sie mit unserem Team."));
    await eventually(async () => (await request(h.app).get("/api/v1/inbox").set(as())).body.conversations.length === 1);
    return (await request(h.app).get("/api/v1/inbox").set(as())).body.conversations[0].id as string;
  }

  it("carries the user's messages to the agent and the agent's to the user's chat, and hands back so the flow goes on", async () => {
    const id = await atHandover();
    await request(h.app).post(`/api/v1/inbox/${id}/claim`).set(as()).expect(200);
    await eventually(() => sentTexts(fake.calls).includes("Jemand aus unserem Team ist jetzt für Sie da."));

    await deliver(message("Meine Rechnung stimmt nicht."));
    await h.settled();
    const view = await request(h.app).get(`/api/v1/inbox/${id}`).set(as()).expect(200);
    expect(view.body).toMatchObject({ channel: "telegram", state: "claimed", mine: true, shares: { thema: "rechnung" } });
    expect(lines(view.body)).toEqual(["bot: Jemand aus unserem Team ist jetzt für Sie da.", "visitor: Meine Rechnung stimmt nicht."]);
    // Telegram lets a bot answer at any time: no reply window.
    expect(view.body.replyWindowEnd).toBeUndefined();

    const before = fake.calls.length;
    const reply = "Ich sehe nach. <b>Einen Moment</b> bitte.";
    const sent = await request(h.app).post(`/api/v1/inbox/${id}/messages`).set(as()).send({ text: reply }).expect(201);
    expect(sent.body).toMatchObject({ from: "agent", message: { type: "text", text: reply } });
    await eventually(() => sentTexts(fake.calls, before).includes(reply));
    const call = fake.calls.slice(before).find((entry) => entry.method === "sendMessage" && entry.body.text === reply);
    // To the user's chat, as plain text: the HTML the agent typed is not interpreted.
    expect(call?.body).toMatchObject({ chat_id: String(chatId), text: reply });
    expect(call?.body.parse_mode).toBeUndefined();
    expect(lines((await request(h.app).get(`/api/v1/inbox/${id}`).set(as()).expect(200)).body).at(-1)).toBe(`agent: ${reply}`);

    const beforeRelease = fake.calls.length;
    await request(h.app).post(`/api/v1/inbox/${id}/release`).set(as()).expect(204);
    // The flow continues at the step's `next`: its question reaches the user without them writing first.
    await eventually(() => sentTexts(fake.calls, beforeRelease).includes("Wieder beim Bot. Noch etwas?"));
    const question = fake.calls.slice(beforeRelease).find((entry) => entry.method === "sendMessage" && entry.body.text === "Wieder beim Bot. Noch etwas?");
    expect(JSON.stringify(question?.body.reply_markup)).toContain("Nein");
    expect((await request(h.app).get(`/api/v1/inbox/${id}`).set(as()).expect(200)).body).toMatchObject({ state: "ended", ended: "released" });
    await request(h.app).post(`/api/v1/inbox/${id}/messages`).set(as()).send({ text: "Noch da?" }).expect(410);

    const beforeAnswer = fake.calls.length;
    await deliver(press("nein"));
    await h.settled();
    await eventually(() => sentTexts(fake.calls, beforeAnswer).includes("Tschüss!"));
    // The user's address was kept for the live chat only.
    expect((await h.store.liveChats.get(id))?.sealedContact).toBeUndefined();
  });

  it("sends the agent's replies in the order written, after the bot's, through the outbox's retries", async () => {
    const id = await atHandover();
    await request(h.app).post(`/api/v1/inbox/${id}/claim`).set(as()).expect(200);
    fake.failNext(2, 0);
    const before = fake.calls.length;
    for (const text of ["Erstens.", "Zweitens.", "Drittens."]) await request(h.app).post(`/api/v1/inbox/${id}/messages`).set(as()).send({ text }).expect(201);
    await eventually(() => sentTexts(fake.calls.filter((call) => call.status === 200)).includes("Drittens."));
    const delivered = sentTexts(fake.calls.filter((call) => call.status === 200));
    expect(delivered.slice(delivered.indexOf("Jemand aus unserem Team ist jetzt für Sie da."))).toEqual(["Jemand aus unserem Team ist jetzt für Sie da.", "Erstens.", "Zweitens.", "Drittens."]);
    expect(fake.calls.slice(before).some((call) => call.status === 429)).toBe(true);
  });

  it("erases the live chat when the user sends /stop: the agent sees only that, and a reply is refused with 410", async () => {
    const id = await atHandover();
    await request(h.app).post(`/api/v1/inbox/${id}/claim`).set(as()).expect(200);
    await deliver(message("Bitte löschen Sie alles."));
    await h.settled();
    await deliver(message("/stop"));
    await h.settled();
    await eventually(async () => (await request(h.app).get(`/api/v1/inbox/${id}`).set(as())).body.ended === "erased");
    const view = await request(h.app).get(`/api/v1/inbox/${id}`).set(as()).expect(200);
    expect(view.body).toMatchObject({ state: "ended", ended: "erased", shares: {}, messages: [] });
    const before = fake.calls.length;
    const refused = await request(h.app).post(`/api/v1/inbox/${id}/messages`).set(as()).send({ text: "Hallo?" }).expect(410);
    expect(refused.body.error).toMatchObject({ code: "gone", message: "The visitor erased this conversation." });
    expect((await h.store.liveChats.get(id))?.sealedContact).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sentTexts(fake.calls, before)).toEqual([]);
  });
});

describe("a Telegram user whose first message reaches a handover", () => {
  let fake: FakePlatform;
  let h: TestRuntime;

  afterEach(async () => {
    await h.close();
    await fake.close();
  });

  it("is queued at once, and the agent's reply reaches the user's chat", async () => {
    fake = await startFakePlatform("telegram");
    const direct = helpdeskFlow.replace("flow: helpdesk", "flow: direct").replace("start: topic", "start: human");
    h = await createTestRuntime({ flows: [{ id: "direct", yaml: direct }], messengers: { telegramBase: fake.base, telegramFlow: "direct" }, logLevel: "silent" });
    const agent = await h.member(["agent"]);
    const as = { cookie: agent.cookie, "x-csrf-token": agent.csrf };
    await request(h.app).post("/channels/telegram/webhook").set("content-type", "application/json").set("x-telegram-bot-api-secret-token", telegramSecret).send(JSON.stringify(message("/start"))).expect(200);
    await h.settled();
    await eventually(() => sentTexts(fake.calls).includes("Ich verbinde Sie mit unserem Team."));
    const queue = (await request(h.app).get("/api/v1/inbox").set(as).expect(200)).body.conversations;
    expect(queue).toMatchObject([{ flow: "direct", channel: "telegram", state: "waiting" }]);
    await request(h.app).post(`/api/v1/inbox/${queue[0].id}/messages`).set(as).send({ text: "Hallo, wie kann ich helfen?" }).expect(201);
    await eventually(() => sentTexts(fake.calls).includes("Hallo, wie kann ich helfen?"));
  });
});
