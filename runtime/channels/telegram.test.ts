import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import request from "supertest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTestStore } from "../testing/open-test-store.ts";
import { pseudonym } from "../app/crypto/pseudonym.ts";
import { telegramChannel, telegramServiceFields } from "./telegram.ts";
import { type FakePlatform, type RecordedCall, startFakePlatform } from "../testing/fake-platform.ts";
import { createTestRuntime, type TestRuntime, eventually, telegramBotUsername, telegramSecret, testKeys } from "../testing/create-test-runtime.ts";

const chatId = 111_222_333;
let nextUpdate = 900_000_000;

function message(text: string, extra: Record<string, unknown> = {}, updateId = ++nextUpdate) {
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      date: 1767225600,
      from: { id: chatId, is_bot: false, first_name: "Anna", language_code: "de" },
      chat: { id: chatId, type: "private", first_name: "Anna" },
      ...(text ? { text } : {}),
      ...(text.startsWith("/") ? { entities: [{ offset: 0, length: text.split(" ")[0]?.length ?? 0, type: "bot_command" }] } : {}),
      ...extra,
    },
  };
}

function press(data: string, updateId = ++nextUpdate) {
  return {
    update_id: updateId,
    callback_query: {
      id: `cbq-${updateId}`,
      from: { id: chatId, is_bot: false, first_name: "Anna" },
      message: { message_id: 43, chat: { id: chatId, type: "private" }, date: 1767225610 },
      chat_instance: "-8123123123",
      data,
    },
  };
}

function deliver(h: TestRuntime, update: unknown, secret: string | null = telegramSecret) {
  const call = request(h.app).post("/channels/telegram/webhook").set("content-type", "application/json");
  if (secret !== null) call.set("x-telegram-bot-api-secret-token", secret);
  return call.send(typeof update === "string" ? update : JSON.stringify(update));
}

function texts(calls: RecordedCall[]): string[] {
  return calls.filter((call) => call.method === "sendMessage").map((call) => String(call.body.text));
}

function buttons(call: RecordedCall | undefined): { text: string; callback_data?: string; url?: string }[] {
  const markup = call?.body.reply_markup as { inline_keyboard: { text: string; callback_data?: string; url?: string }[][] } | undefined;
  return markup?.inline_keyboard.flat() ?? [];
}

const channelUser = pseudonym(testKeys.pseudonym.current.key, "telegram", String(chatId));

const groupId = -1001987654321;
const memberId = 444_555_666;

/** A message in a group or supergroup, as Telegram sends it (privacy mode off: every message). */
function groupMessage(text: string, extra: Record<string, unknown> = {}, type: "group" | "supergroup" = "supergroup") {
  return message(text, { from: { id: memberId, is_bot: false, first_name: "Bernd", language_code: "de" }, chat: { id: groupId, title: "Muster Team", type }, ...extra });
}

