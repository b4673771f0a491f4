import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { openSealedJson, sealJson } from "../crypto/sealing.ts";
import { inbound, outboxEntry } from "../../stores/contracts/store-contract.ts";
import type { Store } from "../../stores/ports/store.ts";
import { openTestStore } from "../../testing/open-test-store.ts";
import type { PlatformCall } from "./channel.ts";
import { OutboxWorker, outboxContext } from "./outbox-worker.ts";
import type { PlatformClient, SendOutcome } from "./channel.ts";
import { eventually, testKeys } from "../../testing/create-test-runtime.ts";

function sealed(id: string, text: string): string {
  const call: PlatformCall = { method: "sendMessage", body: { chat_id: "1", text } };
  return sealJson(call, testKeys.stateEncryption, outboxContext(id));
}

/** A client that answers from a script, one outcome per call, then ok. */
function scriptedClient(script: SendOutcome[]): PlatformClient & { sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    async send(call) {
      sent.push(String(call.body.text));
      return script.shift() ?? { ok: true };
    },
  };
}

describe("OutboxWorker", () => {
  const workers: OutboxWorker[] = [];
  afterEach(async () => {
    for (const worker of workers.splice(0)) await worker.stop();
  });

  async function storeWith(entries: ReturnType<typeof outboxEntry>[]) {
    const store = await openTestStore("memory");
    await store.inbox.accept(inbound("k"));
    await store.inbox.complete({ channel: "telegram", key: "k", conversation: [], outbox: entries });
    return store;
  }

  function worker(store: Store, client: PlatformClient, logLines: string[] = []) {
    const started = new OutboxWorker({
      outbox: store.outbox,
      clients: new Map([["telegram", client]]),
      open: async (sealed: string, context: string) => (sealed.startsWith("gone.") ? undefined : openSealedJson(sealed, testKeys.stateEncryption, context)),
      clock: () => new Date(),
      logger: pino({ level: "trace" }, { write: (line: string) => void logLines.push(line) }),
      retry: { baseMs: 20, maxMs: 100, maxAttempts: 3 },
    });
    workers.push(started);
    started.kick();
    return started;
  }

  it("sends one recipient's replies in order, holding the later ones while an earlier one is retried", async () => {
    const store = await storeWith([outboxEntry("a:0", { sealedCall: sealed("a:0", "first") }), outboxEntry("a:1", { sealedCall: sealed("a:1", "second") })]);
    const client = scriptedClient([{ ok: false, retry: true, status: 502 }]);
    worker(store, client);
    await eventually(async () => (await store.outbox.pending()).length === 0);
    expect(client.sent).toEqual(["first", "first", "second"]);
  });

  it("gives up on a permanent 4xx and after the last retry, and goes on with the next reply", async () => {
    const store = await storeWith([outboxEntry("a:0", { sealedCall: sealed("a:0", "refused") }), outboxEntry("a:1", { sealedCall: sealed("a:1", "flaky") }), outboxEntry("a:2", { sealedCall: sealed("a:2", "last") })]);
    const down: SendOutcome = { ok: false, retry: true, status: 503 };
    const client = scriptedClient([{ ok: false, retry: false, status: 400, code: "400" }, down, down, down]);
    const logLines: string[] = [];
    worker(store, client, logLines);
    await eventually(async () => (await store.outbox.pending()).length === 0);
    expect(client.sent).toEqual(["refused", "flaky", "flaky", "flaky", "last"]);
    expect(logLines.filter((line) => line.includes("reply given up"))).toHaveLength(2);
  });

  it("neither crashes nor spins on a reply whose sealed call does not open, and serves other recipients meanwhile", async () => {
    const store = await storeWith([outboxEntry("a:0", { sealedCall: "s1.garbage.AAAA" }), outboxEntry("b:0", { conversationKey: "pseudonym-2", sealedCall: sealed("b:0", "other user") })]);
    const client = scriptedClient([]);
    const logLines: string[] = [];
    worker(store, client, logLines);
    await eventually(async () => (await store.outbox.pending()).length === 0);
    expect(client.sent).toEqual(["other user"]);
    expect(logLines.filter((line) => line.includes("reply could not be tried"))).toHaveLength(3);
  });

  it("drops a reply whose key was destroyed at once, without trying it, and says so in the log", async () => {
    const store = await storeWith([outboxEntry("a:0", { sealedCall: "gone.sealed" }), outboxEntry("a:1", { sealedCall: sealed("a:1", "next") })]);
    const client = scriptedClient([]);
    const logLines: string[] = [];
    worker(store, client, logLines);
    await eventually(async () => (await store.outbox.pending()).length === 0);
    expect(client.sent).toEqual(["next"]);
    expect(logLines.filter((line) => line.includes("reply dropped: its key was destroyed"))).toHaveLength(1);
  });

  it("sends each reply once, in order per recipient, when two instances share the store", async () => {
    const entries = ["u1", "u2", "u3"].flatMap((user) =>
      [0, 1, 2].map((index) => outboxEntry(`${user}:${index}`, { conversationKey: user, sealedCall: sealed(`${user}:${index}`, `${user}-${index}`) })),
    );
    const store = await storeWith(entries);
    const sent: string[] = [];
    // Slow sends keep both instances busy at once, so they meet at the same entries.
    const slowClient = (): PlatformClient => ({
      async send(call) {
        await new Promise((resolve) => setTimeout(resolve, 15));
        sent.push(String(call.body.text));
        return { ok: true };
      },
    });
    worker(store, slowClient());
    worker(store, slowClient());
    await eventually(async () => (await store.outbox.pending()).length === 0);
    expect([...sent].sort()).toEqual(entries.map((entry) => entry.id.replace(":", "-")).sort());
    for (const user of ["u1", "u2", "u3"]) {
      expect(sent.filter((text) => text.startsWith(user))).toEqual([`${user}-0`, `${user}-1`, `${user}-2`]);
    }
  });
});
