/**
 * "An instance killed while agents are connected: they reconnect to another instance and see the
 * same state" (docs/inbox.md#real-time), on two real server processes on one PostgreSQL
 * database. The agent's inbox events and the visitor's stream are on instance A; A is killed
 * with SIGKILL; both reconnect to B — the visitor with `Last-Event-ID` — and see the claim and
 * every message that was acknowledged, once, and the chat goes on through B.
 *
 * Over the network on purpose (CONTRIBUTING.md#tests): the subject is the death of a process.
 */
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EventStreamClient, openEventStreamClient } from "../testing/event-stream-client.ts";
import { helpdeskFlow } from "../testing/live-chat-fixtures.ts";
import { testDatabaseUrl } from "../testing/open-test-store.ts";
import { botschaftBin, type ServerProcess, startServerProcess } from "../testing/server-process.ts";

const redisUrl = process.env.BOTSCHAFT_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const adminToken = "inbox-failover-admin-token-0123456789";

interface View {
  state: string;
  mine: boolean;
  claimedBy?: string;
  messages: { seq: number; from: string; message: { text?: string } }[];
}

describe.each<{ signals: string; env: Record<string, string> }>([
  { signals: "LISTEN/NOTIFY", env: {} },
  { signals: "Redis pub/sub", env: { REDIS_URL: redisUrl } },
])("the live chat when the instance its agent and visitor are connected to is killed, signals through $signals", ({ env }) => {
  const schema = `botschaft_test_${randomBytes(6).toString("hex")}`;
  let directory: string;
  let a: ServerProcess;
  let b: ServerProcess;
  const servers: ServerProcess[] = [];
  const streams: EventStreamClient[] = [];

  async function start(): Promise<ServerProcess> {
    const server = await startServerProcess({
      args: [botschaftBin, "serve"],
      env: {
        DATABASE_URL: testDatabaseUrl,
        BOTSCHAFT_DATABASE_SCHEMA: schema,
        BOTSCHAFT_SECRET: "inbox-failover-secret-0123456789abcdef",
        BOTSCHAFT_ADMIN_TOKEN: adminToken,
        BOTSCHAFT_DATA_DIR: join(directory, "data"),
        BOTSCHAFT_FLOWS_DIR: join(directory, "flows"),
        BOTSCHAFT_RATE_MESSAGES: "100000",
        BOTSCHAFT_RATE_CONVERSATIONS: "100000",
        LOG_LEVEL: "warn",
        ...env,
      },
      readyPath: "/healthz",
      readyTimeoutMs: 60_000,
    });
    servers.push(server);
    return server;
  }

  function stream(url: string, headers: Record<string, string>): EventStreamClient {
    const opened = openEventStreamClient(url, headers);
    streams.push(opened);
    return opened;
  }

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), "botschaft-failover-"));
    await mkdir(join(directory, "flows"));
    await writeFile(join(directory, "flows", "helpdesk.yaml"), helpdeskFlow);
    // One after the other: the first creates the tables.
    a = await start();
    b = await start();
  }, 180_000);

  afterAll(async () => {
    for (const opened of streams) opened.close();
    await Promise.all(servers.map((server) => server.stop("SIGKILL")));
    await rm(directory, { recursive: true, force: true });
    const admin = new pg.Client({ connectionString: testDatabaseUrl });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  it("lets agent and visitor reconnect to the other instance and see the claim and every message once", async () => {
    const call = async (server: ServerProcess, method: string, path: string, headers: Record<string, string>, body?: unknown) => {
      const response = await fetch(`${server.url}/api/v1${path}`, {
        method,
        headers: { "content-type": "application/json", ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(20_000),
      });
      return { status: response.status, json: response.status === 204 ? undefined : ((await response.json()) as unknown) };
    };

    // An agent with an API token of its own; a visitor at the handover; both on A.
    const created = await call(a, "POST", "/tokens", { authorization: `Bearer ${adminToken}` }, { name: "Failover-Agentin", roles: ["agent"] });
    expect(created.status).toBe(201);
    const agent = { authorization: `Bearer ${(created.json as { token: string }).token}` };
    const started = await call(a, "POST", "/conversations", {}, { flow: "helpdesk" });
    const { id, token } = started.json as { id: string; token: string };
    const visitor = { authorization: `Bearer ${token}` };
    expect((await call(a, "POST", `/conversations/${id}/messages`, visitor, { choice: "rechnung" })).status).toBe(200);

    const onA = stream(`${a.url}/api/v1/conversations/${id}/events`, visitor);
    const nudgesOnA = stream(`${a.url}/api/v1/inbox/events`, agent);
    expect(await onA.opened).toBe(200);
    expect(await nudgesOnA.opened).toBe(200);
    expect((await call(a, "POST", `/inbox/${id}/claim`, agent)).status).toBe(200);
    expect((await call(a, "POST", `/inbox/${id}/messages`, agent, { text: "eins" })).status).toBe(201);
    // The visitor's message reaches B (a load balancer's choice); the agent on A is nudged across instances.
    expect((await call(b, "POST", `/conversations/${id}/messages`, visitor, { text: "frage eins" })).status).toBe(200);
    await nudgesOnA.next((event) => event.event === "message" && (event.data as { conversation: string }).conversation === id);
    // With REDIS_URL no instance listens on the database; without, A does (B's streams follow nothing yet).
    const admin = new pg.Client({ connectionString: testDatabaseUrl });
    await admin.connect();
    const listening = await admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE query = $1", [`LISTEN ${schema}_live_chat`]).finally(() => admin.end());
    expect(listening.rows[0].n).toBe(env.REDIS_URL ? 0 : 1);
    expect((await onA.next()).data).toEqual({ type: "text", text: "Jemand aus unserem Team ist jetzt für Sie da." });
    const lastOnA = await onA.next();
    expect(lastOnA.data).toEqual({ type: "text", text: "eins" });

    // A reply the agent got acknowledged on A just before A died, which the visitor's stream on A may not have carried.
    expect((await call(a, "POST", `/inbox/${id}/messages`, agent, { text: "zwei" })).status).toBe(201);
    process.kill(a.pid, "SIGKILL");
    expect((await a.exited).signal).toBe("SIGKILL");
    await Promise.all([onA.ended, nudgesOnA.ended]);

    // Both reconnect to B: the visitor after the last number its stream had, the agent reloads what it shows.
    const onB = stream(`${b.url}/api/v1/conversations/${id}/events`, { ...visitor, "last-event-id": String(lastOnA.id) });
    const nudgesOnB = stream(`${b.url}/api/v1/inbox/events`, agent);
    expect(await onB.opened).toBe(200);
    expect(await nudgesOnB.opened).toBe(200);
    const queue = await call(b, "GET", "/inbox", agent);
    expect((queue.json as { conversations: { id: string; state: string; mine: boolean }[] }).conversations).toContainEqual(
      expect.objectContaining({ id, state: "claimed", mine: true, claimedByName: "token:Failover-Agentin" }),
    );
    const texts = (view: View) => view.messages.map((message) => `${message.from}:${message.message.text}`);
    const seen = (await call(b, "GET", `/inbox/${id}`, agent)).json as View;
    expect(seen).toMatchObject({ state: "claimed", mine: true });
    expect(texts(seen)).toEqual(["bot:Jemand aus unserem Team ist jetzt für Sie da.", "agent:eins", "visitor:frage eins", "agent:zwei"]);
    expect(seen.messages.map((message) => message.seq)).toEqual([1, 2, 3, 4]);

    // The visitor's resumed stream carries what it missed, and nothing it had.
    expect((await onB.next()).data).toEqual({ type: "text", text: "zwei" });

    // The chat goes on through B, both ways, with the claim intact.
    expect((await call(b, "POST", `/inbox/${id}/messages`, agent, { text: "drei" })).status).toBe(201);
    expect((await onB.next()).data).toEqual({ type: "text", text: "drei" });
    expect((await call(b, "POST", `/conversations/${id}/messages`, visitor, { text: "frage zwei" })).status).toBe(200);
    await nudgesOnB.next((event) => event.event === "message" && (event.data as { conversation: string }).conversation === id);
    const after = (await call(b, "GET", `/inbox/${id}?after=4`, agent)).json as View;
    expect(texts(after)).toEqual(["agent:drei", "visitor:frage zwei"]);
    await expect(onB.next(() => true, 500)).rejects.toThrow("no fitting event");
    expect(onB.events.map((event) => event.id)).toEqual(["4", "5"]);
  }, 60_000);
});
