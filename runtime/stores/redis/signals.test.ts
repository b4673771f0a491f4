/**
 * Redis pub/sub signals against a real Redis: the signals contract, and what only a connection
 * from outside can send. The server comes from BOTSCHAFT_TEST_REDIS_URL, by default the local one
 * every machine of this project runs (127.0.0.1:6379). The tests do not skip when it is missing:
 * they fail and say where they looked.
 */
import { randomBytes } from "node:crypto";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signalsContract } from "../contracts/signals.contract.ts";
import { RedisSignals } from "./signals.ts";

const url = process.env.BOTSCHAFT_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const admin = createClient({ url });

beforeAll(async () => {
  await admin.connect().catch((error: unknown) => {
    throw new Error(`Redis is not reachable at ${url} (set BOTSCHAFT_TEST_REDIS_URL): ${(error as Error).message}`);
  });
});

afterAll(async () => {
  await admin.close();
});

const opened: RedisSignals[] = [];
const channelOf = new Map<RedisSignals, string>();

function deployment(count: number): RedisSignals[] {
  const channel = `botschaft_test_${randomBytes(6).toString("hex")}`;
  return Array.from({ length: count }, () => {
    const signals = new RedisSignals({ url, channel, maxReconnectMs: 200 });
    opened.push(signals);
    channelOf.set(signals, channel);
    return signals;
  });
}

signalsContract("redis pub/sub", {
  open: async (count) => deployment(count),
  interrupt: async (instances) => {
    // Every connection of these instances, found by the name each client gives itself.
    const names = new Set(instances.map((instance) => channelOf.get(instance as RedisSignals)).map((channel) => `botschaft:${channel}`));
    const clients = (await admin.clientList()).filter((client) => names.has(client.name));
    expect(clients).toHaveLength(instances.length * 2);
    for (const client of clients) await admin.clientKill({ filter: "ID", id: Number(client.id) });
  },
  close: async () => {
    for (const signals of opened.splice(0)) await signals.close();
  },
});

describe("redis signals", () => {
  it("drops what another client publishes on the channel that is not a signal", async () => {
    const [signals] = deployment(1) as [RedisSignals];
    const seen: unknown[] = [];
    signals.subscribe((signal) => seen.push(signal));
    await signals.listening();
    const channel = `botschaft:${channelOf.get(signals)}:live-chat`;
    for (const payload of ["not json", "null", JSON.stringify({ kind: "message", conversation: "c1" }), JSON.stringify({ kind: "message", conversation: "c1", seq: 2, from: "someone" }), JSON.stringify({ kind: "message", conversation: "c1", seq: 2, from: "agent", agent: 7 }), JSON.stringify({ kind: "erase-everything", conversation: "c1" })]) {
      await admin.publish(channel, payload);
    }
    await admin.publish(channel, JSON.stringify({ kind: "queue", conversation: "c1", origin: "another instance" }));
    await expect.poll(() => seen, { timeout: 5000 }).toEqual([{ kind: "queue", conversation: "c1" }]);
    await signals.close();
  });

  it("keeps trying while Redis cannot be reached, tells once, and closes all the same", async () => {
    const errors: string[] = [];
    const signals = new RedisSignals({ url: "redis://127.0.0.1:1", channel: "nowhere", maxReconnectMs: 50, onError: (error) => errors.push(error.message) });
    let connected = false;
    void signals.listening().then(() => {
      connected = true;
    }, () => undefined);
    signals.publish({ kind: "queue", conversation: "c1" });
    await expect.poll(() => errors.length, { timeout: 5000 }).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Two connections, each told once for the outage, however often it was tried.
    expect(errors.length).toBeLessThanOrEqual(2);
    await signals.close();
    expect(connected).toBe(false);
  });
});
