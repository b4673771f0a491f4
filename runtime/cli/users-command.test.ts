/**
 * `botschaft users …` as an operator runs it: a real process, with the server stopped (the
 * command opens the embedded store) and running (it asks the server over its admin socket), and
 * on PostgreSQL while a server runs. The link is on the last line and opens the password page.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { testDatabaseUrl } from "../testing/open-test-store.ts";
import { botschaftBin, type ServerProcess, startServerProcess } from "../testing/server-process.ts";

const run = promisify(execFile);

async function users(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [botschaftBin, "users", ...args], { env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

function lastLine(text: string): string {
  return text.trimEnd().split("\n").at(-1) ?? "";
}

const servers: ServerProcess[] = [];
const directories: string[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
  for (const directory of directories.splice(0)) await rm(directory, { recursive: true, force: true });
});

async function dataDirectory(): Promise<{ env: Record<string, string>; flowsDir: string }> {
  const directory = await mkdtemp(join(tmpdir(), "botschaft-users-"));
  directories.push(directory);
  const flowsDir = join(directory, "flows");
  await mkdir(flowsDir);
  return { env: { BOTSCHAFT_DATA_DIR: join(directory, "data"), BOTSCHAFT_FLOWS_DIR: flowsDir, LOG_LEVEL: "warn" }, flowsDir };
}

describe("botschaft users", { timeout: 90_000 }, () => {
  it("invites with the server stopped and through the running server, and the link sets a password there", async () => {
    const { env } = await dataDirectory();
    const offline = await users(["add", "erika@muster.example", "--role", "editor", "--role", "dpo"], { ...env, BOTSCHAFT_PUBLIC_URL: "https://bot.muster.example" });
    expect(offline.code).toBe(0);
    expect(lastLine(offline.stdout)).toMatch(/^https:\/\/bot\.muster\.example\/invite\/[A-Za-z0-9_-]{43}$/);

    const server = await startServerProcess({ args: [botschaftBin, "serve"], env, readyPath: "/healthz", readyTimeoutMs: 30_000, stdout: "capture" });
    servers.push(server);
    // The first start asks for the first administrator, since only an invitation exists.
    const online = await users(["add", "max@muster.example", "--role", "agent"], env);
    expect(online.code).toBe(0);
    const link = new URL(lastLine(online.stdout));
    const page = await fetch(`${server.url}${link.pathname}`, { headers: { "accept-language": "de" } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("max@muster.example");
    const set = await fetch(`${server.url}${link.pathname}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ password: "Ein ganzer Satz als Passwort" }) });
    expect(set.status).toBe(204);
    const signIn = await fetch(`${server.url}/api/v1/session`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "max@muster.example", password: "Ein ganzer Satz als Passwort" }) });
    expect(signIn.status).toBe(204);

    const list = await users(["list"], env);
    expect(list.stdout).toMatch(/erika@muster\.example\s+invited\s+editor, dpo/);
    expect(list.stdout).toMatch(/max@muster\.example\s+active\s+agent/);
    const disabled = await users(["disable", "max@muster.example"], env);
    expect(disabled.stdout).toContain("max@muster.example is disabled");
    const after = await fetch(`${server.url}/api/v1/session`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "max@muster.example", password: "Ein ganzer Satz als Passwort" }) });
    expect(after.status).toBe(401);
  });

  it("says what is wrong with bad usage, unknown people and unknown roles", async () => {
    const { env } = await dataDirectory();
    expect((await users(["add", "erika@muster.example"], env)).code).toBe(2);
    const role = await users(["add", "erika@muster.example", "--role", "owner"], env);
    expect(role.code).toBe(2);
    expect(role.stderr).toContain("admin, editor, agent, dpo");
    const unknown = await users(["reset", "nobody@muster.example"], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("no account for nobody@muster.example");
  });

  it("works on PostgreSQL while a server runs on the same database", async () => {
    const { env: base } = await dataDirectory();
    const schema = `botschaft_test_users_${Math.random().toString(36).slice(2, 10)}`;
    const env = { ...base, DATABASE_URL: testDatabaseUrl, BOTSCHAFT_DATABASE_SCHEMA: schema, BOTSCHAFT_SECRET: "a-shared-secret-of-at-least-32-characters" };
    try {
      const server = await startServerProcess({ args: [botschaftBin, "serve"], env, readyPath: "/healthz", readyTimeoutMs: 30_000 });
      servers.push(server);
      const added = await users(["add", "erika@muster.example", "--role", "editor"], env);
      expect(added.code).toBe(0);
      const link = new URL(lastLine(added.stdout));
      expect((await fetch(`${server.url}${link.pathname}`)).status).toBe(200);
    } finally {
      for (const server of servers.splice(0)) await server.stop();
      const client = new pg.Client({ connectionString: testDatabaseUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  });
});
