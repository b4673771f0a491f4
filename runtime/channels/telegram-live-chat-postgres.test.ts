/**
 * A Telegram live chat across two runtime instances on one PostgreSQL database
 * (docs/inbox.md#messengers): the Bot API's webhook reaches one instance, the agent works on the
 * other; the user's messages reach the agent, the agent's replies and the bot's question after
 * the hand-back reach the user's chat once each, through the shared outbox.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestRuntime, eventually, type TestMember, type TestRuntime, telegramSecret } from "../testing/create-test-runtime.ts";
import { type FakePlatform, startFakePlatform } from "../testing/fake-platform.ts";
import { helpdeskFlow } from "../testing/live-chat-fixtures.ts";
import { openTestStore, testDatabaseUrl } from "../testing/open-test-store.ts";

const schema = `botschaft_test_${randomBytes(6).toString("hex")}`;
const chatId = 555_222_333;
let nextUpdate = 710_000_000;

function update(body: Record<string, unknown>): Record<string, unknown> {
  return { update_id: ++nextUpdate, ...body };
}

const text = (value: string) =>
  update({
    message: {
      message_id: nextUpdate,
      date: Math.floor(Date.now() / 1000),
      from: { id: chatId, is_bot: false, first_name: "Paula" },
      chat: { id: chatId, type: "private", first_name: "Paula" },
      text: value,
      ...(value.startsWith("/") ? { entities: [{ offset: 0, length: value.length, type: "bot_command" }] } : {}),
    },
  });
const press = (data: string) => update({ callback_query: { id: `cbq-${nextUpdate}`, from: { id: chatId, is_bot: false, first_name: "Paula" }, message: { message_id: 43, chat: { id: chatId, type: "private" }, date: 1767225610 }, chat_instance: "-8123", data } });

describe("a Telegram live chat on two instances over PostgreSQL", () => {
  let fake: FakePlatform;
  let left: TestRuntime;
  let right: TestRuntime;
  let agent: TestMember;

  beforeAll(async () => {
    fake = await startFakePlatform("telegram");
    const instance = async () =>
      createTestRuntime({ store: await openTestStore("postgres", { schema }), flows: [{ id: "helpdesk", yaml: helpdeskFlow }], messengers: { telegramBase: fake.base, telegramFlow: "helpdesk" }, logLevel: "silent" });
    left = await instance();
    right = await instance();
    agent = await right.member(["agent"]);
  });

  afterAll(async () => {
    await left?.close().catch(() => undefined);
    await right?.close().catch(() => undefined);
    await fake?.close();
    const admin = new pg.Client({ connectionString: testDatabaseUrl });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  it("carries both directions between the instances and sends each message to the chat once", async () => {
    const deliver = async (body: unknown) => {
      await request(left.app).post("/channels/telegram/webhook").set("content-type", "application/json").set("x-telegram-bot-api-secret-token", telegramSecret).send(JSON.stringify(body)).expect(200);
      await left.settled();
    };
    const sent = () => fake.calls.filter((call) => call.method === "sendMessage" && String(call.body.chat_id) === String(chatId)).map((call) => String(call.body.text));
    const as = { cookie: agent.cookie, "x-csrf-token": agent.csrf };

    await deliver(text("/start"));
    await deliver(press("rechnung"));
    await eventually(async () => (await request(right.app).get("/api/v1/inbox").set(as)).body.conversations.length === 1);
    const id = (await request(right.app).get("/api/v1/inbox").set(as)).body.conversations[0].id as string;
    await request(right.app).post(`/api/v1/inbox/${id}/claim`).set(as).expect(200);
    await deliver(text("Meine Rechnung ist falsch."));
    const view = await request(right.app).get(`/api/v1/inbox/${id}`).set(as).expect(200);
    expect(view.body.messages.map((entry: { from: string; message: { text: string } }) => `${entry.from}: ${entry.message.text}`)).toEqual([
      "bot: Jemand aus unserem Team ist jetzt für Sie da.",
      "visitor: Meine Rechnung ist falsch.",
    ]);
    await request(right.app).post(`/api/v1/inbox/${id}/messages`).set(as).send({ text: "Ich prüfe das, Frau Paula." }).expect(201);
    await request(right.app).post(`/api/v1/inbox/${id}/release`).set(as).expect(204);
    await eventually(() => sent().includes("Wieder beim Bot. Noch etwas?"));
    // Both instances run an outbox worker on the same table: each message went out once, in order.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sent()).toEqual(["Worum geht es?", "Ich verbinde Sie mit unserem Team.", "Jemand aus unserem Team ist jetzt für Sie da.", "Ich prüfe das, Frau Paula.", "Wieder beim Bot. Noch etwas?"]);
  });
});
