/**
 * The requests desk beyond finding and erasing (docs/privacy.md#requests-desk): a messenger user
 * found by their user id, a correction through the chat's own correction (ledger entry, format
 * checked again, nothing personal in the audit), and the reminders before a deadline mailed to
 * the data protection officers through a real SMTP server, each once, on a controlled clock.
 */
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import request from "supertest";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { smtpMailer } from "../integrations/mail/smtp-mailer.ts";
import { createTestRuntime, eventually, type TestRuntime, telegramSecret } from "../testing/create-test-runtime.ts";
import { createFakeClock } from "../testing/fake-clock.ts";
import { type FakePlatform, startFakePlatform } from "../testing/fake-platform.ts";
import { contactFlow } from "../testing/contact-flow.ts";

const contactYaml = contactFlow();

const chatId = 424_242_424;
const runtimes: TestRuntime[] = [];
const platforms: FakePlatform[] = [];
afterEach(async () => {
  for (const runtime of runtimes.splice(0)) await runtime.close();
  for (const platform of platforms.splice(0)) await platform.close();
});

async function webChat(runtime: TestRuntime, name: string, phone: string, email: string) {
  const chat = await request(runtime.app).post("/api/v1/conversations").send({ flow: "contact" }).expect(201);
  const send = (body: object) => request(runtime.app).post(`/api/v1/conversations/${chat.body.id}/messages`).set("authorization", `Bearer ${chat.body.token}`).send(body).expect(200);
  await send({ choice: "accept" });
  await send({ text: name });
  await send({ text: phone });
  await send({ text: email });
  return { id: chat.body.id as string, token: chat.body.token as string, send };
}

let nextUpdate = 700_000_000;
async function telegramText(runtime: TestRuntime, telegram: FakePlatform, text: string, repliesAfter: number): Promise<void> {
  const updateId = ++nextUpdate;
  const from = { id: chatId, is_bot: false, first_name: "Erika" };
  const body = text.startsWith("c:")
    ? { update_id: updateId, callback_query: { id: `cbq-${updateId}`, from, message: { message_id: 1, chat: { id: chatId, type: "private" }, date: 1767225610 }, chat_instance: "-1", data: text } }
    : { update_id: updateId, message: { message_id: updateId, date: 1767225600, from, chat: { id: chatId, type: "private" }, text, ...(text.startsWith("/") ? { entities: [{ offset: 0, length: text.length, type: "bot_command" }] } : {}) } };
  await request(runtime.app).post("/channels/telegram/webhook").set("content-type", "application/json").set("x-telegram-bot-api-secret-token", telegramSecret).send(JSON.stringify(body)).expect(200);
  await eventually(() => telegram.calls.filter((call) => call.method === "sendMessage").length >= repliesAfter, 15_000);
}

