/**
 * Integration presets end to end: a visitor subscribes in a flow whose webhook step is a Brevo,
 * CleverReach or e-mail preset; the durable delivery reaches a fake provider over real HTTPS (or
 * a real SMTP server) in the provider's own request shape, with the key of the named secret, and
 * a provider that is down for a while gets it later, with the same idempotency key.
 */
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import request from "supertest";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createFakeClock } from "../../testing/fake-clock.ts";
import { createTestRuntime, type TestRuntime } from "../../testing/create-test-runtime.ts";
import { smtpPresetMailer } from "../mail/smtp-mailer.ts";
import { confineConnectionsToLoopback } from "../webhook/confine-connections-to-loopback.ts";
import { createTestCertificate, type TestCertificate } from "../webhook/create-test-certificate.ts";
import { deliverOverHttps } from "../webhook/deliver-webhook.ts";
import { type HttpsTestServer, startHttpsTestServer, type TestRoute } from "../webhook/start-https-test-server.ts";
import { type IntegrationOptions, sendWithIntegrations } from "./send-integrations.ts";

let certificate: TestCertificate;
let provider: HttpsTestServer;
const mails: { to: string[]; data: string }[] = [];
/** What the SMTP server answers to the next mails (a code and text, or taken). */
const smtpAnswers: { code: number; text: string }[] = [];
let smtp: SMTPServer;
let smtpPort = 0;
const runtimes: TestRuntime[] = [];

