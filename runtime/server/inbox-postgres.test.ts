/**
 * The live chat across two runtime instances on one PostgreSQL database (docs/inbox.md#real-time):
 * the visitor's event stream is on one instance, the agent works on the other; messages reach
 * the other side through LISTEN/NOTIFY, and when the visitor's instance goes away the stream
 * resumes on the other one with nothing lost and nothing twice.
 */
import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import pg from "pg";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestRuntime, type TestMember, type TestRuntime } from "../testing/create-test-runtime.ts";
import { type EventStreamClient, openEventStreamClient } from "../testing/event-stream-client.ts";
import { helpdeskFlow } from "../testing/live-chat-fixtures.ts";
import { openTestStore, testDatabaseUrl } from "../testing/open-test-store.ts";

const schema = `botschaft_test_${randomBytes(6).toString("hex")}`;

async function instance(): Promise<{ runtime: TestRuntime; server: Server; base: string }> {
  const runtime = await createTestRuntime({ store: await openTestStore("postgres", { schema }), flows: [{ id: "helpdesk", yaml: helpdeskFlow }], logLevel: "silent" });
  const server = runtime.app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const address = server.address();
  return { runtime, server, base: `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}` };
}

describe("the live chat on two instances over PostgreSQL", () => {
  let left: Awaited<ReturnType<typeof instance>>;
  let right: Awaited<ReturnType<typeof instance>>;
  let agent: TestMember;
  const streams: EventStreamClient[] = [];

  beforeAll(async () => {
    left = await instance();
    right = await instance();
    agent = await right.runtime.member(["agent"]);
  });

  afterAll(async () => {
    for (const stream of streams) stream.close();
    for (const { server, runtime } of [left, right]) {
      server.closeAllConnections();
      server.close();
      await runtime.close().catch(() => undefined);
    }
    const admin = new pg.Client({ connectionString: testDatabaseUrl });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  it("carries messages both ways between the instances, and resumes the visitor's stream on the other instance", async () => {
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

    const as = { cookie: agent.cookie, "x-csrf-token": agent.csrf };
    await request(right.runtime.app).post(`/api/v1/inbox/${id}/claim`).set(as).expect(200);
    await request(right.runtime.app).post(`/api/v1/inbox/${id}/messages`).set(as).send({ text: "Hallo von der anderen Instanz" }).expect(201);
    expect((await stream.next()).data).toEqual({ type: "text", text: "Jemand aus unserem Team ist jetzt für Sie da." });
    const reply = await stream.next();
    expect(reply.data).toEqual({ type: "text", text: "Hallo von der anderen Instanz" });

    await request(left.runtime.app).post(`/api/v1/conversations/${id}/messages`).set(visitor).send({ text: "Danke!" }).expect(200);
    await nudges.next((event) => event.event === "message" && (event.data as { conversation: string }).conversation === id);
    const view = await request(right.runtime.app).get(`/api/v1/inbox/${id}`).set(as).expect(200);
    expect(view.body.messages.map((message: { message: { text: string } }) => message.message.text)).toContain("Danke!");

    // The visitor's instance goes away; the widget reconnects to the other one with the last id it saw.
    stream.close();
    await request(right.runtime.app).post(`/api/v1/inbox/${id}/messages`).set(as).send({ text: "Noch eine Frage?" }).expect(201);
    const resumed = openEventStreamClient(`${right.base}/api/v1/conversations/${id}/events`, { ...visitor, "last-event-id": String(reply.id) });
    streams.push(resumed);
    expect((await resumed.next()).data).toEqual({ type: "text", text: "Noch eine Frage?" });
    await expect(resumed.next(() => true, 300)).rejects.toThrow("no fitting event");
  });
});