describe("the requests desk: messenger ids and corrections", () => {
  it("finds a Telegram user by their user id and corrects a field there and on the web through the chat's own correction", async () => {
    const telegram = await startFakePlatform("telegram");
    platforms.push(telegram);
    const runtime = await createTestRuntime({ logLevel: "trace", flows: [{ id: "contact", yaml: contactYaml }], messengers: { telegramBase: telegram.base, telegramFlow: "contact" } });
    runtimes.push(runtime);
    await telegramText(runtime, telegram, "/start", 1);
    await telegramText(runtime, telegram, "c:accept", 2);
    await telegramText(runtime, telegram, "Erika Mustermann", 3);
    await telegramText(runtime, telegram, "0170 1234567", 4);
    await telegramText(runtime, telegram, "erika@example.org", 5);
    await runtime.settled();
    const web = await webChat(runtime, "Erika Mustermann", "+49 170 1234567", "erika@example.org");
    // The person corrects on the web herself: the same correction, recorded as the visitor's.
    await web.send({ menu: "my-data" });
    await web.send({ choice: "my-data:correct:name" });
    await web.send({ text: "Erika Musterfrau" });

    const dpo = await runtime.member(["dpo"], "dora@muster.example");
    const asDpo = (method: "get" | "post", path: string) => request(runtime.app)[method](path).set({ cookie: dpo.cookie, "x-csrf-token": dpo.csrf });
    const byId = await asDpo("post", "/api/v1/privacy/requests").send({ messenger: { channel: "telegram", id: String(chatId) } }).expect(201);
    expect(byId.body).toMatchObject({ kind: "messenger", conversations: [{ channel: "telegram", flow: "contact", fields: ["Name", "Telefonnummer", "E-Mail-Adresse"] }] });
    const telegramConversation = byId.body.conversations[0].id as string;
    await asDpo("post", "/api/v1/privacy/requests").send({ messenger: { channel: "telegram", id: "1" } }).expect(201);
    await asDpo("post", "/api/v1/privacy/requests").send({ messenger: { channel: "fax", id: "1" } }).expect(400);

    const byEmail = await asDpo("post", "/api/v1/privacy/requests").send({ email: "ERIKA@example.org" }).expect(201);
    expect(byEmail.body.conversations).toHaveLength(2);
    // A value that does not fit the field's format is refused, as in the chat.
    await asDpo("post", `/api/v1/privacy/requests/${byEmail.body.id}/correct`).send({ conversation: web.id, field: "phone", value: "keine Nummer" }).expect(400);
    await asDpo("post", `/api/v1/privacy/requests/${byEmail.body.id}/correct`).send({ conversation: "someone-else", field: "phone", value: "+49 30 1234567" }).expect(400);
    await asDpo("post", `/api/v1/privacy/requests/${byEmail.body.id}/correct`).send({ conversation: web.id, field: "newsletter", value: "ja" }).expect(409);
    for (const found of byEmail.body.conversations as { id: string }[]) {
      const corrected = await asDpo("post", `/api/v1/privacy/requests/${byEmail.body.id}/correct`).send({ conversation: found.id, field: "phone", value: "030 7654321" }).expect(200);
      expect(corrected.body.outcomes.at(-1)).toMatchObject({ outcome: "corrected" });
    }
    const editor = await runtime.member(["editor"], "eddi@muster.example");
    await request(runtime.app).post(`/api/v1/privacy/requests/${byEmail.body.id}/correct`).set({ cookie: editor.cookie, "x-csrf-token": editor.csrf }).send({ conversation: web.id, field: "phone", value: "030 1" }).expect(403);

    // The new value is what the conversation holds now, on both channels; the old number no longer finds the person, the new one does.
    const file = await asDpo("get", `/api/v1/privacy/requests/${byEmail.body.id}/export`).expect(200);
    const phones = (file.body.conversations as { channel: string; fields: { field: string; value: string }[] }[]).map((data) => `${data.channel} ${data.fields.find((field) => field.field === "phone")?.value}`);
    expect(phones.sort()).toEqual(["telegram 0307654321", "web 0307654321"]);
    expect(file.body.conversations.find((data: { channel: string }) => data.channel === "web").fields.find((field: { field: string }) => field.field === "name").value).toBe("Erika Musterfrau");
    expect((await asDpo("post", "/api/v1/privacy/requests").send({ phone: "+49 170 1234567" }).expect(201)).body.conversations).toEqual([]);
    expect((await asDpo("post", "/api/v1/privacy/requests").send({ phone: "+49 30 7654321" }).expect(201)).body.conversations.map((found: { id: string }) => found.id).sort()).toEqual([telegramConversation, web.id].sort());

    await runtime.ledger.settled();
    const entries = [];
    for await (const entry of runtime.ledger.entries()) entries.push(entry);
    const corrections = entries.filter((entry) => entry.type === "correction");
    const described = corrections.map((entry) => `${entry.reason} ${entry.channel} ${entry.request ?? "-"}`);
    expect(described[0]).toBe("visitor web -");
    expect(described.slice(1).sort()).toEqual([`request telegram ${byEmail.body.id}`, `request web ${byEmail.body.id}`]);
    expect(corrections.find((entry) => entry.channel === "telegram")?.person).toBe(runtime.ledger.personOf(telegramConversation));
    expect((await runtime.ledger.verify()).ok).toBe(true);
    const trail = await asDpo("get", "/api/v1/audit?action=privacy.request.correct").expect(200);
    expect(trail.body).toHaveLength(2);
    const everything = JSON.stringify([entries, trail.body]) + runtime.logLines.join("\n");
    for (const value of ["Erika", "7654321", "1234567", "erika@example.org"]) expect(everything).not.toContain(value);
  }, 60_000);
});

interface Received {
  to: string[];
  data: string;
}

