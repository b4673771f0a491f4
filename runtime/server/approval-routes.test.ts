import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";
import { publishFlowDirectory } from "../app/flows/publish-flow-directory.ts";
import { createTestRuntime, referenceFlow, type TestMember, type TestRuntime } from "../testing/create-test-runtime.ts";

const runtimes: TestRuntime[] = [];
afterEach(async () => {
  for (const runtime of runtimes.splice(0)) await runtime.close();
});

const changed = referenceFlow.replace("Montag bis Freitag, 9 bis 17 Uhr.", "Rund um die Uhr.");

async function withApproval() {
  const runtime = await createTestRuntime({ logLevel: "silent", team: { approval: "dpo" } });
  runtimes.push(runtime);
  const editor = await runtime.member(["editor"], "max@muster.example");
  const dpo = await runtime.member(["dpo"], "dora@muster.example");
  const as = (member: TestMember, method: "get" | "post" | "put", path: string) => request(runtime.app)[method](path).set({ cookie: member.cookie, "x-csrf-token": member.csrf });
  return { runtime, editor, dpo, as };
}

async function liveText(runtime: TestRuntime): Promise<string> {
  const started = await request(runtime.app).post("/api/v1/conversations").send({ flow: "callback-request" }).expect(201);
  const answer = await request(runtime.app)
    .post(`/api/v1/conversations/${started.body.id}/messages`)
    .set("authorization", `Bearer ${started.body.token}`)
    .send({ choice: "Öffnungszeiten" })
    .expect(200);
  return answer.body.messages[0].text;
}