describe("telegram channel", () => {
  let fake: FakePlatform;
  let h: TestRuntime;
  const directories: string[] = [];

  beforeEach(async () => {
    fake = await startFakePlatform("telegram");
    h = await createTestRuntime({ messengers: { telegramBase: fake.base } });
  });

  afterEach(async () => {
    await h.stop();
    await fake.close();
    for (const directory of directories.splice(0)) await rm(directory, { recursive: true, force: true });
  });

  it("runs the reference flow: decline, accept, my data as a document, unsubscribe deleting everything", async () => {
    await deliver(h, message("/start")).expect(200);
    await eventually(() => texts(fake.calls).length === 2);
    expect(texts(fake.calls)).toEqual(["Hallo! Ich bin der Service-Bot der Muster GmbH.", "Wie kann ich helfen?"]);
    expect(buttons(fake.calls[1]).map((button) => button.callback_data)).toEqual(["c:Rückruf anfordern", "c:Öffnungszeiten"]);

    await deliver(h, press("c:Rückruf anfordern")).expect(200);
    await eventually(() => texts(fake.calls).length === 3);
    const consent = fake.calls.at(-1);
    expect(consent?.body.text).toBe("Dürfen wir Ihren Namen und Ihre Telefonnummer speichern, um Sie zurückzurufen?");
    expect(buttons(consent)).toEqual([
      { text: "Ja, einverstanden", callback_data: "c:accept" },
      { text: "Nein, danke", callback_data: "c:decline" },
      { text: "Datenschutzerklärung", url: "https://muster.example/datenschutz" },
    ]);

    await deliver(h, press("c:decline")).expect(200);
    await eventually(() => texts(fake.calls).length === 5);
    expect(texts(fake.calls).slice(3)).toEqual(["Kein Problem – ohne Ihre Einwilligung speichern wir nichts.", "Wie kann ich helfen?"]);

    await deliver(h, press("c:Rückruf anfordern")).expect(200);
    await eventually(() => texts(fake.calls).length === 6);
    await deliver(h, press("c:accept")).expect(200);
    await eventually(() => texts(fake.calls).length === 7);
    await deliver(h, message("Anna Müller")).expect(200);
    await eventually(() => texts(fake.calls).length === 8);
    await deliver(h, message("+49 30 1234567")).expect(200);
    await eventually(() => texts(fake.calls).length === 9);
    expect(texts(fake.calls).slice(6)).toEqual(["Wie heißen Sie?", "Unter welcher Nummer erreichen wir Sie?", "Danke, Anna Müller! Wir rufen Sie zurück."]);
    expect(h.webhookCalls).toHaveLength(1);
    // Every button press was answered, so the client's progress indicator stops.
    expect(fake.calls.filter((call) => call.method === "answerCallbackQuery")).toHaveLength(4);

    await deliver(h, message("/mydata")).expect(200);
    await eventually(() => fake.calls.some((call) => call.method === "sendDocument"));
    const document = fake.calls.find((call) => call.method === "sendDocument");
    expect(document?.body.chat_id).toBe(String(chatId));
    const exported = JSON.parse(document?.files.document ?? "{}");
    expect(exported.fields).toEqual([
      { field: "name", label: "Name", value: "Anna Müller", personal: true, purposes: ["Rückruf zu Ihrem Anliegen"] },
      { field: "phone", label: "Telefonnummer", value: "+49301234567", personal: true, purposes: ["Rückruf zu Ihrem Anliegen"] },
    ]);
    expect(exported.consents.map((record: { decision: string; channel: string }) => `${record.decision}@${record.channel}`)).toEqual(["decline@telegram", "accept@telegram"]);

    expect(await h.store.conversations.findByChannelUser("telegram", channelUser)).toBeDefined();
    await deliver(h, message("/stop")).expect(200);
    await eventually(() => texts(fake.calls).includes("Sie sind abgemeldet. Alle über Sie gespeicherten Daten wurden gelöscht."));
    expect(await h.store.conversations.findByChannelUser("telegram", channelUser)).toBeUndefined();
    await eventually(async () => (await h.store.outbox.pending()).length === 0);
    // The CRM that got name and phone is asked to erase them too, and the user is told (docs/privacy.md#recipients-told).
    await eventually(() => texts(fake.calls).includes("Muster CRM GmbH wurde gebeten, Ihre Daten ebenfalls zu löschen."));
    expect(await h.deliveryWorker.drain()).toBe(1);
    const notice = h.deliveryAttempts.at(-1);
    expect(notice?.url).toBe("https://crm.muster.example/api/gdpr");
    expect(JSON.parse(notice?.payload ?? "{}")).toMatchObject({ type: "erasure", processor: "Muster CRM GmbH", subject: { deliveries: [h.webhookCalls[0]?.headers?.["idempotency-key"]] }, fields: ["name", "phone"] });
    expect(notice?.payload).not.toContain("Anna");
  });

  it("answers /menu, /privacy and /imprint natively", async () => {
    await deliver(h, message("/menu")).expect(200);
    await eventually(() => texts(fake.calls).length === 1);
    expect(buttons(fake.calls[0])).toEqual([
      { text: "Datenschutz", url: "https://muster.example/datenschutz" },
      { text: "Impressum", url: "https://muster.example/impressum" },
      { text: "Meine Daten", callback_data: "m:my-data" },
      { text: "Abmelden & löschen", callback_data: "m:unsubscribe" },
      { text: "Öffnungszeiten", callback_data: "m:hours" },
    ]);
    await deliver(h, message("/privacy@MusterBot")).expect(200);
    await eventually(() => buttons(fake.calls.at(-1)).some((button) => button.url === "https://muster.example/datenschutz" && button.text === "Datenschutz") && texts(fake.calls).length >= 4);
    await deliver(h, message("/imprint")).expect(200);
    await eventually(() => buttons(fake.calls.at(-1)).some((button) => button.url === "https://muster.example/impressum"));
  });

  it("refuses a missing or forged secret with 401/403 and processes nothing", async () => {
    await deliver(h, message("/start"), null).expect(401);
    await deliver(h, message("/start"), "wrong-secret").expect(403);
    await deliver(h, message("/start"), `${telegramSecret}x`).expect(403);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.calls).toEqual([]);
    expect(await h.store.inbox.pending()).toEqual([]);
  });

  it("processes a replayed update once", async () => {
    const update = message("/start");
    await deliver(h, update).expect(200);
    await deliver(h, update).expect(200);
    await eventually(() => texts(fake.calls).length >= 2);
    await h.settled();
    await deliver(h, update).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(texts(fake.calls)).toEqual(["Hallo! Ich bin der Service-Bot der Muster GmbH.", "Wie kann ich helfen?"]);
  });

  it("processes a burst of out-of-order updates for one chat in update_id order", async () => {
    const first = ++nextUpdate;
    const updates = [message("/privacy", {}, first + 2), message("Öffnungszeiten", {}, first + 1), message("/start", {}, first)];
    nextUpdate += 2;
    await Promise.all(updates.map((update) => deliver(h, update).expect(200)));
    await eventually(() => texts(fake.calls).length === 5);
    expect(texts(fake.calls)).toEqual([
      "Hallo! Ich bin der Service-Bot der Muster GmbH.",
      "Wie kann ich helfen?",
      "Montag bis Freitag, 9 bis 17 Uhr.",
      "Wie kann ich helfen?",
      "Datenschutz",
    ]);
  });

  it("retries a 429 after the retry_after Telegram asks for, and sends the reply once", async () => {
    fake.failNext(1, 1);
    await deliver(h, message("/start")).expect(200);
    await eventually(() => texts(fake.calls).length === 3, 8000);
    const [refused, retried] = fake.calls;
    expect(refused?.body.text).toBe(retried?.body.text);
    expect((retried?.at ?? 0) - (refused?.at ?? 0)).toBeGreaterThanOrEqual(950);
    await eventually(async () => (await h.store.outbox.pending()).length === 0);
    expect(texts(fake.calls)).toEqual(["Hallo! Ich bin der Service-Bot der Muster GmbH.", "Hallo! Ich bin der Service-Bot der Muster GmbH.", "Wie kann ich helfen?"]);
  });

  it("treats callback_data as untrusted: a forged value is just a wrong answer", async () => {
    await deliver(h, message("/start")).expect(200);
    await eventually(() => texts(fake.calls).length === 2);
    await deliver(h, press("c:accept")).expect(200);
    await eventually(() => texts(fake.calls).length === 4);
    expect(texts(fake.calls).slice(2)).toEqual(["Bitte wählen Sie eine der Optionen.", "Wie kann ich helfen?"]);
    await deliver(h, press("c:../../etc")).expect(200);
    await eventually(() => texts(fake.calls).length === 6);
    expect(h.webhookCalls).toEqual([]);
  });

  it("verifies and processes non-ASCII text and a 3 MB update", async () => {
    await deliver(h, message("/start")).expect(200);
    await eventually(() => texts(fake.calls).length === 2);
    await deliver(h, message("Grüße 🙂 مرحبا Ωμέγα")).expect(200);
    await eventually(() => texts(fake.calls).length === 4);
    const big = message("x".repeat(3 * 1024 * 1024));
    await deliver(h, big).expect(200);
    await eventually(() => texts(fake.calls).length === 6);
    expect(texts(fake.calls).slice(2)).toEqual(["Bitte wählen Sie eine der Optionen.", "Wie kann ich helfen?", "Bitte wählen Sie eine der Optionen.", "Wie kann ich helfen?"]);
  });

  it("answers stickers, photos, locations and unknown messages politely", async () => {
    await deliver(h, message("", { sticker: { file_id: "s1", emoji: "🙂" } })).expect(200);
    await deliver(h, message("", { photo: [{ file_id: "p1", width: 90, height: 90 }] })).expect(200);
    await deliver(h, message("", { location: { latitude: 52.52, longitude: 13.4 } })).expect(200);
    await deliver(h, message("", { something_new: { x: 1 } })).expect(200);
    await eventually(() => texts(fake.calls).length === 4);
    expect(new Set(texts(fake.calls))).toEqual(new Set(["Das kann ich leider nicht lesen. Bitte antworten Sie mit Text oder tippen Sie auf eine der Schaltflächen."]));
    await deliver(h, "{not json").expect(400);
  });

  it("never logs the chat id or message texts", async () => {
    await deliver(h, message("/start")).expect(200);
    await deliver(h, message("Anna Müller")).expect(200);
    await eventually(() => texts(fake.calls).length === 4);
    const log = h.logLines.join("\n");
    expect(log).not.toContain(String(chatId));
    expect(log).not.toContain("Anna");
  });

  it("neither loses nor repeats a reply when the process dies between processing and sending", async () => {
    await h.stop();
    const dataDir = await mkdtemp(join(tmpdir(), "botschaft-channels-"));
    directories.push(dataDir);
    const first = await openTestStore("lowdb", { dataDir });
    const crashed = await createTestRuntime({ store: first, messengers: { telegramBase: fake.base }, hub: { sendReplies: false } });
    const update = message("/start");
    await deliver(crashed, update).expect(200);
    await crashed.settled();
    expect((await first.outbox.pending()).length).toBe(2);
    // The "crash": nothing was sent, the process goes away with the outbox on disk.
    await crashed.stop();
    await first.close();
    expect(fake.calls).toEqual([]);

    const second = await openTestStore("lowdb", { dataDir });
    h = await createTestRuntime({ store: second, messengers: { telegramBase: fake.base } });
    await eventually(() => texts(fake.calls).length === 2);
    // Telegram redelivers the update the crashed process had already acknowledged: it stays processed.
    await deliver(h, update).expect(200);
    await h.settled();
    await eventually(async () => (await second.outbox.pending()).length === 0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(texts(fake.calls)).toEqual(["Hallo! Ich bin der Service-Bot der Muster GmbH.", "Wie kann ich helfen?"]);
    await h.stop();
    await second.close();
    h = await createTestRuntime({ messengers: { telegramBase: fake.base } });
  });

  it("processes a delivery that was acknowledged but not processed before a crash, once", async () => {
    await h.stop();
    const dataDir = await mkdtemp(join(tmpdir(), "botschaft-channels-"));
    directories.push(dataDir);
    const first = await openTestStore("lowdb", { dataDir });
    const crashed = await createTestRuntime({ store: first, messengers: { telegramBase: fake.base }, hub: { reorderWindowMs: 60_000 } });
    await deliver(crashed, message("/start")).expect(200);
    expect((await first.inbox.pending()).length).toBe(1);
    await crashed.stop();
    await first.close();

    const second = await openTestStore("lowdb", { dataDir });
    h = await createTestRuntime({ store: second, messengers: { telegramBase: fake.base } });
    await eventually(() => texts(fake.calls).length === 2);
    await h.settled();
    expect(await second.inbox.pending()).toEqual([]);
    await h.stop();
    await second.close();
    h = await createTestRuntime({ messengers: { telegramBase: fake.base } });
  });

  it("registers the webhook with its secret, the commands in German and English, and the menu button", () => {
    const calls = telegramChannel({ webhookSecret: telegramSecret }).setup({
      webhookUrl: "https://bot.muster.example/channels/telegram/webhook",
      policyUrl: "https://muster.example/datenschutz",
      imprintUrl: "https://muster.example/impressum",
      customItems: [],
      language: "de",
    });
    expect(calls.map((call) => call.method)).toEqual(["setWebhook", "setMyCommands", "setMyCommands", "setMyCommands", "setChatMenuButton"]);
    expect(calls[0]?.body).toEqual({
      url: "https://bot.muster.example/channels/telegram/webhook",
      secret_token: telegramSecret,
      allowed_updates: ["message", "callback_query"],
      max_connections: 40,
    });
    const english = calls.find((call) => call.body.language_code === "en");
    expect(((english?.body.commands ?? []) as { command: string }[]).map((command) => command.command)).toEqual(["menu", "privacy", "imprint", "mydata", "stop"]);
  });

  const note = `Ich antworte nur im privaten Chat, damit Ihre Angaben nicht in der Gruppe stehen: https://t.me/${telegramBotUsername}`;

  it("answers in a group only when addressed, with one note linking a private chat, and starts no conversation", async () => {
    await deliver(h, groupMessage("Hallo zusammen, wer kommt morgen?")).expect(200);
    await deliver(h, groupMessage("/start@AnotherBot")).expect(200);
    await deliver(h, groupMessage("Anna Müller, 030 1234567", {}, "group")).expect(200);
    await h.settled();
    expect(fake.calls).toEqual([]);

    await deliver(h, groupMessage("/start")).expect(200);
    await eventually(() => texts(fake.calls).length === 1);
    await deliver(h, groupMessage(`@${telegramBotUsername} wann habt ihr geöffnet?`, { entities: [{ offset: 0, length: telegramBotUsername.length + 1, type: "mention" }] }, "group")).expect(200);
    await deliver(h, groupMessage(`/mydata@${telegramBotUsername}`)).expect(200);
    await deliver(h, groupMessage("Und am Samstag?", { reply_to_message: { message_id: 5, date: 1767225500, chat: { id: groupId, type: "supergroup", title: "Muster Team" }, from: { id: 123456, is_bot: true, first_name: "Muster", username: telegramBotUsername }, text: "…" } })).expect(200);
    await eventually(() => texts(fake.calls).length === 4);
    await h.settled();
    expect(texts(fake.calls)).toEqual([note, note, note, note]);
    expect(fake.calls.every((call) => call.body.chat_id === String(groupId))).toBe(true);

    for (const id of [groupId, memberId]) expect(await h.store.conversations.findByChannelUser("telegram", pseudonym(testKeys.pseudonym.current.key, "telegram", String(id)))).toBeUndefined();
    expect(await h.store.inbox.pending()).toEqual([]);
    const log = h.logLines.join("\n");
    expect(log).toContain("telegram supergroup message not addressed to the bot");
    for (const secret of [String(groupId), String(memberId), "Anna", "Bernd", "Muster Team"]) expect(log).not.toContain(secret);
  });

  it("answers a button pressed under a group message with the note too, and stops the button's progress indicator", async () => {
    await deliver(h, {
      update_id: ++nextUpdate,
      callback_query: {
        id: "cbq-group",
        from: { id: memberId, is_bot: false, first_name: "Bernd" },
        message: { message_id: 43, chat: { id: groupId, type: "supergroup", title: "Muster Team" }, date: 1767225610 },
        chat_instance: "-8123",
        data: "m:my-data",
      },
    }).expect(200);
    await eventually(() => fake.calls.length === 2);
    expect(fake.calls.map((call) => call.method)).toEqual(["answerCallbackQuery", "sendMessage"]);
    expect(texts(fake.calls)).toEqual([note]);
  });

  it("ignores service messages and edits silently, logging them at debug", async () => {
    const member = { id: memberId, is_bot: false, first_name: "Bernd" };
    const serviceMessages = [
      { new_chat_members: [member] },
      { left_chat_member: member },
      { pinned_message: { message_id: 40, date: 1767225500, chat: { id: chatId, type: "private" }, text: "Wichtig" } },
      { successful_payment: { currency: "EUR", total_amount: 500, invoice_payload: "order-1", telegram_payment_charge_id: "tg_1", provider_payment_charge_id: "pp_1" } },
      { message_auto_delete_timer_changed: { message_auto_delete_time: 86400 } },
      { write_access_allowed: { from_request: true } },
    ];
    for (const service of serviceMessages) await deliver(h, message("", service)).expect(200);
    for (const service of [{ new_chat_members: [member] }, { new_chat_title: "Muster Team 2" }, { group_chat_created: true }]) await deliver(h, groupMessage("", service, "group")).expect(200);
    const edited = message("Anna Müller");
    await deliver(h, { update_id: ++nextUpdate, edited_message: { ...edited.message, edit_date: 1767225700 } }).expect(200);
    await deliver(h, { update_id: ++nextUpdate, channel_post: { message_id: 9, date: 1767225600, chat: { id: -100777, type: "channel", title: "News" }, text: "Neu!" } }).expect(200);
    await h.settled();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.calls).toEqual([]);
    expect(await h.store.conversations.findByChannelUser("telegram", channelUser)).toBeUndefined();
    const ignored = h.logLines.map((line) => JSON.parse(line)).filter((line) => line.msg === "delivery ignored");
    expect(ignored.map((line) => [line.level, line.reason])).toEqual([
      [20, "telegram service message (new_chat_members)"],
      [20, "telegram service message (left_chat_member)"],
      [20, "telegram service message (pinned_message)"],
      [20, "telegram service message (successful_payment)"],
      [20, "telegram service message (message_auto_delete_timer_changed)"],
      [20, "telegram service message (write_access_allowed)"],
      [20, "telegram service message (new_chat_members)"],
      [20, "telegram service message (new_chat_title)"],
      [20, "telegram service message (group_chat_created)"],
      [20, "telegram update (edited_message)"],
      [20, "telegram update (channel_post)"],
    ]);
  });
});

