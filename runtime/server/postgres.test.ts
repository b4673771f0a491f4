/**
 * Two runtime processes on one PostgreSQL database, as behind a load balancer (docs/running.md#several-instances-on-postgresql): a
 * conversation started on one instance goes on on the other, in order, and an erasure on one
 * is final on both — also after the first instance is killed.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import type { OutgoingMessage } from "../core/index.ts";
import { botschaftBin, type ServerProcess, startServerProcess } from "../testing/server-process.ts";

const connectionString = process.env.BOTSCHAFT_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const schema = `botschaft_test_${randomBytes(6).toString("hex")}`;
const flowsDir = fileURLToPath(new URL("../../flows/", import.meta.url));
const servers: ServerProcess[] = [];
const directories: string[] = [];

async function instance(): Promise<ServerProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), "botschaft-pg-instance-"));
  directories.push(dataDir);
  const server = await startServerProcess({
    args: [botschaftBin, "serve"],
    env: {
      DATABASE_URL: connectionString,
      BOTSCHAFT_DATABASE_SCHEMA: schema,
      BOTSCHAFT_SECRET: "a shared secret of at least thirty-two characters",
      BOTSCHAFT_ADMIN_TOKEN: "an admin token for both instances",
      BOTSCHAFT_DATA_DIR: dataDir,
      BOTSCHAFT_FLOWS_DIR: flowsDir,
      LOG_LEVEL: "warn",
    },
    readyPath: "/healthz",
  });
  servers.push(server);
  return server;
}

afterAll(async () => {
  for (const server of servers) await server.stop().catch(() => undefined);
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
  const admin = new pg.Client({ connectionString });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
});

async function call(server: ServerProcess, method: string, path: string, body?: unknown, token?: string) {
  const response = await fetch(`${server.url}/api/v1${path}`, {
    method,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: response.status === 204 ? undefined : ((await response.json()) as { messages?: OutgoingMessage[] } & Record<string, unknown>) };
}

describe("two runtime instances on one PostgreSQL database", () => {
  it("carry one conversation between them and erase it on both", async () => {
    const [left, right] = await Promise.all([instance(), instance()]);
    const started = await call(left, "POST", "/conversations", { flow: "callback-request" });
    expect(started.status).toBe(201);
    const { id, token } = started.json as { id: string; token: string };

    // Turns alternate between the instances; each sees the state the other stored.
    expect((await call(right, "POST", `/conversations/${id}/messages`, { choice: "Rückruf anfordern" }, token)).json?.messages).toContainEqual(
      expect.objectContaining({ type: "consent" }),
    );
    expect((await call(left, "POST", `/conversations/${id}/messages`, { choice: "accept" }, token)).status).toBe(200);
    expect((await call(right, "POST", `/conversations/${id}/messages`, { text: "Erika Mustermann" }, token)).status).toBe(200);

    const exported = await call(left, "GET", `/conversations/${id}/data`, undefined, token);
    expect(exported.json).toMatchObject({ fields: [expect.objectContaining({ field: "name", value: "Erika Mustermann" })] });

    // The stored state is sealed: the name is nowhere in the table in the clear.
    const admin = new pg.Client({ connectionString });
    await admin.connect();
    const { rows } = await admin.query(`SELECT * FROM ${schema}.conversations`);
    await admin.end();
    expect(JSON.stringify(rows)).not.toContain("Mustermann");

    await left.stop("SIGKILL");
    expect((await call(right, "DELETE", `/conversations/${id}`, undefined, token)).status).toBe(204);
    expect((await call(right, "GET", `/conversations/${id}/data`, undefined, token)).status).toBe(401);
  });
});