describe("four-eyes publishing", () => {
  it("turns an editor's publish into a request that goes live only when a DPO approves it", async () => {
    const { runtime, editor, dpo, as } = await withApproval();
    const submitted = await as(editor, "put", "/api/v1/admin/flows/callback-request").type("text/yaml").send(changed).expect(202);
    expect(submitted.body.request).toMatchObject({ flow: "callback-request", status: "pending", requestedBy: "max@muster.example" });
    expect(await liveText(runtime)).toBe("Montag bis Freitag, 9 bis 17 Uhr.");

    const list = await as(dpo, "get", "/api/v1/approvals?status=pending").expect(200);
    expect(list.body).toMatchObject({ approvalRequired: true, requests: [{ id: submitted.body.request.id, flow: "callback-request" }] });
    const review = await as(dpo, "get", `/api/v1/approvals/${submitted.body.request.id}?lang=de`).expect(200);
    expect(review.body.request.yaml).toContain("Rund um die Uhr.");
    expect(review.body.live.yaml).toContain("Montag bis Freitag");
    expect(review.body.proposed.privacy.policy.de).toContain("Muster CRM GmbH");
    expect(review.body.live.privacy.record.en).toContain("Art. 30");

    await as(editor, "post", `/api/v1/approvals/${submitted.body.request.id}/approve`).expect(403);
    await as(dpo, "post", `/api/v1/approvals/${submitted.body.request.id}/approve`).expect(200);
    expect(await liveText(runtime)).toBe("Rund um die Uhr.");
    await as(dpo, "post", `/api/v1/approvals/${submitted.body.request.id}/approve`).expect(409);
    const actions = (await runtime.audit.list({ target: "callback-request" })).map((entry) => `${entry.actor} ${entry.action}`);
    expect(actions).toEqual(["max@muster.example flow.publish-request", "dora@muster.example flow.publish-approve"]);
  });

  it("needs a reason to reject, and never lets anyone approve their own request", async () => {
    const { runtime, as, dpo } = await withApproval();
    const admin = await runtime.member(["admin"], "chefin@muster.example");
    const own = await as(admin, "put", "/api/v1/admin/flows/callback-request").type("text/yaml").send(changed).expect(202);
    await as(admin, "post", `/api/v1/approvals/${own.body.request.id}/approve`).expect(403);
    await as(dpo, "post", `/api/v1/approvals/${own.body.request.id}/reject`).send({}).expect(400);
    const rejected = await as(dpo, "post", `/api/v1/approvals/${own.body.request.id}/reject`).send({ reason: "Der Zweck der Einwilligung fehlt." }).expect(200);
    expect(rejected.body).toMatchObject({ status: "rejected", reason: "Der Zweck der Einwilligung fehlt.", decidedBy: "dora@muster.example" });
    expect(await liveText(runtime)).toBe("Montag bis Freitag, 9 bis 17 Uhr.");
  });

  it("refuses a flow with errors at submission, as without approval", async () => {
    const { as, editor } = await withApproval();
    const broken = changed.replace("  - unsubscribe                 # built-in: unsubscribe and delete everything\n", "");
    const refused = await as(editor, "put", "/api/v1/admin/flows/callback-request").type("text/yaml").send(broken).expect(422);
    expect(refused.body.error.problems).toEqual([expect.objectContaining({ rule: "menu-required" })]);
  });

  it("lets the requester withdraw, and submits the same version only once", async () => {
    const { as, editor } = await withApproval();
    const first = await as(editor, "put", "/api/v1/admin/flows/callback-request").type("text/yaml").send(changed).expect(202);
    const again = await as(editor, "put", "/api/v1/admin/flows/callback-request").type("text/yaml").send(changed).expect(202);
    expect(again.body.request.id).toBe(first.body.request.id);
    await as(editor, "post", `/api/v1/approvals/${first.body.request.id}/withdraw`).expect(204);
    const list = await as(editor, "get", "/api/v1/approvals").expect(200);
    expect(list.body.requests[0]).toMatchObject({ status: "withdrawn" });
  });

  it("at start-up, turns a changed file in flows/ into a request instead of publishing it", async () => {
    const { runtime, as, dpo } = await withApproval();
    const directory = await mkdtemp(join(tmpdir(), "botschaft-approval-"));
    try {
      await writeFile(join(directory, "callback-request.yaml"), changed);
      expect(await publishFlowDirectory(runtime.publishing, directory, pino({ level: "silent" }))).toEqual([]);
      const list = await as(dpo, "get", "/api/v1/approvals").expect(200);
      expect(list.body.requests).toEqual([expect.objectContaining({ requestedBy: "system", status: "pending" })]);
      expect(await liveText(runtime)).toBe("Montag bis Freitag, 9 bis 17 Uhr.");
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});

describe("publishing without approval", () => {
  it("goes live at once and is in the audit trail", async () => {
    const runtime = await createTestRuntime({ logLevel: "silent" });
    runtimes.push(runtime);
    const editor = await runtime.member(["editor"], "max@muster.example");
    await request(runtime.app).put("/api/v1/admin/flows/callback-request").set({ cookie: editor.cookie, "x-csrf-token": editor.csrf }).type("text/yaml").send(changed).expect(201);
    expect(await liveText(runtime)).toBe("Rund um die Uhr.");
    expect((await runtime.audit.list({ action: "flow.publish" })).map((entry) => entry.actor)).toEqual(["max@muster.example"]);
  });
});

describe("the history of a flow's publications", () => {
  it("lists who published which version when, newest first; a rollback is a publish of the earlier source", async () => {
    const runtime = await createTestRuntime({ logLevel: "silent" });
    runtimes.push(runtime);
    const editor = await runtime.member(["editor"], "max@muster.example");
    const as = (method: "get" | "put", path: string) => request(runtime.app)[method](path).set({ cookie: editor.cookie, "x-csrf-token": editor.csrf });
    await as("put", "/api/v1/admin/flows/callback-request").type("text/yaml").send(changed).expect(201);
    const first = (await as("get", "/api/v1/admin/flows/callback-request/history").expect(200)).body.versions;
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ by: "max@muster.example", live: true });
    expect(first[0].yaml).toContain("Rund um die Uhr.");
    await as("put", "/api/v1/admin/flows/callback-request").type("text/yaml").send(referenceFlow).expect(200);
    expect(await liveText(runtime)).toBe("Montag bis Freitag, 9 bis 17 Uhr.");
    const second = (await as("get", "/api/v1/admin/flows/callback-request/history").expect(200)).body.versions;
    expect(second.map((entry: { live: boolean }) => entry.live)).toEqual([true, false]);
    expect(second[0].yaml).toContain("Montag bis Freitag");
    expect(second[1].version).toBe(first[0].version);
    await request(runtime.app).get("/api/v1/admin/flows/callback-request/history").expect(401);
    await as("get", "/api/v1/admin/flows/Not_An_Id/history").expect(400);
  });

  it("with four eyes, a rollback waits for approval and then shows who submitted and who approved it", async () => {
    const { runtime, editor, dpo, as } = await withApproval();
    const submitted = await as(editor, "put", "/api/v1/admin/flows/callback-request").type("text/yaml").send(changed).expect(202);
    expect((await as(editor, "get", "/api/v1/admin/flows/callback-request/history").expect(200)).body.versions).toEqual([]);
    await as(dpo, "post", `/api/v1/approvals/${submitted.body.request.id}/approve`).expect(200);
    const versions = (await as(editor, "get", "/api/v1/admin/flows/callback-request/history").expect(200)).body.versions;
    expect(versions).toMatchObject([{ by: "dora@muster.example", requestedBy: "max@muster.example", live: true }]);
    expect(await liveText(runtime)).toBe("Rund um die Uhr.");
  });
});