describe("telegram parsing", () => {
  it("knows every service message type of the Bot API types it is built on", () => {
    const types = readFileSync(fileURLToPath(import.meta.resolve("@telegraf/types/message.d.ts")), "utf8");
    const serviceTypes = [...types.matchAll(/interface (\w+) extends ServiceMessage \{([\s\S]*?)\n {4}\}/g)].filter(([, name]) => name !== "CommonMessage");
    const fields = serviceTypes.flatMap(([, , body]) => [...(body ?? "").matchAll(/^\s+(\w+)\??:/gm)].map((match) => match[1]));
    expect(fields.length).toBeGreaterThan(40);
    expect(fields.filter((field) => !telegramServiceFields.has(field as string))).toEqual([]);
  });

  const channel = telegramChannel({ webhookSecret: telegramSecret });

  it("reads /constructor and other names of Object.prototype as text, not as commands", () => {
    for (const text of ["/constructor", "/toString", "/__proto__", "/valueOf"]) {
      expect(channel.parse(message(text)).map((delivery) => delivery.input)).toEqual([{ kind: "event", event: { type: "text", text } }]);
    }
  });
});

describe("telegram channel without its flow", () => {
  it("acknowledges and drops deliveries while the bot's flow is not published, and says why in the log", async () => {
    const fake = await startFakePlatform("telegram");
    const h = await createTestRuntime({ messengers: { telegramBase: fake.base, telegramFlow: "not-published" } });
    try {
      await deliver(h, message("/start")).expect(200);
      await h.settled();
      expect(await h.store.inbox.pending()).toEqual([]);
      expect(fake.calls).toEqual([]);
      expect(h.logLines.join("\n")).toContain("delivery dropped");
    } finally {
      await h.stop();
      await fake.close();
    }
  });
});
