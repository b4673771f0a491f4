/** Invitations by e-mail, through nodemailer to a real SMTP server (`smtp-server`) started in the test. */
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestRuntime } from "../../testing/create-test-runtime.ts";
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