describe("request reminders", () => {
  const received: Received[] = [];
  let server: SMTPServer;
  let port = 0;

  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => {
          received.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address), data: Buffer.concat(chunks).toString("utf8") });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    port = (server.server.address() as AddressInfo).port;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("mails the DPOs a week before the deadline and on its day, each once, in German and English, without anything about the person", async () => {
    const mailer = smtpMailer(`smtp://127.0.0.1:${port}`, "Botschaft <bot@muster.example>");
    const clock = createFakeClock({ at: "2026-03-02T09:00:00.000Z" });
    const runtime = await createTestRuntime({ logLevel: "silent", clock, flows: [{ id: "contact", yaml: contactYaml }], team: { mailer, publicUrl: "https://bot.muster.example" } });
    runtimes.push(runtime);
    await Promise.all([runtime.member(["dpo"], "dora@muster.example"), runtime.member(["admin"], "chefin@muster.example"), runtime.member(["editor"], "erika@muster.example")]);
    await webChat(runtime, "Erika Mustermann", "+49 170 1234567", "erika.m@example.org");
    const opened = await runtime.privacyDesk.open({ email: "erika.m@example.org" });
    const done = await runtime.privacyDesk.open({ email: "niemand@example.org" });
    await runtime.privacyDesk.erase(done.id);
    expect(opened.deadline).toBe("2026-04-02T09:00:00.000Z");

    expect(await runtime.remindPrivacyRequests()).toEqual([]);
    clock.set("2026-03-26T08:59:00.000Z");
    expect(await runtime.remindPrivacyRequests()).toEqual([]);
    clock.set("2026-03-26T09:00:00.000Z");
    expect(await runtime.remindPrivacyRequests()).toEqual([{ kind: "week", request: opened.id, deadline: opened.deadline }]);
    expect(await runtime.remindPrivacyRequests()).toEqual([]);
    // The team's invitations went through the same server; the reminders are those about a request.
    const reminders = () => received.filter((mail) => mail.data.includes("Datenschutzanfrage"));
    await eventually(() => reminders().length === 1);
    const week = reminders()[0];
    expect(week?.to).toEqual(["dora@muster.example"]);
    const weekText = (week?.data ?? "").replace(/=\r?\n/g, "");
    expect(weekText).toContain(opened.id);
    expect(weekText).toContain("02.04.2026");
    expect(weekText).toContain("2026-04-02");
    expect(weekText).toContain("https://bot.muster.example/editor/#requests");
    expect(weekText).toMatch(/endet in einer Woche/);
    expect(weekText).toMatch(/ends in a week/);

    clock.set("2026-04-01T23:59:00.000Z");
    expect(await runtime.remindPrivacyRequests()).toEqual([]);
    clock.set("2026-04-02T00:00:00.000Z");
    expect(await runtime.remindPrivacyRequests()).toEqual([{ kind: "due", request: opened.id, deadline: opened.deadline }]);
    clock.set("2026-04-05T00:00:00.000Z");
    expect(await runtime.remindPrivacyRequests()).toEqual([]);
    await eventually(() => reminders().length === 2);
    const dueText = (reminders()[1]?.data ?? "").replace(/=\r?\n/g, "");
    expect(dueText).toMatch(/endet heute/);
    expect(dueText).toMatch(/ends today/);
    for (const mail of reminders()) for (const value of ["Erika", "erika.m", "1234567", "niemand"]) expect(mail.data).not.toContain(value);
    expect((await runtime.privacyDesk.get(opened.id)).reminded).toEqual({ week: "2026-03-26T09:00:00.000Z", due: "2026-04-02T00:00:00.000Z" });

    mailer.close();
  }, 60_000);

  it("mails the administrators when there is no DPO account, and nothing without a mailer", async () => {
    const mailer = smtpMailer(`smtp://127.0.0.1:${port}`, "Botschaft <bot@muster.example>");
    const clock = createFakeClock({ at: "2026-03-02T09:00:00.000Z" });
    const runtime = await createTestRuntime({ logLevel: "silent", clock, flows: [{ id: "contact", yaml: contactYaml }], team: { mailer, publicUrl: "https://bot.muster.example" } });
    runtimes.push(runtime);
    await runtime.member(["admin"], "chefin@muster.example");
    const opened = await runtime.privacyDesk.open({ phone: "030 1234567" });
    clock.set("2026-04-02T10:00:00.000Z");
    expect(await runtime.remindPrivacyRequests()).toEqual([{ kind: "due", request: opened.id, deadline: opened.deadline }]);
    await eventually(() => received.some((mail) => mail.data.includes(opened.id)));
    expect(received.find((mail) => mail.data.includes(opened.id))?.to).toEqual(["chefin@muster.example"]);
    mailer.close();

    const quiet = await createTestRuntime({ logLevel: "silent", clock, flows: [{ id: "contact", yaml: contactYaml }] });
    runtimes.push(quiet);
    await quiet.privacyDesk.open({ phone: "030 1234567" });
    clock.advance(40 * 86_400_000);
    expect(await quiet.remindPrivacyRequests()).toEqual([]);
  }, 60_000);
});
