/**
 * A visitor's message during a live chat whose turn loses the compare-and-set against another
 * instance's turn on the same conversation (two instances on one store, docs/inbox.md#real-time):
 * the message reaches the agent exactly once, and the visitor is not asked to send it again.
 */
import { setTimeout as sleep } from "node:timers/promises";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryStore } from "../stores/embedded/memory-store.ts";
import { createTestRuntime, type TestRuntime } from "../testing/create-test-runtime.ts";
import { helpdeskFlow } from "../testing/live-chat-fixtures.ts";

describe("a live chat's visitor turn that meets a turn of another instance", () => {
  const store = new MemoryStore();
  // Writes take a moment, as over a network: both instances read the same revision before either writes.
  const update = store.conversations.update.bind(store.conversations);
  store.conversations.update = async (...args) => {
    await sleep(15);
    return update(...args);
  };
  let left: TestRuntime;
  let right: TestRuntime;

  beforeAll(async () => {
    // Two instances on one store, as on PostgreSQL: each serialises its own turns only.
    left = await createTestRuntime({ store, flows: [{ id: "helpdesk", yaml: helpdeskFlow }], logLevel: "silent" });
    right = await createTestRuntime({ store, flows: [{ id: "helpdesk", yaml: helpdeskFlow }], logLevel: "silent" });
  });

  afterAll(async () => {
    await left.stop();
    await right.close();
  });

  it("stores each message once, also when the visitor sends again what was refused (as the widget's retry does)", async () => {
    const started = await request(left.app).post("/api/v1/conversations").send({ flow: "helpdesk" }).expect(201);
    const { id, token } = started.body as { id: string; token: string };
    const visitor = { authorization: `Bearer ${token}` };
    await request(left.app).post(`/api/v1/conversations/${id}/messages`).set(visitor).send({ choice: "rechnung" }).expect(200);

    const statuses: number[] = [];
    const send = async (instance: TestRuntime, text: string) => {
      for (let attempt = 1; attempt <= 5; attempt++) {
        const response = await request(instance.app).post(`/api/v1/conversations/${id}/messages`).set(visitor).send({ text });
        statuses.push(response.status);
        if (response.status !== 409) return;
      }
    };
    const sent: string[] = [];
    for (let round = 0; round < 10; round++) {
      // The same moment on both instances (two tabs, or a load balancer): one of the turns loses the race.
      sent.push(`links ${round}`, `rechts ${round}`);
      await Promise.all([send(left, `links ${round}`), send(right, `rechts ${round}`)]);
    }

    const stored = await left.inbox.transcript(id);
    const texts = stored.filter((message) => message.from === "visitor").map((message) => (message.message.type === "text" ? message.message.text : ""));
    expect(texts.toSorted()).toEqual(sent.toSorted());
    // Nobody was asked to send again: the turn that lost the race was tried again on the server.
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
  });
});
