import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";
import { deriveRuntimeKeys } from "../app/crypto/keys.ts";
import { createTestRuntime, type TestRuntime, testPassword } from "../testing/create-test-runtime.ts";
import { createFakeClock } from "../testing/fake-clock.ts";
import { openTestStore } from "../testing/open-test-store.ts";

const runtimes: TestRuntime[] = [];
afterEach(async () => {
  for (const runtime of runtimes.splice(0)) await runtime.close();
});

async function started(options: Parameters<typeof createTestRuntime>[0] = {}): Promise<TestRuntime> {
  const runtime = await createTestRuntime({ logLevel: "silent", ...options });
  runtimes.push(runtime);
  return runtime;
}

function signIn(runtime: TestRuntime, email: string, password: string, headers: Record<string, string> = {}) {
  let pending = request(runtime.app).post("/api/v1/session").send({ email, password });
  for (const [name, value] of Object.entries(headers)) pending = pending.set(name, value);
  return pending;
}

function cookieFrom(response: request.Response): string {
  const header = response.headers["set-cookie"] as unknown as string[] | undefined;
  const cookie = header?.[0]?.split(";")[0];
  if (!cookie) throw new Error("no session cookie set");
  return cookie;
}

describe("signing in", () => {
  it("sets an HttpOnly, SameSite=Strict session cookie and tells who is signed in, with the CSRF token", async () => {
    const runtime = await started();
    const { email } = await runtime.member(["editor", "dpo"], "erika@muster.example");
    const response = await signIn(runtime, "  Erika@Muster.example ", testPassword).expect(204);
    const setCookie = (response.headers["set-cookie"] as unknown as string[])[0] ?? "";
    expect(setCookie).toMatch(/^botschaft-session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);
    const session = await request(runtime.app).get("/api/v1/session").set("cookie", cookieFrom(response)).expect(200);
    expect(session.body).toMatchObject({ email, roles: ["editor", "dpo"], csrfToken: expect.any(String) });
    expect(session.headers["cache-control"]).toBe("no-store");
  });

  it("marks the cookie Secure with the __Host- prefix behind TLS", async () => {
    const runtime = await started({ team: { publicUrl: "https://bot.muster.example" } });
    await runtime.member(["editor"], "erika@muster.example");
    const response = await signIn(runtime, "erika@muster.example", testPassword).expect(204);
    expect((response.headers["set-cookie"] as unknown as string[])[0]).toMatch(/^__Host-botschaft-session=.*; Secure$/);
  });

  it("refuses a wrong password and an unknown address with the same answer, after the same work", async () => {
    const runtime = await started();
    await runtime.member(["editor"], "erika@muster.example");
    const timed = async (email: string) => {
      const before = performance.now();
      const response = await signIn(runtime, email, "wrong password, long enough").expect(401);
      return { body: response.body as unknown, ms: performance.now() - before };
    };
    const wrong = await timed("erika@muster.example");
    const unknown = await timed("nobody@muster.example");
    expect(unknown.body).toEqual(wrong.body);
    // Both hash a password (scrypt, tens of milliseconds); skipping it would take well under one.
    expect(unknown.ms).toBeGreaterThan(wrong.ms / 3);
  });

  it("answers 429 with Retry-After after 10 failures for one account, and for one address", async () => {
    const clock = createFakeClock({ at: "2026-11-22T10:00:00Z" });
    const runtime = await started({ clock });
    await runtime.member(["editor"], "erika@muster.example");
    for (let attempt = 0; attempt < 10; attempt++) await signIn(runtime, "erika@muster.example", `wrong ${attempt} password`).expect(401);
    const refused = await signIn(runtime, "erika@muster.example", testPassword).expect(429);
    expect(Number(refused.headers["retry-after"])).toBe(900);
    clock.advance(15 * 60_000 + 1000);
    await signIn(runtime, "erika@muster.example", testPassword).expect(204);
    // Ten different addresses tried from one client address: that address is held back too.
    for (let attempt = 0; attempt < 10; attempt++) await signIn(runtime, `probe${attempt}@muster.example`, "some wrong password").expect(401);
    await signIn(runtime, "erika@muster.example", testPassword).expect(429);
    // 22 sign-ins, each hashing a password with scrypt on purpose: slow on a busy machine.
  }, 60_000);

  it("checks Origin: another site cannot sign someone in", async () => {
    const runtime = await started();
    await runtime.member(["editor"], "erika@muster.example");
    await signIn(runtime, "erika@muster.example", testPassword, { origin: "https://evil.example" }).expect(403);
  });
});

