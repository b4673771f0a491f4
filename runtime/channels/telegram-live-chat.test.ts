/**
 * A Telegram user reaches a handover on the fake Bot API: the conversation is in the agents'
 * queue with what the user writes next, an agent claims it and hands it back (the flow goes on
 * with the user's next message), /stop erases the live chat; replies from the inbox to a
 * messenger are refused with the reason (docs/inbox.md#messengers).
 */
import request from "supertest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestRuntime, eventually, type TestMember, type TestRuntime, telegramSecret } from "../testing/create-test-runtime.ts";
import { type FakePlatform, startFakePlatform } from "../testing/fake-platform.ts";
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

  async function atHandover(): Promise<string> {
    await deliver(message("/start"));
    await h.settled();
    await deliver(press("rechnung"));
    await h.settled();
    await eventually(async () => (await request(h.app).get("/api/v1/inbox").set(as())).body.conversations.length === 1);
    return (await request(h.app).get("/api/v1/inbox").set(as())).body.conversations[0].id as string;
  }

  it("queues the Telegram conversation with what the user writes, and hands back so the flow goes on", async () => {
    const id = await atHandover();
    await deliver(message("Meine Rechnung stimmt nicht."));
    await h.settled();
    const view = await request(h.app).get(`/api/v1/inbox/${id}`).set(as()).expect(200);
    expect(view.body).toMatchObject({ channel: "telegram", shares: { thema: "rechnung" } });
    expect(view.body.messages.map((entry: { from: string; message: { text: string } }) => `${entry.from}: ${entry.message.text}`)).toEqual(["visitor: Meine Rechnung stimmt nicht."]);
    await request(h.app).post(`/api/v1/inbox/${id}/claim`).set(as()).expect(200);
    const refused = await request(h.app).post(`/api/v1/inbox/${id}/messages`).set(as()).send({ text: "Hallo!" }).expect(409);
    expect(refused.body.error.message).toBe("Replies to telegram conversations cannot be sent from the inbox yet; the visitor's messages are kept and shown here.");
    await request(h.app).post(`/api/v1/inbox/${id}/release`).set(as()).expect(204);
    const before = fake.calls.length;
    await deliver(press("nein"));
    await h.settled();
    await eventually(() => fake.calls.slice(before).some((call) => call.method === "sendMessage" && String(call.body.text).includes("Tschüss!")));
  });

  it("erases the live chat when the user sends /stop", async () => {
    const id = await atHandover();
    await deliver(message("Bitte löschen Sie alles."));
    await h.settled();
    await deliver(message("/stop"));
    await h.settled();
    await eventually(async () => (await request(h.app).get(`/api/v1/inbox/${id}`).set(as())).body.ended === "erased");
    expect((await request(h.app).get(`/api/v1/inbox/${id}`).set(as())).body.messages).toEqual([]);
  });
});
