import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";
import { createTestRuntime, type TestRuntime } from "../testing/create-test-runtime.ts";

const runtimes: TestRuntime[] = [];
afterEach(async () => {
  for (const runtime of runtimes.splice(0)) await runtime.close();
});

async function started() {
  const runtime = await createTestRuntime({ logLevel: "silent" });
  runtimes.push(runtime);
  return runtime;
}

/** A whole conversation that leaves personal values in the store, viewed and exported by its owner. */
async function chatWithPersonalData(runtime: TestRuntime): Promise<void> {
  const started = await request(runtime.app).post("/api/v1/conversations").send({ flow: "callback-request" }).expect(201);
  const send = (body: object) => request(runtime.app).post(`/api/v1/conversations/${started.body.id}/messages`).set("authorization", `Bearer ${started.body.token}`).send(body).expect(200);
  await send({ choice: "Rückruf anfordern" });
  await send({ choice: "accept" });
  await send({ text: "Erika Mustermann" });
  await send({ text: "+49 170 1234567" });
}

describe("the audit trail", () => {
  it("records sign-ins, failed sign-ins with the address, and reading the trail itself", async () => {
    const runtime = await started();
    const dpo = await runtime.member(["dpo"], "dora@muster.example");
    await request(runtime.app).post("/api/v1/session").send({ email: "dora@muster.example", password: "falsches Passwort 123" }).expect(401);
    const trail = await request(runtime.app).get("/api/v1/audit").set("cookie", dpo.cookie).expect(200);
    const entries = trail.body as { actor: string; action: string; outcome: string; address?: string; target?: string }[];
    expect(entries.map(({ actor, action, outcome }) => `${actor} ${action} ${outcome}`)).toEqual([
      "system account.invite ok",
      "dora@muster.example account.activate ok",
      "dora@muster.example session.sign-in ok",
      "anonymous session.sign-in failed",
    ]);
    expect(entries[3]).toMatchObject({ target: "dora@muster.example", address: expect.stringMatching(/127\.0\.0\.1/) });
    const again = await request(runtime.app).get("/api/v1/audit?action=audit.read").set("cookie", dpo.cookie).expect(200);
    expect(again.body).toEqual([expect.objectContaining({ actor: "dora@muster.example", action: "audit.read", details: { format: "json", entries: 4 } })]);
  });

  it("exports CSV a spreadsheet cannot run: cells starting with =, +, - or @ are escaped", async () => {
    const runtime = await started();
    const admin = await runtime.member(["admin"], "chefin@muster.example");
    await request(runtime.app).post("/api/v1/tokens").set({ cookie: admin.cookie, "x-csrf-token": admin.csrf }).send({ name: "=HYPERLINK(\"http://evil\")", roles: ["editor"] }).expect(201);
    await request(runtime.app).post("/api/v1/tokens").set({ cookie: admin.cookie, "x-csrf-token": admin.csrf }).send({ name: "@SUM(A1)", roles: ["editor"] }).expect(201);
    const csv = await request(runtime.app).get("/api/v1/audit?format=csv&action=token.create").set("cookie", admin.cookie).expect(200);
    expect(csv.headers["content-type"]).toBe("text/csv; charset=utf-8");
    const lines = csv.text.trimEnd().split("\r\n");
    expect(lines[0]).toBe("time,actor,action,target,outcome,address,details");
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(lines[2]).toContain(",'@SUM(A1),");
  });

  it("filters by time, actor and action, and refuses malformed filters", async () => {
    const runtime = await started();
    const admin = await runtime.member(["admin"], "chefin@muster.example");
    const list = (query: string) => request(runtime.app).get(`/api/v1/audit${query}`).set("cookie", admin.cookie);
    expect((await list("?actor=chefin@muster.example&action=session.sign-in").expect(200)).body).toHaveLength(1);
    expect((await list("?to=2000-01-01T00:00:00Z").expect(200)).body).toEqual([]);
    await list("?from=yesterday").expect(400);
    await list("?limit=0").expect(400);
  });

  it("never holds an end user's personal values", async () => {
    const runtime = await started();
    const admin = await runtime.member(["admin"], "chefin@muster.example");
    await chatWithPersonalData(runtime);
    await request(runtime.app).put("/api/v1/admin/flows/callback-request").set({ cookie: admin.cookie, "x-csrf-token": admin.csrf }).type("text/yaml").send("flow: broken\n").expect(422);
    const everything = JSON.stringify(await runtime.audit.list({}));
    for (const personal of ["Erika", "Mustermann", "1234567"]) expect(everything).not.toContain(personal);
  });
});
