import { createHmac } from "node:crypto";
import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";
import type { DeliveryAttempt, DeliveryOutcome } from "./delivery-worker.ts";
import { createFakeClock } from "../../testing/fake-clock.ts";
import { createTestRuntime, durableCallbackFlow, type TestRuntime, testAdminToken } from "../../testing/create-test-runtime.ts";

const runtimes: TestRuntime[] = [];
afterEach(async () => {
  for (const runtime of runtimes.splice(0)) await runtime.close();
});

/** The durable example without its processor's notices: these tests are about the step's own delivery (recipient-notices.test.ts covers the notices). */
const durableWithoutNotices = durableCallbackFlow.replace(/\n +notices: .*/, "");

async function runtimeWith(delivery?: (attempt: DeliveryAttempt) => DeliveryOutcome | Promise<DeliveryOutcome>): Promise<TestRuntime> {
  const runtime = await createTestRuntime({
    clock: createFakeClock({ at: "2026-11-22T10:00:00.000Z" }),
    flows: [{ id: "callback-durable", yaml: durableWithoutNotices }],
    ...(delivery ? { delivery } : {}),
  });
  runtimes.push(runtime);
  return runtime;
}

/** A visitor asks for a call back: the conversation's id and token and the last reply. */
async function lead(runtime: TestRuntime, name: string): Promise<{ id: string; token: string; last: { messages: { text?: string }[]; status: string } }> {
  const started = await request(runtime.app).post("/api/v1/conversations").send({ flow: "callback-durable" }).expect(201);
  const { id, token } = started.body as { id: string; token: string };
  let last: { messages: { text?: string }[]; status: string } = started.body;
  for (const body of [{ choice: "Rückruf anfordern" }, { choice: "accept" }, { text: name }, { text: "030 123456" }]) {
    last = (await request(runtime.app).post(`/api/v1/conversations/${id}/messages`).set("authorization", `Bearer ${token}`).send(body).expect(200)).body;
  }
  return { id, token, last };
}

