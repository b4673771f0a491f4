import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";
import { createTestRuntime, type TestMember, type TestRuntime } from "../testing/create-test-runtime.ts";

const runtimes: TestRuntime[] = [];
afterEach(async () => {
  for (const runtime of runtimes.splice(0)) await runtime.close();
});

async function withAdmin(): Promise<{ runtime: TestRuntime; admin: TestMember; as: (method: "get" | "post" | "patch" | "delete", path: string) => request.Test }> {
  const runtime = await createTestRuntime({ logLevel: "silent" });
  runtimes.push(runtime);
  const admin = await runtime.member(["admin"], "chefin@muster.example");
  return { runtime, admin, as: (method, path) => request(runtime.app)[method](path).set({ cookie: admin.cookie, "x-csrf-token": admin.csrf }) };
}

describe("team accounts", () => {
  it("invites with a one-time link, lists without password hashes, changes roles and disables", async () => {
    const { runtime, as } = await withAdmin();
    const invited = await as("post", "/api/v1/accounts").send({ email: "Max@Muster.example", roles: ["editor", "agent"] }).expect(201);
    expect(invited.body.invitation).toMatchObject({ url: expect.stringMatching(/\/invite\/[A-Za-z0-9_-]{43}$/), mailed: false });
    const list = await as("get", "/api/v1/accounts").expect(200);
    const max = list.body.accounts.find((account: { email: string }) => account.email === "max@muster.example");
    expect(max).toMatchObject({ roles: ["editor", "agent"], status: "invited" });
    expect(JSON.stringify(list.body)).not.toMatch(/scrypt|passwordHash/);
    await as("patch", `/api/v1/accounts/${max.id}`).send({ roles: ["dpo"] }).expect(200);
    const disabled = await as("patch", `/api/v1/accounts/${max.id}`).send({ status: "disabled" }).expect(200);
    expect(disabled.body.account).toMatchObject({ roles: ["dpo"], status: "disabled" });
    const actions = (await runtime.audit.list({ target: "max@muster.example" })).map((entry) => entry.action);
    expect(actions).toEqual(["account.invite", "account.roles", "account.disable"]);
  });

  it("refuses unknown roles, bad addresses and taking away the last administrator", async () => {
    const { runtime, as } = await withAdmin();
    await as("post", "/api/v1/accounts").send({ email: "max@muster.example", roles: ["owner"] }).expect(400);
    await as("post", "/api/v1/accounts").send({ email: "not an address", roles: ["editor"] }).expect(400);
    await as("post", "/api/v1/accounts").send({ email: "chefin@muster.example", roles: ["editor"] }).expect(409);
    const me = (await runtime.accounts.list()).find((account) => account.email === "chefin@muster.example");
    await as("patch", `/api/v1/accounts/${me?.id}`).send({ roles: ["editor"] }).expect(409);
    await as("patch", `/api/v1/accounts/${me?.id}`).send({ status: "disabled" }).expect(409);
    await as("patch", "/api/v1/accounts/unknown").send({ status: "disabled" }).expect(404);
  });

  it("sends a password reset link that ends the person's sessions", async () => {
    const { runtime, as } = await withAdmin();
    const editor = await runtime.member(["editor"], "max@muster.example");
    const id = (await runtime.accounts.list()).find((account) => account.email === "max@muster.example")?.id;
    const reset = await as("post", `/api/v1/accounts/${id}/reset`).expect(200);
    expect(reset.body.reset.url).toMatch(/\/invite\//);
    await request(runtime.app).get("/api/v1/session").set("cookie", editor.cookie).expect(401);
    await request(runtime.app).get(new URL(reset.body.reset.url).pathname).expect(200);
  });
});

describe("API tokens", () => {
  it("are shown once, stored only hashed, work as Bearer with their roles and stop when revoked", async () => {
    const { runtime, as } = await withAdmin();
    const created = await as("post", "/api/v1/tokens").send({ name: "CI deploy", roles: ["editor"] }).expect(201);
    const { token, id } = created.body as { token: string; id: string };
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const listed = await as("get", "/api/v1/tokens").expect(200);
    expect(listed.body.tokens).toEqual([expect.objectContaining({ id, name: "CI deploy", roles: ["editor"], createdBy: "chefin@muster.example" })]);
    expect(JSON.stringify(listed.body)).not.toContain(token);
    expect(JSON.stringify(await runtime.store.apiTokens.list())).not.toContain(token);
    await request(runtime.app).get("/api/v1/admin/flows").set("authorization", `Bearer ${token}`).expect(200);
    await request(runtime.app).get("/api/v1/accounts").set("authorization", `Bearer ${token}`).expect(403);
    await as("delete", `/api/v1/tokens/${id}`).expect(204);
    await request(runtime.app).get("/api/v1/admin/flows").set("authorization", `Bearer ${token}`).expect(401);
    expect((await runtime.audit.list({ target: "CI deploy" })).map((entry) => entry.action)).toEqual(["token.create", "token.revoke"]);
  });

  it("are read from the store about once a second however many requests come, and stop within a second when another instance revokes them", async () => {
    const { runtime, as } = await withAdmin();
    const created = await as("post", "/api/v1/tokens").send({ name: "Inbox client", roles: ["agent"] }).expect(201);
    const { token, id } = created.body as { token: string; id: string };
    const store = runtime.store.apiTokens;
    const findByHash = store.findByHash.bind(store);
    let reads = 0;
    store.findByHash = (hash) => {
      reads++;
      return findByHash(hash);
    };
    try {
      for (let index = 0; index < 20; index++) await request(runtime.app).get("/api/v1/inbox").set("authorization", `Bearer ${token}`).expect(200);
      expect(reads).toBeLessThanOrEqual(2);
      // Revoked in the store by another instance: this one stops accepting it within a second.
      await store.delete(id);
      await expect.poll(async () => (await request(runtime.app).get("/api/v1/inbox").set("authorization", `Bearer ${token}`)).status, { timeout: 3000, interval: 100 }).toBe(401);
    } finally {
      store.findByHash = findByHash;
    }
  });

  it("BOTSCHAFT_ADMIN_TOKEN keeps working as an admin token for existing scripts", async () => {
    const runtime = await createTestRuntime({ logLevel: "silent", team: { configuredAdminToken: "a-configured-admin-token-of-length" } });
    runtimes.push(runtime);
    await request(runtime.app).get("/api/v1/accounts").set("authorization", "Bearer a-configured-admin-token-of-length").expect(200);
    await request(runtime.app).get("/api/v1/accounts").set("authorization", "Bearer a-configured-admin-token-of-lengtX").expect(401);
  });
});
