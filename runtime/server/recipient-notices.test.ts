/**
 * Recipients told (docs/privacy.md#recipients-told): a fake processor over real HTTPS receives
 * the erasure notice after an unsubscribe, a DELETE and a desk erasure, a correction notice after
 * a correction in the chat and through the desk, a withdrawal notice — each signed with the
 * installation's secret, naming the person only by the Idempotency-Key the data went with — and
 * the chat's confirmation says so in German and English. A processor that is down gets the
 * notice once it is back, once, and meanwhile the DPO sees it pending.
 */
import { createHmac } from "node:crypto";
import request from "supertest";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestCertificate, type TestCertificate } from "../integrations/webhook/create-test-certificate.ts";
import { deliverOverHttps } from "../integrations/webhook/deliver-webhook.ts";
import { type HttpsTestServer, type RecordedRequest, startHttpsTestServer } from "../integrations/webhook/start-https-test-server.ts";
import { createFakeClock } from "../testing/fake-clock.ts";
import { createTestRuntime, referenceFlow, type TestRuntime, testAdminToken } from "../testing/create-test-runtime.ts";

let certificate: TestCertificate;
let processor: HttpsTestServer;
/** What the fake CRM answers on its notices address. */
let answer: () => number;

beforeAll(async () => {
  certificate = await createTestCertificate();
  processor = await startHttpsTestServer(certificate);
});

afterAll(async () => {
  await processor.close();
});

const runtimes: TestRuntime[] = [];
beforeEach(() => {
  processor.reset();
  answer = () => 200;
  processor.route("/gdpr", (response) => response.writeHead(answer()).end());
});
afterEach(async () => {
  for (const runtime of runtimes.splice(0)) await runtime.close();
});

const englishFlow = (yaml: string) =>
  yaml
    .replace("language: de", "language: en")
    .replaceAll("Rückruf anfordern", "Request a call back")
    .replace("Rückruf zu Ihrem Anliegen", "Call back about your request");

async function runtimeFor(language: "de" | "en" = "de"): Promise<TestRuntime> {
  const yaml = referenceFlow.replace("https://crm.muster.example/api/gdpr", `https://localhost:${processor.port}/gdpr`);
  const runtime = await createTestRuntime({
    clock: createFakeClock({ at: "2026-11-22T10:00:00.000Z" }),
    flows: [{ id: "callback-request", yaml: language === "de" ? yaml : englishFlow(yaml) }],
    delivery: deliverOverHttps({ userAgent: "Botschaft-Webhook/1", trustedCa: certificate.cert, allowHosts: [`localhost:${processor.port}`] }),
    webhookAllowHosts: [`localhost:${processor.port}`],
  });
  runtimes.push(runtime);
  return runtime;
}

/** Accepts the consent and leaves name and phone, which the flow's CRM step sends; returns the chat and the key the CRM got. */
async function lead(runtime: TestRuntime, language: "de" | "en" = "de") {
  const started = await request(runtime.app).post("/api/v1/conversations").send({ flow: "callback-request" }).expect(201);
  const { id, token } = started.body as { id: string; token: string };
  const send = async (body: object) =>
    (await request(runtime.app).post(`/api/v1/conversations/${id}/messages`).set("authorization", `Bearer ${token}`).send(body).expect(200)).body as {
      messages: { type: string; text?: string }[];
      status: string;
    };
  await send({ choice: language === "de" ? "Rückruf anfordern" : "Request a call back" });
  await send({ choice: "accept" });
  await send({ text: "Erika Mustermann" });
  await send({ text: "+49 170 1234567" });
  const key = runtime.webhookCalls.at(-1)?.headers?.["idempotency-key"];
  expect(key).toMatch(/^[A-Za-z0-9_-]{22}$/);
  return { id, token, send, key: key as string };
}

async function secretOf(runtime: TestRuntime): Promise<string> {
  return (await request(runtime.app).get("/api/v1/admin/delivery-secret").set("authorization", `Bearer ${testAdminToken}`).expect(200)).body.secret as string;
}

function notices(): RecordedRequest[] {
  return processor.requests.filter((item) => item.path === "/gdpr");
}

function expectSigned(notice: RecordedRequest | undefined, secret: string): void {
  expect(notice?.headers["x-botschaft-signature"]).toBe(`sha256=${createHmac("sha256", secret).update(notice?.body ?? "").digest("hex")}`);
  expect(notice?.headers["content-type"]).toBe("application/json");
  expect(notice?.headers["idempotency-key"]).toMatch(/^[A-Za-z0-9_-]{22}$/);
}

