/**
 * The live chat across two runtime instances on one PostgreSQL database with `REDIS_URL` set
 * (docs/inbox.md#real-time): the visitor is on one instance, the agent on the other, and the
 * signals between them go through Redis pub/sub — no instance listens on PostgreSQL.
 */
import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import pg from "pg";
import { createClient } from "redis";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisSignals } from "../stores/redis/signals.ts";
import { createTestRuntime, type TestMember, type TestRuntime } from "../testing/create-test-runtime.ts";
import { type EventStreamClient, openEventStreamClient } from "../testing/event-stream-client.ts";
import { helpdeskFlow } from "../testing/live-chat-fixtures.ts";
import { openTestStore, testDatabaseUrl } from "../testing/open-test-store.ts";

const redisUrl = process.env.BOTSCHAFT_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const schema = `botschaft_test_${randomBytes(6).toString("hex")}`;

interface Instance {
  runtime: TestRuntime;
  signals: RedisSignals;
  server: Server;
  base: string;
}

async function instance(): Promise<Instance> {
  // As main.ts builds it with REDIS_URL and DATABASE_URL set: the channel named by the schema.
  const signals = new RedisSignals({ url: redisUrl, channel: schema });
  const runtime = await createTestRuntime({ store: await openTestStore("postgres", { schema }), signals, flows: [{ id: "helpdesk", yaml: helpdeskFlow }], logLevel: "silent" });
  const server = runtime.app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const address = server.address();
  return { runtime, signals, server, base: `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}` };
}

describe("the live chat on two instances over PostgreSQL, with signals through Redis", () => {
  let left: Instance;
  let right: Instance;
  let agent: TestMember;
  const spy = createClient({ url: redisUrl });
  const overRedis: { kind: string; conversation: string }[] = [];
  const streams: EventStreamClient[] = [];

  beforeAll(async () => {
    left = await instance();
    right = await instance();
    agent = await right.runtime.member(["agent"]);
    await Promise.all([left.signals.listening(), right.signals.listening()]);
    // A third subscriber on the deployment's channel sees what the instances tell each other.
    await spy.connect();
    await spy.subscribe(`botschaft:${schema}:live-chat`, (payload) => overRedis.push(JSON.parse(payload) as { kind: string; conversation: string }));
  });

  afterAll(async () => {
    for (const stream of streams) stream.close();
    for (const { server, runtime, signals } of [left, right]) {
      server.closeAllConnections();
      server.close();
      await runtime.close().catch(() => undefined);
      await signals.close();
    }
    await spy.close();
    const admin = new pg.Client({ connectionString: testDatabaseUrl });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  it("carries messages both ways between the instances through Redis, and nobody listens on PostgreSQL", async () => {
    const started = await request(left.runtime.app).post("/api/v1/conversations").send({ flow: "helpdesk" }).expect(201);
    const { id, token } = started.body as { id: string; token: string };
    const visitor = { authorization: `Bearer ${token}` };
    await request(left.runtime.app).post(`/api/v1/conversations/${id}/messages`).set(visitor).send({ choice: "rechnung" }).expect(200);
    const stream = openEventStreamClient(`${left.base}/api/v1/conversations/${id}/events`, visitor);
    streams.push(stream);
    expect(await stream.opened).toBe(200);
    const nudges = openEventStreamClient(`${right.base}/api/v1/inbox/events`, { cookie: agent.cookie });
    streams.push(nudges);
    await nudges.opened;

    // Agent → visitor: written on the right instance, on the visitor's stream at the left one within a moment (its own reads come only every 5 s).
    const as = { cookie: agent.cookie, "x-csrf-token": agent.csrf };
    await request(right.runtime.app).post(`/api/v1/inbox/${id}/claim`).set(as).expect(200);
    const sentAt = Date.now();
    await request(right.runtime.app).post(`/api/v1/inbox/${id}/messages`).set(as).send({ text: "Hallo über Redis" }).expect(201);
    expect((await stream.next()).data).toEqual({ type: "text", text: "Jemand aus unserem Team ist jetzt für Sie da." });
    expect((await stream.next()).data).toEqual({ type: "text", text: "Hallo über Redis" });
    expect(Date.now() - sentAt).toBeLessThan(2500);

    // Visitor → agent: written on the left instance, nudged on the agent's stream at the right one.
    await request(left.runtime.app).post(`/api/v1/conversations/${id}/messages`).set(visitor).send({ text: "Danke!" }).expect(200);
    await nudges.next((event) => event.event === "message" && (event.data as { conversation: string }).conversation === id);
    const view = await request(right.runtime.app).get(`/api/v1/inbox/${id}`).set(as).expect(200);
    expect(view.body.messages.map((message: { message: { text: string } }) => message.message.text)).toContain("Danke!");

    // Redis carried the signals of both directions: names and numbers only, never the text.
    await expect.poll(() => overRedis.filter((signal) => signal.conversation === id && signal.kind === "message").length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(overRedis)).not.toContain("Danke");
    // And no instance opened a listening connection on the database.
    const admin = new pg.Client({ connectionString: testDatabaseUrl });
    await admin.connect();
    try {
      const listening = await admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1", [`${schema} (signals)`]);
      expect(listening.rows[0].n).toBe(0);
    } finally {
      await admin.end();
    }
  });
});
