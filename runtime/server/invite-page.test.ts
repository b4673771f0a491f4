import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";
import { createTestRuntime, type TestRuntime } from "../testing/create-test-runtime.ts";
import { createFakeClock } from "../testing/fake-clock.ts";

const runtimes: TestRuntime[] = [];
afterEach(async () => {
  for (const runtime of runtimes.splice(0)) await runtime.close();
});

async function started(options: Parameters<typeof createTestRuntime>[0] = {}) {
  const runtime = await createTestRuntime({ logLevel: "silent", team: { localUrl: () => "http://bot.local" }, ...options });
  runtimes.push(runtime);
  return runtime;
}

function pathOf(url: string): string {
  return new URL(url).pathname;
}

describe("the set-up link", () => {
  it("creates the first administrator once, then stops working, and no second set-up link is issued", async () => {
    const runtime = await started();
    const link = await runtime.accounts.setupLink();
    if (!link) throw new Error("a fresh installation has a set-up link");
    expect(link.url).toMatch(/^http:\/\/bot\.local\/invite\/[A-Za-z0-9_-]{43}$/);
    const page = await request(runtime.app).get(pathOf(link.url)).set("accept-language", "de-DE,de;q=0.9").expect(200);
    expect(page.text).toContain("Botschaft einrichten");
    expect(page.text).toContain('name="email"');
    expect(page.headers["content-security-policy"]).toContain("default-src 'none'");
    await request(runtime.app).post(pathOf(link.url)).type("form").send({ email: "chefin@muster.example", password: "Ein ganzer Satz als Passwort" }).expect(303).expect("location", "/editor/");
    expect((await runtime.accounts.list()).map(({ email, roles, status }) => ({ email, roles, status }))).toEqual([{ email: "chefin@muster.example", roles: ["admin"], status: "active" }]);
    await request(runtime.app).get(pathOf(link.url)).expect(404);
    expect(await runtime.accounts.setupLink()).toBeUndefined();
  });
});

describe("an invitation link", () => {
  it("shows the address, takes the password as a form or as JSON, and works once", async () => {
    const runtime = await started();
    const link = await runtime.accounts.invite("erika@muster.example", ["editor"], { actor: "admin@muster.example" });
    const page = await request(runtime.app).get(pathOf(link.url)).set("accept-language", "en").expect(200);
    expect(page.text).toContain("erika@muster.example");
    expect(page.text).not.toContain('name="email"');
    await request(runtime.app).post(pathOf(link.url)).send({ password: "Ein ganzer Satz als Passwort" }).expect(204);
    await request(runtime.app).post(pathOf(link.url)).send({ password: "Noch ein ganzer Satz" }).expect(404);
    await request(runtime.app).post("/api/v1/session").send({ email: "erika@muster.example", password: "Ein ganzer Satz als Passwort" }).expect(204);
  });

  it("refuses a short or common password in the page's language and stays usable", async () => {
    const runtime = await started();
    const link = await runtime.accounts.invite("erika@muster.example", ["editor"], { actor: "admin@muster.example" });
    const short = await request(runtime.app).post(pathOf(link.url)).set("accept-language", "de").type("form").send({ password: "kurz" }).expect(400);
    expect(short.text).toContain("mindestens 12 Zeichen");
    const common = await request(runtime.app).post(pathOf(link.url)).set("accept-language", "de").type("form").send({ password: "passwordpassword" }).expect(400);
    expect(common.text).toContain("häufigsten");
    const json = await request(runtime.app).post(pathOf(link.url)).send({ password: "erika@muster.example" }).expect(400);
    expect(json.body.error.code).toBe("bad-request");
    await request(runtime.app).post(pathOf(link.url)).send({ password: "Ein ganzer Satz als Passwort" }).expect(204);
  });

  it("expires after 72 hours", async () => {
    const clock = createFakeClock({ at: "2026-11-22T10:00:00Z" });
    const runtime = await started({ clock });
    const link = await runtime.accounts.invite("erika@muster.example", ["editor"], { actor: "admin@muster.example" });
    clock.advance(72 * 3_600_000 + 1000);
    const page = await request(runtime.app).get(pathOf(link.url)).set("accept-language", "de").expect(404);
    expect(page.text).toContain("abgelaufen");
    await request(runtime.app).post(pathOf(link.url)).send({ password: "Ein ganzer Satz als Passwort" }).expect(404);
  });

  it("loses its power when a newer one is issued (an invitation sent again, a reset)", async () => {
    const runtime = await started();
    const first = await runtime.accounts.invite("erika@muster.example", ["editor"], { actor: "admin@muster.example" });
    const second = await runtime.accounts.invite("erika@muster.example", ["editor", "dpo"], { actor: "admin@muster.example" });
    await request(runtime.app).get(pathOf(first.url)).expect(404);
    await request(runtime.app).post(pathOf(second.url)).send({ password: "Ein ganzer Satz als Passwort" }).expect(204);
    expect((await runtime.accounts.list())[0]?.roles).toEqual(["editor", "dpo"]);
  });

  it("never reaches the log with its token", async () => {
    const runtime = await createTestRuntime({ team: { localUrl: () => "http://bot.local" } });
    runtimes.push(runtime);
    const link = await runtime.accounts.invite("erika@muster.example", ["editor"], { actor: "admin@muster.example" });
    await request(runtime.app).get(pathOf(link.url)).expect(200);
    const token = pathOf(link.url).split("/").at(-1) ?? "";
    expect(runtime.logLines.join("\n")).toContain('"path":"/invite/:token"');
    expect(runtime.logLines.join("\n")).not.toContain(token);
  });
});
