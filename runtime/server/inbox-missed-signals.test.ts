/**
 * A visitor's stream when a signal never arrived (the connection between the instances broke
 * while it was sent, docs/inbox.md#real-time): the stream reads the store as soon as the signals
 * say that some may have been missed, not only on its slow timer.
 */
import type { Server } from "node:http";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryStore } from "../stores/embedded/memory-store.ts";
import { LocalSignals } from "../stores/ports/signals.ts";
import { createTestRuntime, type TestMember, type TestRuntime } from "../testing/create-test-runtime.ts";
import { type EventStreamClient, openEventStreamClient } from "../testing/event-stream-client.ts";
import { helpdeskFlow } from "../testing/live-chat-fixtures.ts";
import { visitorStreamSafetyReadMs } from "./inbox-routes.ts";

describe("a visitor's stream whose signal was lost", () => {
  const store = new MemoryStore();
  // Two instances on one store whose signals do not reach each other: every signal between them is lost.
  const visitorSignals = new LocalSignals();
  let visitorSide: TestRuntime;
  let agentSide: TestRuntime;
  let server: Server;
  let base: string;
  let agent: TestMember;
  let stream: EventStreamClient | undefined;

  beforeAll(async () => {
    visitorSide = await createTestRuntime({ store, signals: visitorSignals, flows: [{ id: "helpdesk", yaml: helpdeskFlow }], logLevel: "silent" });
    agentSide = await createTestRuntime({ store, signals: new LocalSignals(), flows: [{ id: "helpdesk", yaml: helpdeskFlow }], logLevel: "silent" });
    agent = await agentSide.member(["agent"]);
    server = visitorSide.app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  });

  afterAll(async () => {
    stream?.close();
    server.closeAllConnections();
    server.close();
    await visitorSide.stop();
    await agentSide.close();
  });

  it("reads what it missed once the signals say some may be lost", async () => {
    const started = await request(visitorSide.app).post("/api/v1/conversations").send({ flow: "helpdesk" }).expect(201);
    const { id, token } = started.body as { id: string; token: string };
    await request(visitorSide.app).post(`/api/v1/conversations/${id}/messages`).set("authorization", `Bearer ${token}`).send({ choice: "rechnung" }).expect(200);
    stream = openEventStreamClient(`${base}/api/v1/conversations/${id}/events`, { authorization: `Bearer ${token}` });
    expect(await stream.opened).toBe(200);

    const as = { cookie: agent.cookie, "x-csrf-token": agent.csrf };
    await request(agentSide.app).post(`/api/v1/inbox/${id}/claim`).set(as).expect(200);
    await request(agentSide.app).post(`/api/v1/inbox/${id}/messages`).set(as).send({ text: "Sind Sie noch da?" }).expect(201);
    // The signals never came: nothing on the stream, and its own read is a minute away.
    expect(visitorStreamSafetyReadMs).toBeGreaterThanOrEqual(60_000);
    await expect(stream.next(() => true, 500)).rejects.toThrow("no fitting event");

    visitorSignals.missed();
    expect((await stream.next(() => true, 2000)).data).toEqual({ type: "text", text: "Jemand aus unserem Team ist jetzt für Sie da." });
    expect((await stream.next(() => true, 2000)).data).toEqual({ type: "text", text: "Sind Sie noch da?" });
  });
});