beforeAll(async () => {
  certificate = await createTestCertificate();
  provider = await startHttpsTestServer(certificate);
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const answer = smtpAnswers.shift();
        if (answer) return callback(Object.assign(new Error(answer.text), { responseCode: answer.code }));
        mails.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address), data: Buffer.concat(chunks).toString("utf8") });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", () => resolve()));
  smtpPort = (smtp.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await provider.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

beforeEach(() => {
  provider.reset();
  mails.length = 0;
  smtpAnswers.length = 0;
  confineConnectionsToLoopback();
});

afterEach(async () => {
  for (const runtime of runtimes.splice(0)) await runtime.close();
});

function newsletterFlow(step: string): string {
  return `flow: newsletter
title: Newsletter
language: de
privacy:
  controller: { name: Kaffeerösterei Nordlicht GmbH, address: "Speicherstadt 12, 20457 Hamburg", email: datenschutz@nordlicht.example }
  policyUrl: https://nordlicht.example/datenschutz
  imprintUrl: https://nordlicht.example/impressum
  retention: P30D
fields:
  first_name: { label: Vorname }
  email: { label: E-Mail-Adresse }
menu: [privacy, imprint, my-data, unsubscribe]
start: consent
nodes:
  consent:
    type: consent
    purpose: Newsletter per E-Mail
    covers: [first_name, email]
    text: Dürfen wir Vorname und E-Mail-Adresse für den Newsletter speichern und weitergeben?
    accept: ask-name
    decline: done
  ask-name:
    type: input
    text: Wie heißen Sie mit Vornamen?
    field: first_name
    next: ask-email
  ask-email:
    type: input
    text: Ihre E-Mail-Adresse?
    field: email
    format: email
    next: subscribe
  subscribe:
${step}
    sends: [first_name, email]
    next: thanks
  thanks:
    type: message
    text: Danke! Bitte bestätigen Sie die Anmeldung in der E-Mail, die wir Ihnen schicken.
    next: done
  done:
    type: end
`;
}

const brevoStep = `    type: webhook
    integration:
      preset: brevo
      secret: BREVO
      listIds: [12, 14]
      templateId: 7
      redirectUrl: https://nordlicht.example/newsletter/bestaetigt
    processor: { name: Sendinblue SAS (Brevo), country: FR }`;

const cleverReachStep = `    type: webhook
    integration:
      preset: cleverreach
      secret: CLEVERREACH
      groupId: 4711
      formId: 815
      attributes: { vorname: first_name }
    processor: { name: CleverReach GmbH & Co. KG, country: DE }`;

const emailStep = `    type: webhook
    integration:
      preset: email
      to: [vertrieb@nordlicht.example]
      subject: Neue Newsletter-Anmeldung
      replyTo: email
    processor: { name: Muster Mail GmbH, country: DE }`;

async function runtimeWith(step: string, options: Partial<IntegrationOptions> = {}): Promise<TestRuntime> {
  const https = { userAgent: "Botschaft-test/1", trustedCa: certificate.cert, allowHosts: [`localhost:${provider.port}`] };
  const send = sendWithIntegrations(deliverOverHttps(https), {
    secrets: { BREVO: "xkeysib-test-key", CLEVERREACH: "cr-token" },
    apiRoots: { brevo: `https://localhost:${provider.port}/brevo/v3`, cleverreach: `https://localhost:${provider.port}/cr/v3` },
    https,
    ...options,
  });
  const runtime = await createTestRuntime({
    logLevel: "silent",
    clock: createFakeClock({ at: "2026-11-22T10:00:00.000Z" }),
    flows: [{ id: "newsletter", yaml: newsletterFlow(step) }],
    delivery: send,
  });
  runtimes.push(runtime);
  return runtime;
}

async function subscribe(runtime: TestRuntime): Promise<string> {
  const started = await request(runtime.app).post("/api/v1/conversations").send({ flow: "newsletter" }).expect(201);
  const { id, token } = started.body as { id: string; token: string };
  let last: { messages: { text?: string }[] } = started.body;
  for (const body of [{ choice: "accept" }, { text: "Erika" }, { text: "erika@beispiel.de" }]) {
    last = (await request(runtime.app).post(`/api/v1/conversations/${id}/messages`).set("authorization", `Bearer ${token}`).send(body).expect(200)).body;
  }
  // The conversation goes on at once: the provider is not waited for.
  expect(last.messages.map((message) => message.text)).toContain("Danke! Bitte bestätigen Sie die Anmeldung in der E-Mail, die wir Ihnen schicken.");
  return id;
}

function answers(...statuses: number[]): TestRoute {
  return (response) => {
    const status = statuses.length > 1 ? (statuses.shift() as number) : (statuses[0] as number);
    response.writeHead(status, { "content-type": "application/json" }).end(status < 300 ? "{}" : '{"message":"no"}');
  };
}

describe("the Brevo preset", () => {
  it("creates the contact through Brevo's double opt-in endpoint with the api-key header, and retries while Brevo is down", async () => {
    const runtime = await runtimeWith(brevoStep);
    provider.route("/brevo/v3/contacts/doubleOptinConfirmation", answers(503, 201));
    await subscribe(runtime);
    await runtime.deliveryWorker.drain();
    expect(await runtime.store.deliveries.counts()).toEqual({ pending: 1, failed: 0 });
    runtime.clock.advance(5000);
    await runtime.deliveryWorker.drain();
    expect(await runtime.store.deliveries.counts()).toEqual({ pending: 0, failed: 0 });
    expect(provider.requests).toHaveLength(2);
    const [first, second] = provider.requests;
    expect(second?.method).toBe("POST");
    expect(second?.headers["api-key"]).toBe("xkeysib-test-key");
    expect(second?.headers["content-type"]).toBe("application/json");
    expect(second?.headers["x-botschaft-signature"]).toBeUndefined();
    expect(JSON.parse(second?.body ?? "")).toEqual({
      email: "erika@beispiel.de",
      attributes: { FIRST_NAME: "Erika" },
      includeListIds: [12, 14],
      templateId: 7,
      redirectionUrl: "https://nordlicht.example/newsletter/bestaetigt",
    });
    expect(second?.body).toBe(first?.body);
    expect(second?.headers["idempotency-key"]).toBe(first?.headers["idempotency-key"]);
  });

  it("fails a delivery whose secret is not configured, without calling Brevo, and lists it for the team as a Brevo delivery", async () => {
    const runtime = await runtimeWith(brevoStep, { secrets: {} });
    provider.route("/brevo/v3/contacts/doubleOptinConfirmation", answers(201));
    await subscribe(runtime);
    await runtime.deliveryWorker.drain();
    expect(provider.requests).toEqual([]);
    const [failed] = await runtime.deliveries.failed();
    expect(failed).toMatchObject({ kind: "brevo", host: "api.brevo.com", flow: "newsletter", node: "subscribe", lastError: "secret-missing" });
  });
});

describe("the CleverReach preset", () => {
  it("adds an inactive receiver to the group, then sends the form's double opt-in mail, with the bearer token; a retry takes 409 as already added", async () => {
    const runtime = await runtimeWith(cleverReachStep);
    provider.route("/cr/v3/groups.json/4711/receivers", answers(200, 409));
    provider.route("/cr/v3/forms.json/815/send/activate", answers(500, 200));
    await subscribe(runtime);
    await runtime.deliveryWorker.drain();
    expect(await runtime.store.deliveries.counts()).toEqual({ pending: 1, failed: 0 });
    runtime.clock.advance(5000);
    await runtime.deliveryWorker.drain();
    expect(await runtime.store.deliveries.counts()).toEqual({ pending: 0, failed: 0 });
    expect(provider.requests.map((received) => received.path)).toEqual([
      "/cr/v3/groups.json/4711/receivers",
      "/cr/v3/forms.json/815/send/activate",
      "/cr/v3/groups.json/4711/receivers",
      "/cr/v3/forms.json/815/send/activate",
    ]);
    for (const received of provider.requests) expect(received.headers.authorization).toBe("Bearer cr-token");
    const receiver = JSON.parse(provider.requests[0]?.body ?? "");
    expect(receiver).toMatchObject({ email: "erika@beispiel.de", activated: 0, source: "Botschaft chatbot", global_attributes: { vorname: "Erika" } });
    expect(typeof receiver.registered).toBe("number");
    expect(JSON.parse(provider.requests[3]?.body ?? "")).toEqual({ email: "erika@beispiel.de", doidata: { referer: "Botschaft chatbot", user_agent: "Botschaft" } });
  });
});

describe("the e-mail preset", () => {
  it("mails the fields with their labels to the team, Reply-To the visitor, and tries again after a temporary SMTP refusal", async () => {
    const mailer = smtpPresetMailer(`smtp://127.0.0.1:${smtpPort}`, "Chatbot <bot@nordlicht.example>");
    const runtime = await runtimeWith(emailStep, { sendMail: (mail) => mailer.send(mail) });
    smtpAnswers.push({ code: 451, text: "try again later" });
    await subscribe(runtime);
    await runtime.deliveryWorker.drain();
    expect(mails).toEqual([]);
    expect(await runtime.store.deliveries.counts()).toEqual({ pending: 1, failed: 0 });
    runtime.clock.advance(5000);
    await runtime.deliveryWorker.drain();
    expect(await runtime.store.deliveries.counts()).toEqual({ pending: 0, failed: 0 });
    mailer.close();
    expect(mails).toHaveLength(1);
    const mail = mails[0];
    expect(mail?.to).toEqual(["vertrieb@nordlicht.example"]);
    const data = (mail?.data ?? "").replace(/=\r?\n/g, "");
    expect(data).toContain("Subject: Neue Newsletter-Anmeldung");
    expect(data).toMatch(/Reply-To: erika@beispiel\.de/);
    expect(data).toContain("Vorname: Erika");
    expect(data).toContain("E-Mail-Adresse: erika@beispiel.de");
  });

  it("fails at once on a final SMTP refusal, shown to the team", async () => {
    const mailer = smtpPresetMailer(`smtp://127.0.0.1:${smtpPort}`, "Chatbot <bot@nordlicht.example>");
    const runtime = await runtimeWith(emailStep, { sendMail: (mail) => mailer.send(mail) });
    smtpAnswers.push({ code: 550, text: "no such mailbox" });
    await subscribe(runtime);
    await runtime.deliveryWorker.drain();
    mailer.close();
    const [failed] = await runtime.deliveries.failed();
    expect(failed).toMatchObject({ kind: "email", host: "nordlicht.example", lastError: "smtp 550" });
  });
});