const texts = (reply: { messages: { type: string; text?: string }[] }) => reply.messages.filter((message) => message.type === "text").map((message) => message.text);

describe("recipients told", () => {
  it("asks the processor to erase after an unsubscribe: a signed notice naming the delivery key, no values; the chat says so", async () => {
    const runtime = await runtimeFor();
    const chat = await lead(runtime);
    const bye = await chat.send({ menu: "unsubscribe" });
    expect(bye.status).toBe("erased");
    expect(texts(bye)).toEqual(["Sie sind abgemeldet. Alle über Sie gespeicherten Daten wurden gelöscht.", "Muster CRM GmbH wurde gebeten, Ihre Daten ebenfalls zu löschen."]);
    expect(bye.messages.at(-1)).toEqual({ type: "status", status: "erased" });
    expect(await runtime.store.conversations.get(chat.id)).toBeUndefined();

    expect(await runtime.deliveryWorker.drain()).toBe(1);
    const [notice] = notices();
    expectSigned(notice, await secretOf(runtime));
    const body = JSON.parse(notice?.body ?? "");
    expect(body).toEqual({
      type: "erasure",
      processor: "Muster CRM GmbH",
      subject: { deliveries: [chat.key] },
      fields: ["name", "phone"],
      flow: "callback-request",
      time: "2026-11-22T10:00:00.000Z",
    });
    for (const value of ["Erika", "1234567", chat.id]) expect(notice?.body).not.toContain(value);
    expect(await runtime.store.deliveries.counts()).toEqual({ pending: 0, failed: 0 });
    await runtime.ledger.settled();
    const entries = [];
    for await (const entry of runtime.ledger.entries()) entries.push(entry);
    expect(entries.filter((entry) => entry.type === "notice")).toMatchObject([{ reason: "erasure: Muster CRM GmbH", person: runtime.ledger.personOf(chat.id) }]);
  });

  it("says it in English for an English flow", async () => {
    const runtime = await runtimeFor("en");
    const chat = await lead(runtime, "en");
    const bye = await chat.send({ menu: "unsubscribe" });
    expect(texts(bye)).toEqual(["You are unsubscribed. Everything stored about you has been deleted.", "Muster CRM GmbH has been asked to delete your data too."]);
    expect(await runtime.deliveryWorker.drain()).toBe(1);
    expect(JSON.parse(notices()[0]?.body ?? "")).toMatchObject({ type: "erasure" });
  });

  it("tells the processor the corrected value after a correction in the chat, and says so", async () => {
    const runtime = await runtimeFor();
    const chat = await lead(runtime);
    await chat.send({ menu: "my-data" });
    await chat.send({ choice: "my-data:correct:phone" });
    const corrected = await chat.send({ text: "030 7654321" });
    expect(texts(corrected).slice(0, 2)).toEqual(["„Telefonnummer“ wurde korrigiert.", "Muster CRM GmbH wurde über die Korrektur informiert."]);
    expect(await runtime.deliveryWorker.drain()).toBe(1);
    const [notice] = notices();
    expectSigned(notice, await secretOf(runtime));
    expect(JSON.parse(notice?.body ?? "")).toEqual({
      type: "correction",
      processor: "Muster CRM GmbH",
      subject: { deliveries: [chat.key] },
      fields: ["phone"],
      values: { phone: "0307654321" },
      flow: "callback-request",
      time: "2026-11-22T10:00:00.000Z",
    });
    // Only the corrected value travels: not the name, not the old number.
    for (const value of ["Erika", "1234567"]) expect(notice?.body).not.toContain(value);
  });

  it("asks the processor to erase what a withdrawn consent covered", async () => {
    const runtime = await runtimeFor();
    const chat = await lead(runtime);
    await chat.send({ menu: "my-data" });
    const withdrawn = await chat.send({ choice: "my-data:withdraw:consent-callback" });
    expect(texts(withdrawn)).toContain("Muster CRM GmbH wurde gebeten, diese Daten ebenfalls zu löschen.");
    expect(await runtime.deliveryWorker.drain()).toBe(1);
    expect(JSON.parse(notices()[0]?.body ?? "")).toMatchObject({ type: "withdrawal", purpose: "Rückruf zu Ihrem Anliegen", fields: ["name", "phone"], subject: { deliveries: [chat.key] } });
    expect(notices()[0]?.body).not.toContain("Erika");
  });

  it("says nothing about processors when none received personal data", async () => {
    const runtime = await runtimeFor();
    const started = await request(runtime.app).post("/api/v1/conversations").send({ flow: "callback-request" }).expect(201);
    const bye = await request(runtime.app).post(`/api/v1/conversations/${started.body.id}/messages`).set("authorization", `Bearer ${started.body.token}`).send({ menu: "unsubscribe" }).expect(200);
    expect(texts(bye.body)).toEqual(["Sie sind abgemeldet. Alle über Sie gespeicherten Daten wurden gelöscht."]);
    expect(await runtime.deliveryWorker.drain()).toBe(0);
  });

  it("tells the processor after DELETE /api/v1/conversations/{id} and after a desk erasure and correction", async () => {
    const runtime = await runtimeFor();
    const first = await lead(runtime);
    await request(runtime.app).delete(`/api/v1/conversations/${first.id}`).set("authorization", `Bearer ${first.token}`).expect(204);
    expect(await runtime.deliveryWorker.drain()).toBe(1);
    expect(JSON.parse(notices()[0]?.body ?? "")).toMatchObject({ type: "erasure", subject: { deliveries: [first.key] } });

    const second = await lead(runtime);
    const dpo = await runtime.member(["dpo"], "dora@muster.example");
    const desk = (method: "post", path: string, body: object) =>
      request(runtime.app)[method](`/api/v1/privacy${path}`).set({ cookie: dpo.cookie, "x-csrf-token": dpo.csrf }).send(body);
    const opened = await desk("post", "/requests", { phone: "0170 1234567" }).expect(201);
    expect(opened.body.conversations.map((conversation: { id: string }) => conversation.id)).toEqual([second.id]);
    await desk("post", `/requests/${opened.body.id}/correct`, { conversation: second.id, field: "name", value: "Erika Musterfrau" }).expect(200);
    expect(await runtime.deliveryWorker.drain()).toBe(1);
    await desk("post", `/requests/${opened.body.id}/erase`, {}).expect(200);
    expect(await runtime.deliveryWorker.drain()).toBe(1);
    expect(notices().slice(1).map((notice) => JSON.parse(notice.body))).toEqual([
      expect.objectContaining({ type: "correction", fields: ["name"], values: { name: "Erika Musterfrau" }, subject: { deliveries: [second.key] } }),
      expect.objectContaining({ type: "erasure", fields: ["name", "phone"], subject: { deliveries: [second.key] } }),
    ]);
    const request_ = await request(runtime.app).get(`/api/v1/privacy/requests/${opened.body.id}`).set("cookie", dpo.cookie).expect(200);
    expect(request_.body.outcomes.map((outcome: { outcome: string }) => outcome.outcome)).toContain("processors asked to erase: Muster CRM GmbH");
  });

  it("retries a processor that is down, shows the notice to the DPO meanwhile, and delivers it once when the processor is back", async () => {
    const runtime = await runtimeFor();
    answer = () => 503;
    const chat = await lead(runtime);
    await chat.send({ menu: "unsubscribe" });
    await runtime.deliveryWorker.drain();
    runtime.clock.advance(5000);
    await runtime.deliveryWorker.drain();
    expect(notices().length).toBe(2);
    const dpo = await runtime.member(["dpo"], "dora@muster.example");
    const listed = await request(runtime.app).get("/api/v1/admin/deliveries").set("cookie", dpo.cookie).expect(200);
    expect(listed.body).toMatchObject({ pending: 1, failed: 0, pendingDeliveries: [{ kind: "notice", host: `localhost:${processor.port}`, flow: "callback-request", attempts: 2, lastError: "http-status 503" }] });
    expect(JSON.stringify(listed.body)).not.toMatch(/Erika|1234567/);

    answer = () => 200;
    runtime.clock.advance(60_000);
    expect(await runtime.deliveryWorker.drain()).toBe(1);
    runtime.clock.advance(3_600_000);
    expect(await runtime.deliveryWorker.drain()).toBe(0);
    const keys = notices().map((notice) => notice.headers["idempotency-key"]);
    expect(new Set(keys).size).toBe(1);
    expect(notices()).toHaveLength(3);
    expect(await runtime.store.deliveries.counts()).toEqual({ pending: 0, failed: 0 });
  });
});
