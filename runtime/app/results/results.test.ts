import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";
import { createFakeClock } from "../../testing/fake-clock.ts";
import { createTestRuntime, referenceFlow, type TestRuntime } from "../../testing/create-test-runtime.ts";

const runtimes: TestRuntime[] = [];
afterEach(async () => {
  for (const runtime of runtimes.splice(0)) await runtime.close();
});

async function walk(runtime: TestRuntime, turns: readonly object[]): Promise<{ id: string; token: string }> {
  const started = await request(runtime.app).post("/api/v1/conversations").send({ flow: "callback-request" }).expect(201);
  const { id, token } = started.body as { id: string; token: string };
  for (const body of turns) await request(runtime.app).post(`/api/v1/conversations/${id}/messages`).set("authorization", `Bearer ${token}`).send(body).expect(200);
  return { id, token };
}

const lead = (name: string) => [{ choice: "Rückruf anfordern" }, { choice: "accept" }, { text: name }, { text: "030 123456" }];

describe("results", () => {
  it("shows the DPO what each conversation holds now, filters it, exports it as escaped CSV and audits every look", async () => {
    const runtime = await createTestRuntime({ clock: createFakeClock({ at: "2026-11-22T10:00:00.000Z" }) });
    runtimes.push(runtime);
    await walk(runtime, lead("Max Muster"));
    await walk(runtime, lead("=HYPERLINK(\"https://evil.example\")"));
    await walk(runtime, [{ choice: "Rückruf anfordern" }, { choice: "decline" }]);
    // Withdrawn: the name goes with the consent.
    await walk(runtime, [{ choice: "Rückruf anfordern" }, { choice: "accept" }, { text: "Zurück Zieher" }, { menu: "my-data" }, { choice: "my-data:withdraw:consent-callback" }]);
    const erased = await walk(runtime, lead("Gelöscht Gerda"));
    await request(runtime.app).delete(`/api/v1/conversations/${erased.id}`).set("authorization", `Bearer ${erased.token}`).expect(204);
    runtime.clock.advance(86_400_000);
    await walk(runtime, lead("Erika Morgen"));

    const dpo = await runtime.member(["dpo"]);
    const view = await request(runtime.app).get("/api/v1/admin/results/callback-request").set("cookie", dpo.cookie).expect(200);
    expect(view.body.columns).toEqual(["name", "phone"]);
    const rows = view.body.rows as { outcome: string; fields: Record<string, string>; startedAt: string }[];
    expect(rows.map((row) => row.fields).sort((a, b) => String(a.name ?? "").localeCompare(String(b.name ?? "")))).toEqual([
      {},
      {},
      { name: '=HYPERLINK("https://evil.example")', phone: "030123456" },
      { name: "Erika Morgen", phone: "030123456" },
      { name: "Max Muster", phone: "030123456" },
    ]);
    expect(JSON.stringify(view.body)).not.toContain("Gelöscht");
    expect(JSON.stringify(view.body)).not.toContain("Zurück");

    const completedFirstDay = await request(runtime.app).get("/api/v1/admin/results/callback-request?outcome=completed&to=2026-11-22").set("cookie", dpo.cookie).expect(200);
    expect(completedFirstDay.body.rows.map((row: { fields: { name: string } }) => row.fields.name).sort()).toEqual(['=HYPERLINK("https://evil.example")', "Max Muster"]);

    const csv = await request(runtime.app).get("/api/v1/admin/results/callback-request?format=csv&from=2026-11-22&outcome=completed").set("cookie", dpo.cookie).expect(200);
    expect(csv.headers["content-type"]).toBe("text/csv; charset=utf-8");
    const lines = csv.text.trimEnd().split("\r\n");
    expect(lines[0]).toBe("startedAt,lastActivityAt,outcome,channel,name,phone");
    expect(lines).toHaveLength(4);
    expect(lines).toContain(`2026-11-22T10:00:00.000Z,2026-11-22T10:00:00.000Z,completed,web,"'=HYPERLINK(""https://evil.example"")",030123456`);

    expect((await runtime.audit.list({ target: "callback-request" })).filter((entry) => entry.action.startsWith("results.")).map((entry) => [entry.action, entry.actor, entry.details])).toEqual([
      ["results.view", dpo.email, { format: "json" }],
      ["results.view", dpo.email, { format: "json", to: "2026-11-22", outcome: "completed" }],
      ["results.export", dpo.email, { format: "csv", from: "2026-11-22", outcome: "completed" }],
    ]);
  });

  it("lets editors read only a flow that shares its results with them, and audits their view", async () => {
    const runtime = await createTestRuntime();
    runtimes.push(runtime);
    await walk(runtime, lead("Max Muster"));
    const editor = await runtime.member(["editor"]);
    const refused = await request(runtime.app).get("/api/v1/admin/results/callback-request").set("cookie", editor.cookie).expect(403);
    expect(refused.body.error.code).toBe("results-not-shared");
    expect(JSON.stringify(refused.body)).not.toContain("Max Muster");
    const agent = await runtime.member(["agent"]);
    await request(runtime.app).get("/api/v1/admin/results/callback-request").set("cookie", agent.cookie).expect(403);

    await runtime.catalog.publish("callback-request", referenceFlow.replace(/^privacy:\n/m, "privacy:\n  editorsSeeResults: true\n"));
    const shared = await request(runtime.app).get("/api/v1/admin/results/callback-request").set("cookie", editor.cookie).expect(200);
    expect(shared.body.rows.map((row: { fields: { name?: string } }) => row.fields.name)).toContain("Max Muster");
    await request(runtime.app).get("/api/v1/admin/results/callback-request?format=csv").set("cookie", editor.cookie).expect(200);
    await request(runtime.app).get("/api/v1/admin/results/callback-request").set("cookie", agent.cookie).expect(403);
    expect((await runtime.audit.list({ target: "callback-request" })).filter((entry) => entry.action.startsWith("results.")).map((entry) => [entry.action, entry.actor])).toEqual([
      ["results.view", editor.email],
      ["results.export", editor.email],
    ]);
  });

  it("refuses editors and agents, a bad filter and a flow never published", async () => {
    const runtime = await createTestRuntime();
    runtimes.push(runtime);
    const editor = await runtime.member(["editor"]);
    await request(runtime.app).get("/api/v1/admin/results/callback-request").set("cookie", editor.cookie).expect(403);
    const dpo = await runtime.member(["dpo"]);
    await request(runtime.app).get("/api/v1/admin/results/callback-request?outcome=maybe").set("cookie", dpo.cookie).expect(400);
    await request(runtime.app).get("/api/v1/admin/results/callback-request?from=gestern").set("cookie", dpo.cookie).expect(400);
    await request(runtime.app).get("/api/v1/admin/results/no-such-flow").set("cookie", dpo.cookie).expect(404);
  });

  it("streams an export while conversations are being erased, leaving the erased ones out", async () => {
    const runtime = await createTestRuntime();
    runtimes.push(runtime);
    const conversations = [];
    for (let index = 0; index < 600; index++) {
      conversations.push(await walk(runtime, [{ choice: "Rückruf anfordern" }, { choice: "accept" }, { text: `Kundin ${index}` }]));
    }
    const dpo = await runtime.member(["dpo"]);
    const exporting = request(runtime.app).get("/api/v1/admin/results/callback-request?format=json&all=true").set("cookie", dpo.cookie);
    const erasing = Promise.all(conversations.filter((_, index) => index % 3 === 0).map((conversation) => request(runtime.app).delete(`/api/v1/conversations/${conversation.id}`).set("authorization", `Bearer ${conversation.token}`).expect(204)));
    const [exported] = await Promise.all([exporting, erasing]);
    const names = new Set((exported.body.rows as { fields: { name: string } }[]).map((row) => row.fields.name));
    // Every conversation not erased is there; of the erased ones, only those read before their erasure may be.
    for (let index = 0; index < 600; index++) if (index % 3 !== 0) expect(names.has(`Kundin ${index}`)).toBe(true);
    const after = await request(runtime.app).get("/api/v1/admin/results/callback-request?all=true").set("cookie", dpo.cookie).expect(200);
    expect(after.body.rows).toHaveLength(400);
  }, 120_000);
});