describe("durable deliveries of a webhook step", () => {
  it("tests a flow without notices", () => {
    expect(durableCallbackFlow).toContain("notices:");
    expect(durableWithoutNotices).not.toContain("notices");
  });

  it("goes on at once and delivers the lead with an idempotency key and a signature the secret verifies", async () => {
    const runtime = await runtimeWith();
    const { last } = await lead(runtime, "Max Muster");
    expect(last.messages.map((message) => message.text)).toContain("Danke, Max Muster! Wir rufen Sie zurück.");
    expect(runtime.webhookCalls).toEqual([]);
    expect(await runtime.store.deliveries.counts()).toEqual({ pending: 1, failed: 0 });
    expect(await runtime.deliveryWorker.drain()).toBe(1);
    const [attempt] = runtime.deliveryAttempts;
    expect(JSON.parse(attempt?.payload ?? "")).toEqual({ name: "Max Muster", phone: "030123456" });
    expect(attempt?.url).toBe("https://crm.muster.example/api/callbacks");
    const secret = (await request(runtime.app).get("/api/v1/admin/delivery-secret").set("authorization", `Bearer ${testAdminToken}`).expect(200)).body.secret as string;
    expect(attempt?.headers["x-botschaft-signature"]).toBe(`sha256=${createHmac("sha256", secret).update(attempt?.payload ?? "").digest("hex")}`);
    expect(attempt?.headers["idempotency-key"]).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(await runtime.store.deliveries.counts()).toEqual({ pending: 0, failed: 0 });
  });

  it("retries within 5 s, at most once a minute in the first hour, then as configured, with the same key, until the CRM is back", async () => {
    let up = false;
    const runtime = await runtimeWith(() => (up ? { ok: true } : { ok: false, retry: true, error: "http-status 503" }));
    await lead(runtime, "Max Muster");
    const times: number[] = [];
    const start = runtime.clock().getTime();
    // Two hours of a dead CRM, looked at every second.
    for (let second = 0; second <= 2 * 3600; second++) {
      const before = runtime.deliveryAttempts.length;
      await runtime.deliveryWorker.drain();
      if (runtime.deliveryAttempts.length > before) times.push(runtime.clock().getTime() - start);
      runtime.clock.advance(1000);
    }
    const pauses = times.slice(1).map((time, index) => time - (times[index] ?? 0));
    expect(times[0]).toBe(0);
    expect(pauses[0]).toBeLessThanOrEqual(5000);
    const firstHour = pauses.filter((_, index) => (times[index + 1] ?? 0) < 3_600_000);
    expect(Math.max(...firstHour)).toBe(60_000);
    expect(firstHour.length).toBeGreaterThan(55);
    expect(Math.max(...pauses)).toBeLessThanOrEqual(15 * 60_000);
    expect(Math.max(...pauses)).toBeGreaterThan(60_000);
    expect(new Set(runtime.deliveryAttempts.map((attempt) => attempt.headers["idempotency-key"])).size).toBe(1);
    up = true;
    runtime.clock.advance(15 * 60_000);
    await runtime.deliveryWorker.drain();
    expect(await runtime.store.deliveries.counts()).toEqual({ pending: 0, failed: 0 });
  });

  it("waits as long as a 429's Retry-After asks", async () => {
    const outcomes: DeliveryOutcome[] = [{ ok: false, retry: true, error: "http-status 429", retryAfterMs: 120_000 }, { ok: true }];
    const runtime = await runtimeWith(() => outcomes.shift() ?? { ok: true });
    await lead(runtime, "Max Muster");
    await runtime.deliveryWorker.drain();
    runtime.clock.advance(119_000);
    expect(await runtime.deliveryWorker.drain()).toBe(0);
    runtime.clock.advance(1000);
    expect(await runtime.deliveryWorker.drain()).toBe(1);
    expect(await runtime.store.deliveries.counts()).toEqual({ pending: 0, failed: 0 });
  });

  it("gives up after 24 hours, lists the failure for editors and the DPO without the lead, and sends it again on retry", async () => {
    let up = false;
    const runtime = await runtimeWith(() => (up ? { ok: true } : { ok: false, retry: true, error: "timeout" }));
    await lead(runtime, "Max Muster");
    for (let minute = 0; minute <= 24 * 60 + 15; minute++) {
      await runtime.deliveryWorker.drain();
      runtime.clock.advance(60_000);
    }
    expect(await runtime.store.deliveries.counts()).toEqual({ pending: 0, failed: 1 });
    const editor = await runtime.member(["editor"]);
    const listed = await request(runtime.app).get("/api/v1/admin/deliveries").set("cookie", editor.cookie).expect(200);
    expect(listed.body).toMatchObject({ pending: 0, failed: 1, failedDeliveries: [{ kind: "webhook", host: "crm.muster.example", flow: "callback-durable", node: "send-crm", lastError: "timeout" }] });
    expect(JSON.stringify(listed.body)).not.toMatch(/Max Muster|030123456/);
    const dpo = await runtime.member(["dpo"]);
    await request(runtime.app).get("/api/v1/admin/deliveries").set("cookie", dpo.cookie).expect(200);
    const agent = await runtime.member(["agent"]);
    await request(runtime.app).get("/api/v1/admin/deliveries").set("cookie", agent.cookie).expect(403);
    const id = listed.body.failedDeliveries[0].id as string;
    up = true;
    await request(runtime.app).post(`/api/v1/admin/deliveries/${id}/retry`).set("cookie", dpo.cookie).set("x-csrf-token", dpo.csrf).expect(204);
    await request(runtime.app).post(`/api/v1/admin/deliveries/${id}/retry`).set("cookie", dpo.cookie).set("x-csrf-token", dpo.csrf).expect(404);
    await runtime.deliveryWorker.drain();
    expect(await runtime.store.deliveries.counts()).toEqual({ pending: 0, failed: 0 });
    expect(new Set(runtime.deliveryAttempts.map((attempt) => attempt.headers["idempotency-key"]))).toEqual(new Set([id]));
    const audit = await runtime.audit.list({ action: "delivery.retry" });
    expect(audit).toMatchObject([{ actor: dpo.email, target: id, details: { kind: "webhook", host: "crm.muster.example" } }]);
  });

  it("fails at once on an answer that retrying cannot change", async () => {
    const runtime = await runtimeWith(() => ({ ok: false, retry: false, error: "blocked-address" }));
    await lead(runtime, "Max Muster");
    await runtime.deliveryWorker.drain();
    expect(await runtime.store.deliveries.failed(10)).toMatchObject([{ attempts: 1, lastError: "blocked-address" }]);
  });

  it("cancels a conversation's pending deliveries when it is erased", async () => {
    const runtime = await runtimeWith(() => ({ ok: false, retry: true, error: "network" }));
    const { id, token } = await lead(runtime, "Max Muster");
    await runtime.deliveryWorker.drain();
    await request(runtime.app).delete(`/api/v1/conversations/${id}`).set("authorization", `Bearer ${token}`).expect(204);
    expect(await runtime.store.deliveries.counts()).toEqual({ pending: 0, failed: 0 });
    runtime.clock.advance(60_000);
    expect(await runtime.deliveryWorker.drain()).toBe(0);
  });

  it("drops a claimed delivery whose conversation was erased before its attempt", async () => {
    const runtime = await runtimeWith();
    const { id, token } = await lead(runtime, "Max Muster");
    const [record] = await runtime.store.deliveries.claimDue("elsewhere", runtime.clock().toISOString(), runtime.clock().toISOString(), 1);
    // The conversation's key goes, but the delivery row comes back (a copy restored from a backup, say).
    await request(runtime.app).delete(`/api/v1/conversations/${id}`).set("authorization", `Bearer ${token}`).expect(204);
    if (record) await runtime.store.deliveries.add([record]);
    expect(await runtime.store.deliveries.counts()).toEqual({ pending: 1, failed: 0 });
    await runtime.deliveryWorker.drain();
    expect(runtime.deliveryAttempts).toEqual([]);
    expect(await runtime.store.deliveries.counts()).toEqual({ pending: 0, failed: 0 });
  });
});

