import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";
import type { AnalyticsCount, AnalyticsStore } from "../../stores/ports/analytics.ts";
import { createFakeClock } from "../../testing/fake-clock.ts";
import { Analytics } from "./analytics.ts";
import { createTestRuntime, type TestRuntime, testAdminToken } from "../../testing/create-test-runtime.ts";

const runtimes: TestRuntime[] = [];
afterEach(async () => {
  for (const runtime of runtimes.splice(0)) await runtime.close();
});

const purpose = "Rückruf zu Ihrem Anliegen";

/** The scripted paths through the reference flow: what the visitor sends after the start. */
const paths = {
  // Leaves name and number: the lead goes to the CRM and the flow ends.
  lead: [{ choice: "Rückruf anfordern" }, { choice: "accept" }, { text: "Max Muster" }, { text: "030 123456" }],
  // Declines the consent and lands in the main menu again.
  declined: [{ choice: "Rückruf anfordern" }, { choice: "decline" }],
  // Asks for the opening hours.
  hours: [{ choice: "Öffnungszeiten" }],
  // Types a wrong number once.
  retried: [{ choice: "Rückruf anfordern" }, { choice: "accept" }, { text: "Max Muster" }, { text: "keine Nummer" }, { text: "030 123456" }],
  // Withdraws the consent from "my data" before giving a number.
  withdrawn: [{ choice: "Rückruf anfordern" }, { choice: "accept" }, { text: "Max Muster" }, { menu: "my-data" }, { choice: "my-data:withdraw:consent-callback" }],
} as const;

async function walk(runtime: TestRuntime, turns: readonly object[]): Promise<void> {
  const started = await request(runtime.app).post("/api/v1/conversations").send({ flow: "callback-request" }).expect(201);
  const { id, token } = started.body as { id: string; token: string };
  for (const body of turns) await request(runtime.app).post(`/api/v1/conversations/${id}/messages`).set("authorization", `Bearer ${token}`).send(body).expect(200);
}

