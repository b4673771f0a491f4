/** Invitations by e-mail, through nodemailer to a real SMTP server (`smtp-server`) started in the test. */
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestRuntime } from "../../testing/create-test-runtime.ts";
import { createFakeClock } from "../../testing/fake-clock.ts";
import { helpdeskFlow } from "../../testing/live-chat-fixtures.ts";
import { smtpMailer } from "./smtp-mailer.ts";

interface Received {
  from: string;
  to: string[];
  data: string;
}

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
        received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "", to: session.envelope.rcptTo.map((rcpt) => rcpt.address), data: Buffer.concat(chunks).toString("utf8") });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  port = (server.server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("invitations by e-mail", () => {
  it("send the one-time link to the invited address, in German and English", async () => {
    const mailer = smtpMailer(`smtp://127.0.0.1:${port}`, "Botschaft <bot@muster.example>");
    const runtime = await createTestRuntime({ logLevel: "silent", team: { mailer, publicUrl: "https://bot.muster.example" } });
    const link = await runtime.accounts.invite("erika@muster.example", ["editor"], { actor: "chefin@muster.example" });
    expect(link.mailed).toBe(true);
    const mail = received.at(-1);
    expect(mail?.from).toBe("bot@muster.example");
    expect(mail?.to).toEqual(["erika@muster.example"]);
    const decoded = (mail?.data ?? "").replace(/=\r?\n/g, "");
    expect(decoded).toContain(link.url);
    expect(decoded).toMatch(/Einladung zu Botschaft/);
    expect(decoded).toMatch(/Choose your password/);
    await runtime.close();
    mailer.close();
  });
});

describe("live chats nobody takes", () => {
  it("are mailed once to every active agent and admin, with the flow and the waiting time and nothing the visitor wrote", async () => {
    const mailer = smtpMailer(`smtp://127.0.0.1:${port}`, "Botschaft <bot@muster.example>");
    const runtime = await createTestRuntime({
      logLevel: "silent",
      flows: [{ id: "helpdesk", yaml: helpdeskFlow }],
      clock: createFakeClock({ at: "2026-03-02T09:00:00.000Z" }),
      team: { mailer, publicUrl: "https://bot.muster.example" },
      inboxNotifyAfterMs: 5 * 60_000,
    });
    await Promise.all([runtime.member(["agent"], "anna@muster.example"), runtime.member(["admin"], "chefin@muster.example"), runtime.member(["editor"], "erika@muster.example")]);
    const started = await request(runtime.app).post("/api/v1/conversations").send({ flow: "helpdesk" }).expect(201);
    const visitor = { authorization: `Bearer ${started.body.token as string}` };
    await request(runtime.app).post(`/api/v1/conversations/${started.body.id as string}/messages`).set(visitor).send({ choice: "rechnung" }).expect(200);
    await request(runtime.app).post(`/api/v1/conversations/${started.body.id as string}/messages`).set(visitor).send({ text: "Meine Kundennummer ist 4711" }).expect(200);
    const before = received.length;
    runtime.clock.advance(4 * 60_000);
    await runtime.inbox.sweep();
    expect(received.length).toBe(before);
    runtime.clock.advance(60_000);
    await runtime.inbox.sweep();
    await runtime.inbox.sweep();
    const mails = received.slice(before);
    expect(mails.map((mail) => mail.to[0]).sort()).toEqual(["anna@muster.example", "chefin@muster.example"]);
    const decoded = (mails[0]?.data ?? "").replace(/=\r?\n/g, "");
    expect(decoded).toContain("https://bot.muster.example/editor/");
    expect(decoded).toContain("helpdesk");
    expect(decoded).toMatch(/seit 5 Minuten/);
    expect(decoded).not.toContain("4711");
    await runtime.close();
    mailer.close();
  });
});