describe("enqueue, for other features", () => {
  it("sends a delivery that survives its conversation's erasure, and cancels one that does not", async () => {
    const runtime = await runtimeWith();
    const { id, token } = await lead(runtime, "Max Muster");
    await runtime.deliveryWorker.drain();
    const notice = await runtime.deliveries.enqueue({ kind: "recipient-notice", url: "https://crm.muster.example/gdpr", body: { erased: "a1b2" }, survivesErasure: true, conversationId: id });
    await runtime.deliveries.enqueue({ kind: "recipient-notice", url: "https://crm.muster.example/gdpr", body: { corrected: "a1b2" }, conversationId: id });
    expect((await runtime.store.deliveries.get(notice))?.conversationId).toBeUndefined();
    await request(runtime.app).delete(`/api/v1/conversations/${id}`).set("authorization", `Bearer ${token}`).expect(204);
    await runtime.deliveryWorker.drain();
    expect(runtime.deliveryAttempts.slice(1).map((attempt) => JSON.parse(attempt.payload))).toEqual([{ erased: "a1b2" }]);
    await expect(runtime.deliveries.enqueue({ kind: "recipient-notice", url: "https://crm.muster.example/gdpr", body: {}, conversationId: id })).rejects.toMatchObject({ code: "not-found" });
    await expect(runtime.deliveries.enqueue({ kind: "recipient-notice", url: "http://crm.muster.example/gdpr", body: {} })).rejects.toMatchObject({ code: "bad-request" });
  });
});