describe("analytics", () => {
  it("counts 100 scripted conversations exactly, per version and day, and hides small counts", async () => {
    const runtime = await createTestRuntime({ clock: createFakeClock({ at: "2026-11-22T10:00:00.000Z" }) });
    runtimes.push(runtime);
    const plan: [keyof typeof paths, number][] = [
      ["lead", 40],
      ["declined", 25],
      ["hours", 20],
      ["retried", 10],
      ["withdrawn", 5],
    ];
    for (const [path, times] of plan) for (let index = 0; index < times; index++) await walk(runtime, paths[path]);
    // A conversation opened by a request that fails before the start counts for nothing.
    await request(runtime.app).post("/api/v1/conversations").send({ flow: "no-such-flow" }).expect(404);
    runtime.clock.advance(86_400_000);
    for (let index = 0; index < 3; index++) await walk(runtime, paths.hours);

    const report = await request(runtime.app).get("/api/v1/admin/analytics/callback-request?from=2026-11-22&to=2026-11-22").set("authorization", `Bearer ${testAdminToken}`).expect(200);
    const [version] = report.body.versions;
    expect(report.body.versions).toHaveLength(1);
    expect(version.totals).toEqual({
      started: 100,
      completed: 50,
      "step:welcome": 100,
      "step:main": 145,
      "branch:welcome>main": 100,
      "step:consent-callback": 80,
      "branch:main>consent-callback": 80,
      [`consent:accept:${purpose}`]: 55,
      [`consent:decline:${purpose}`]: 25,
      [`consent:withdraw:${purpose}`]: 5,
      "step:ask-name": 55,
      "branch:consent-callback>ask-name": 55,
      "step:ask-phone": 55,
      "branch:ask-name>ask-phone": 55,
      "retry:ask-phone": 10,
      "step:send-crm": 50,
      "branch:ask-phone>send-crm": 50,
      "step:thanks": 50,
      "branch:send-crm>thanks": 50,
      "step:done": 50,
      "branch:thanks>done": 50,
      "step:no-consent": 25,
      "branch:consent-callback>no-consent": 25,
      "branch:no-consent>main": 25,
      "step:hours": 20,
      "branch:main>hours": 20,
      "branch:hours>main": 20,
    });
    expect(version.days).toEqual([{ day: "2026-11-22", counts: version.totals }]);

    const nextDay = await request(runtime.app).get("/api/v1/admin/analytics/callback-request?from=2026-11-23").set("authorization", `Bearer ${testAdminToken}`).expect(200);
    // Three visitors entered the main menu twice each: 6 is shown, 3 is not.
    expect(nextDay.body.versions[0].totals).toEqual({ started: "<5", "step:welcome": "<5", "step:main": 6, "branch:welcome>main": "<5", "step:hours": "<5", "branch:main>hours": "<5", "branch:hours>main": "<5" });
    // Nothing counted names a conversation or carries what a visitor wrote.
    const stored = JSON.stringify(await runtime.store.analytics.counts("callback-request"));
    expect(stored).not.toMatch(/Max Muster|030|keine Nummer/);
    expect(stored).not.toMatch(/T\d\d:/);
  }, 60_000);

  it("keeps versions apart and lets whoever reads flows see them, not an agent", async () => {
    const runtime = await createTestRuntime({ clock: createFakeClock({ at: "2026-11-22T10:00:00.000Z" }) });
    runtimes.push(runtime);
    await walk(runtime, paths.hours);
    const { referenceFlow } = await import("../../testing/create-test-runtime.ts");
    await runtime.catalog.publish("callback-request", referenceFlow.replace("Montag bis Freitag, 9 bis 17 Uhr.", "Montag bis Samstag, 9 bis 17 Uhr."));
    for (let index = 0; index < 6; index++) await walk(runtime, paths.hours);
    const editor = await runtime.member(["editor"]);
    const report = await request(runtime.app).get("/api/v1/admin/analytics/callback-request").set("cookie", editor.cookie).expect(200);
    expect(report.body.versions.map((version: { totals: { started: unknown } }) => version.totals.started)).toEqual([6, "<5"]);
    const agent = await runtime.member(["agent"]);
    await request(runtime.app).get("/api/v1/admin/analytics/callback-request").set("cookie", agent.cookie).expect(403);
    await request(runtime.app).get("/api/v1/admin/analytics/callback-request?from=yesterday").set("cookie", editor.cookie).expect(400);
  });

  it("keeps the counts of a failed write for the next one, across a change of day, and counts each key once per observation", async () => {
    // A store that fails its first write (the app layer's tests use no real store).
    const stored: AnalyticsCount[] = [];
    let failNext = true;
    const store: AnalyticsStore = {
      async add(counts) {
        if (failNext) {
          failNext = false;
          throw new Error("the database is away");
        }
        stored.push(...counts);
      },
      counts: async (flow) => stored.filter((count) => count.flow === flow),
    };
    let now = Date.parse("2026-11-22T23:59:59.000Z");
    const analytics = new Analytics(store, () => new Date(now), { flushMs: 60_000 });
    const turn = (observe: (counter: ReturnType<Analytics["turn"]>) => void) => {
      const counter = analytics.turn("contact", "v1");
      observe(counter);
      counter.commit();
    };
    turn((counter) => {
      counter.started();
      counter.observe({ type: "enter", node: "ask-name", from: "welcome" });
      counter.observe({ type: "consent", purpose: "Rückruf", decision: "accept" });
    });
    await expect(analytics.flush()).rejects.toThrow("the database is away");
    now += 2000;
    turn((counter) => {
      counter.observe({ type: "enter", node: "ask-name", from: "welcome" });
      counter.observe({ type: "retry", node: "ask-name" });
    });
    await analytics.flush();
    const counts = (await store.counts("contact")).map(({ day, key, count }) => `${day} ${key} ${count}`).sort();
    expect(counts).toEqual([
      "2026-11-22 branch:welcome>ask-name 1",
      "2026-11-22 consent:accept:Rückruf 1",
      "2026-11-22 started 1",
      "2026-11-22 step:ask-name 1",
      "2026-11-23 branch:welcome>ask-name 1",
      "2026-11-23 retry:ask-name 1",
      "2026-11-23 step:ask-name 1",
    ]);
  });
});