describe("a session", () => {
  it("needs the CSRF token on every change made with the cookie, but not with an API token", async () => {
    const runtime = await started();
    const admin = await runtime.member(["admin"]);
    const other = await runtime.member(["admin"]);
    const invite = (headers: Record<string, string>) => {
      let pending = request(runtime.app).post("/api/v1/accounts").send({ email: `new${Math.random()}@muster.example`, roles: ["agent"] });
      for (const [name, value] of Object.entries(headers)) pending = pending.set(name, value);
      return pending;
    };
    await invite({ cookie: admin.cookie }).expect(403);
    await invite({ cookie: admin.cookie, "x-csrf-token": other.csrf }).expect(403);
    await invite({ cookie: admin.cookie, "x-csrf-token": admin.csrf }).expect(201);
    const created = await request(runtime.app).post("/api/v1/tokens").set({ cookie: admin.cookie, "x-csrf-token": admin.csrf }).send({ name: "ci", roles: ["admin"] }).expect(201);
    await invite({ authorization: `Bearer ${created.body.token}` }).expect(201);
  });

  it("ends at sign-out, on the server", async () => {
    const runtime = await started();
    const member = await runtime.member(["editor"]);
    await request(runtime.app).delete("/api/v1/session").set({ cookie: member.cookie, "x-csrf-token": member.csrf }).expect(204);
    await request(runtime.app).get("/api/v1/session").set("cookie", member.cookie).expect(401);
  });

  it("ends after the idle time-out and after the absolute one, however busy", async () => {
    const clock = createFakeClock({ at: "2026-11-22T08:00:00Z" });
    const runtime = await started({ clock });
    const idle = await runtime.member(["editor"]);
    clock.advance(31 * 60_000);
    await request(runtime.app).get("/api/v1/session").set("cookie", idle.cookie).expect(401);
    const busy = await runtime.member(["editor"]);
    for (let hour = 0; hour < 12; hour++) {
      await request(runtime.app).get("/api/v1/session").set("cookie", busy.cookie).expect(200);
      for (let step = 0; step < 3; step++) {
        clock.advance(20 * 60_000);
        if (hour < 11 || step < 2) await request(runtime.app).get("/api/v1/session").set("cookie", busy.cookie);
      }
    }
    await request(runtime.app).get("/api/v1/session").set("cookie", busy.cookie).expect(401);
  });

  it("ends at once when the account is disabled", async () => {
    const runtime = await started();
    const admin = await runtime.member(["admin"]);
    const editor = await runtime.member(["editor"], "max@muster.example");
    await request(runtime.app).get("/api/v1/admin/files").set("cookie", editor.cookie).expect((response) => expect(response.status).not.toBe(401));
    const id = (await runtime.accounts.list()).find((account) => account.email === "max@muster.example")?.id;
    await request(runtime.app).patch(`/api/v1/accounts/${id}`).set({ cookie: admin.cookie, "x-csrf-token": admin.csrf }).send({ status: "disabled" }).expect(200);
    await request(runtime.app).get("/api/v1/session").set("cookie", editor.cookie).expect(401);
    await signIn(runtime, "max@muster.example", testPassword).expect(401);
  });

  it("is refused by an installation with another secret, even on the same store", async () => {
    const store = await openTestStore("memory");
    const first = await createTestRuntime({ store, logLevel: "silent" });
    const member = await first.member(["editor"]);
    const second = await createTestRuntime({ store, logLevel: "silent", keys: deriveRuntimeKeys("another secret of at least 32 characters") });
    await request(first.app).get("/api/v1/session").set("cookie", member.cookie).expect(200);
    await request(second.app).get("/api/v1/session").set("cookie", member.cookie).expect(401);
    await first.stop();
    await second.close();
  });

  it("is shared by instances on one PostgreSQL database", async () => {
    const schema = `botschaft_test_sessions_${Math.random().toString(36).slice(2, 10)}`;
    const one = await createTestRuntime({ store: await openTestStore("postgres", { schema }), logLevel: "silent" });
    const two = await createTestRuntime({ store: await openTestStore("postgres", { schema }), logLevel: "silent" });
    runtimes.push(one, two);
    const member = await one.member(["editor"]);
    await request(two.app).get("/api/v1/admin/files").set("cookie", member.cookie).expect((response) => expect(response.status).not.toBe(401));
    await request(two.app).delete("/api/v1/session").set({ cookie: member.cookie, "x-csrf-token": member.csrf }).expect(204);
    await request(one.app).get("/api/v1/session").set("cookie", member.cookie).expect(401);
    const pg = await import("pg");
    const client = new pg.default.Client({ connectionString: process.env.BOTSCHAFT_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test" });
    await client.connect();
    await one.close();
    await two.close();
    runtimes.splice(0);
    await client.query(`DROP SCHEMA ${schema} CASCADE`);
    await client.end();
  });
});
