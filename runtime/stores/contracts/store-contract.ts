/**
 * The one contract every `Store` keeps, run by each implementation's test file:
 *
 * ```ts
 * storeContract("memory", { open: async () => new MemoryStore() });
 * ```
 *
 * A store that keeps nothing across a restart leaves `reopen` out; its restart test then checks
 * that each open starts empty, so the difference is tested rather than skipped.
 */
import { afterEach, describe, expect, it } from "vitest";
import type {
  ConversationRecord,
  Store,
  FlowVersionRecord,
  InboundRecord,
  NewConversationRecord,
  OutboxRecord,
} from "../ports/store.ts";

export interface StoreUnderTest {
  /** Opens a new, empty store. */
  open(): Promise<Store>;
  /** Closes `store` and opens the same data again; absent for stores that keep nothing across a restart. */
  reopen?: (store: Store) => Promise<Store>;
}

let nextId = 0;

/** A conversation that differs from every other one built here; `overrides` set what a test is about. */
export function newConversation(overrides: Partial<NewConversationRecord> = {}): NewConversationRecord {
  nextId += 1;
  return {
    id: `conversation-${nextId}-${Math.random().toString(36).slice(2)}`,
    tokenHash: `token-hash-${nextId}`,
    flow: "contact",
    version: "v1",
    sealedState: `sealed-${nextId}`,
    channel: "web",
    lastActivityAt: "2026-03-01T10:00:00.000Z",
    expiresAt: "2026-06-01T10:00:00.000Z",
    ...overrides,
  };
}

/** The record that follows `record` with the changes a turn makes. */
export function nextRevision(
  record: ConversationRecord,
  changes: Partial<ConversationRecord> = {},
): ConversationRecord {
  return { ...record, revision: record.revision + 1, sealedState: `${record.sealedState}+`, ...changes };
}

export function flowVersion(
  flow: string,
  version: string,
  overrides: Partial<FlowVersionRecord> = {},
): FlowVersionRecord {
  return { flow, version, yaml: `id: ${flow} # ${version}\n`, publishedAt: "2026-03-01T09:00:00.000Z", ...overrides };
}

/** A pending messenger delivery. */
export function inbound(key: string, overrides: Partial<InboundRecord> = {}): InboundRecord {
  return {
    channel: "telegram",
    key,
    conversationKey: "pseudonym-1",
    order: 1,
    sealedDelivery: `sealed-${key}`,
    receivedAt: "2026-03-01T10:00:00.000Z",
    ...overrides,
  };
}

/** An outbox entry as a completion passes it (the store adds the sequence). */
export function outboxEntry(id: string, overrides: Partial<OutboxRecord> = {}): Omit<OutboxRecord, "sequence"> {
  return {
    id,
    channel: "telegram",
    conversationKey: "pseudonym-1",
    sealedCall: `call-${id}`,
    attempts: 0,
    nextAttemptAt: "2026-03-01T10:00:00.000Z",
    ...overrides,
  };
}

/** A fixed permutation, so a failing order can be replayed. */
function interleaved<T>(items: readonly T[]): T[] {
  const odd = items.filter((_, index) => index % 2 === 1);
  const even = items.filter((_, index) => index % 2 === 0);
  return [...odd.reverse(), ...even];
}

export function storeContract(name: string, subject: StoreUnderTest): void {
  describe(`${name} store contract`, () => {
    const opened: Store[] = [];

    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close();
    });

    async function open(): Promise<Store> {
      const store = await subject.open();
      opened.push(store);
      return store;
    }

    async function created(store: Store, overrides: Partial<NewConversationRecord> = {}) {
      const record = newConversation(overrides);
      await store.createConversation(record);
      return { ...record, revision: 0 };
    }

    describe("conversations", () => {
      it("returns a created conversation at revision 0", async () => {
        const store = await open();
        const record = newConversation({ channelUser: "pseudonym-1" });
        await store.createConversation(record);
        expect(await store.getConversation(record.id)).toEqual({ ...record, revision: 0 });
      });

      it("returns undefined for an id it never stored", async () => {
        const store = await open();
        expect(await store.getConversation("no-such-id")).toBeUndefined();
      });

      it("rejects a second create with the same id and keeps the first", async () => {
        const store = await open();
        const first = await created(store);
        const second = newConversation({ id: first.id, sealedState: "other" });
        await expect(store.createConversation(second)).rejects.toMatchObject({ code: "conversation-exists" });
        expect(await store.getConversation(first.id)).toEqual(first);
      });

      it("keeps its own copies, so changing a record after create or get changes nothing stored", async () => {
        const store = await open();
        const record = newConversation();
        await store.createConversation(record);
        record.sealedState = "changed after create";
        const read = await store.getConversation(record.id);
        if (read) read.sealedState = "changed after get";
        expect((await store.getConversation(record.id))?.sealedState).not.toMatch(/changed/);
      });

      it("stores an update whose revision follows the stored one", async () => {
        const store = await open();
        const next = nextRevision(await created(store), { lastActivityAt: "2026-03-02T10:00:00.000Z" });
        expect(await store.updateConversation(next)).toBe(true);
        expect(await store.getConversation(next.id)).toEqual(next);
      });

      it("refuses an update that repeats or skips a revision and keeps the stored one", async () => {
        const store = await open();
        const record = await created(store);
        expect(await store.updateConversation({ ...record, sealedState: "same revision" })).toBe(false);
        expect(await store.updateConversation({ ...record, revision: 2, sealedState: "skipped one" })).toBe(false);
        expect(await store.getConversation(record.id)).toEqual(record);
      });

      it("lets exactly one of two updates from the same revision win, and stores the winner", async () => {
        const store = await open();
        const record = await created(store);
        const left = nextRevision(record, { sealedState: "left" });
        const right = nextRevision(record, { sealedState: "right" });
        const results = await Promise.all([store.updateConversation(left), store.updateConversation(right)]);
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await store.getConversation(record.id)).toEqual(results[0] ? left : right);
      });

      it("lets exactly one of many racing updates from the same revision win", async () => {
        const store = await open();
        const record = await created(store);
        const racers = Array.from({ length: 20 }, (_, index) =>
          nextRevision(record, { sealedState: `racer-${index}` }),
        );
        const results = await Promise.all(racers.map((racer) => store.updateConversation(racer)));
        const winners = racers.filter((_, index) => results[index]);
        expect(winners).toHaveLength(1);
        expect(await store.getConversation(record.id)).toEqual(winners[0]);
      });

      it("stores every one of a conversation's updates when each waits for the one before", async () => {
        const store = await open();
        let current = await created(store);
        for (let turn = 1; turn <= 10; turn++) {
          current = nextRevision(current, { sealedState: `turn-${turn}` });
          expect(await store.updateConversation(current)).toBe(true);
        }
        expect(await store.getConversation(current.id)).toEqual({ ...current, revision: 10, sealedState: "turn-10" });
      });

      it("applies concurrent updates of one conversation only as a gapless run of revisions", async () => {
        const store = await open();
        const record = await created(store);
        const chain = Array.from({ length: 12 }, (_, index) => ({
          ...record,
          revision: index + 1,
          sealedState: `revision-${index + 1}`,
        }));
        const order = interleaved(chain);
        const results = await Promise.all(order.map((next) => store.updateConversation(next)));
        const won = order
          .filter((_, index) => results[index])
          .map((next) => next.revision)
          .sort((a, b) => a - b);
        // A revision can only win on top of the one before it, so the winners are 1..n, whatever the arrival order.
        expect(won).toEqual(won.map((_, index) => index + 1));
        const stored = await store.getConversation(record.id);
        expect(stored).toEqual(won.length === 0 ? record : chain[won.length - 1]);
      });

      it("erases a conversation once and reports whether there was one", async () => {
        const store = await open();
        const record = await created(store);
        expect(await store.deleteConversation(record.id)).toBe(true);
        expect(await store.getConversation(record.id)).toBeUndefined();
        expect(await store.deleteConversation(record.id)).toBe(false);
      });

      it("never brings an erased conversation back through a late update", async () => {
        const store = await open();
        const record = await created(store);
        await store.deleteConversation(record.id);
        expect(await store.updateConversation(nextRevision(record))).toBe(false);
        expect(await store.getConversation(record.id)).toBeUndefined();
      });

      it("lets an erased conversation's id be created anew", async () => {
        const store = await open();
        const record = await created(store);
        await store.deleteConversation(record.id);
        const again = newConversation({ id: record.id, sealedState: "fresh" });
        await store.createConversation(again);
        expect(await store.getConversation(record.id)).toEqual({ ...again, revision: 0 });
      });
    });

    describe("channel users", () => {
      it("finds a conversation by its channel user's pseudonym on that channel only", async () => {
        const store = await open();
        const record = await created(store, { channel: "telegram", channelUser: "pseudonym-a" });
        await created(store, { channel: "telegram", channelUser: "pseudonym-b" });
        expect(await store.findByChannelUser("telegram", "pseudonym-a")).toEqual(record);
        expect(await store.findByChannelUser("whatsapp", "pseudonym-a")).toBeUndefined();
        expect(await store.findByChannelUser("telegram", "pseudonym-c")).toBeUndefined();
      });

      it("finds the most recently active conversation when the user has several", async () => {
        const store = await open();
        const user = { channel: "telegram", channelUser: "pseudonym-several" };
        await created(store, { ...user, lastActivityAt: "2026-03-01T10:00:00.000Z" });
        const latest = await created(store, { ...user, lastActivityAt: "2026-03-03T10:00:00.000Z" });
        await created(store, { ...user, lastActivityAt: "2026-03-02T10:00:00.000Z" });
        expect(await store.findByChannelUser("telegram", "pseudonym-several")).toEqual(latest);
      });

      it("follows updates and erasure of the conversation", async () => {
        const store = await open();
        const record = await created(store, { channel: "telegram", channelUser: "pseudonym-old" });
        const moved = nextRevision(record, { channelUser: "pseudonym-new" });
        await store.updateConversation(moved);
        expect(await store.findByChannelUser("telegram", "pseudonym-old")).toBeUndefined();
        expect(await store.findByChannelUser("telegram", "pseudonym-new")).toEqual(moved);
        await store.deleteConversation(record.id);
        expect(await store.findByChannelUser("telegram", "pseudonym-new")).toBeUndefined();
      });
    });

    describe("retention", () => {
      const now = "2026-06-01T12:00:00.000Z";

      it("erases conversations expired at or before now, earliest first, and keeps the rest", async () => {
        const store = await open();
        const atNow = await created(store, { expiresAt: now });
        const earlier = await created(store, { expiresAt: "2026-05-31T12:00:00.000Z" });
        const later = await created(store, { expiresAt: "2026-06-01T12:00:00.001Z" });
        expect(await store.deleteExpired(now)).toEqual([earlier.id, atNow.id]);
        expect(await store.getConversation(earlier.id)).toBeUndefined();
        expect(await store.getConversation(atNow.id)).toBeUndefined();
        expect(await store.getConversation(later.id)).toEqual(later);
        expect(await store.deleteExpired(now)).toEqual([]);
      });

      it("erases at most `limit` conversations per call, the earliest expired first", async () => {
        const store = await open();
        const expired = [];
        for (const day of ["03", "01", "02"])
          expired.push(await created(store, { expiresAt: `2026-05-${day}T00:00:00.000Z` }));
        expect(await store.deleteExpired(now, 2)).toEqual([expired[1]?.id, expired[2]?.id]);
        expect(await store.deleteExpired(now, 2)).toEqual([expired[0]?.id]);
      });

      it("keeps a conversation whose update moved its expiry past now", async () => {
        const store = await open();
        const record = await created(store, { expiresAt: "2026-05-01T00:00:00.000Z" });
        const extended = nextRevision(record, { expiresAt: "2026-08-01T00:00:00.000Z" });
        await store.updateConversation(extended);
        expect(await store.deleteExpired(now)).toEqual([]);
        expect(await store.getConversation(record.id)).toEqual(extended);
      });
    });

    describe("flow versions", () => {
      it("returns a published version and makes it current", async () => {
        const store = await open();
        const published = flowVersion("contact", "hash-1");
        await store.publishFlowVersion(published);
        expect(await store.getFlowVersion("contact", "hash-1")).toEqual(published);
        expect(await store.currentFlowVersion("contact")).toEqual(published);
      });

      it("never overwrites a stored version when the same version is published again", async () => {
        const store = await open();
        const first = flowVersion("contact", "hash-1");
        await store.publishFlowVersion(first);
        await store.publishFlowVersion(
          flowVersion("contact", "hash-1", { yaml: "changed", publishedAt: "2026-04-01T00:00:00.000Z" }),
        );
        expect(await store.getFlowVersion("contact", "hash-1")).toEqual(first);
      });

      it("makes the most recently published version current, also when it is an older one again", async () => {
        const store = await open();
        const first = flowVersion("contact", "hash-1");
        const second = flowVersion("contact", "hash-2", { publishedAt: "2026-03-02T09:00:00.000Z" });
        await store.publishFlowVersion(first);
        await store.publishFlowVersion(second);
        expect(await store.currentFlowVersion("contact")).toEqual(second);
        await store.publishFlowVersion(flowVersion("contact", "hash-1", { publishedAt: "2026-03-03T09:00:00.000Z" }));
        expect(await store.currentFlowVersion("contact")).toEqual(first);
        expect(await store.getFlowVersion("contact", "hash-2")).toEqual(second);
      });

      it("returns undefined for an unknown flow or version", async () => {
        const store = await open();
        await store.publishFlowVersion(flowVersion("contact", "hash-1"));
        expect(await store.getFlowVersion("contact", "hash-unknown")).toBeUndefined();
        expect(await store.getFlowVersion("unknown", "hash-1")).toBeUndefined();
        expect(await store.currentFlowVersion("unknown")).toBeUndefined();
      });

      it("lists each published flow once, sorted", async () => {
        const store = await open();
        expect(await store.listFlows()).toEqual([]);
        for (const [flow, version] of [
          ["support", "a"],
          ["contact", "b"],
          ["support", "c"],
        ] as const) {
          await store.publishFlowVersion(flowVersion(flow, version));
        }
        expect(await store.listFlows()).toEqual(["contact", "support"]);
      });
    });

    describe("settings", () => {
      it("returns undefined for an unset key and the last value put", async () => {
        const store = await open();
        expect(await store.getSetting("admin-token-hash")).toBeUndefined();
        await store.putSetting("admin-token-hash", "first");
        await store.putSetting("admin-token-hash", "second");
        expect(await store.getSetting("admin-token-hash")).toBe("second");
      });
    });

    describe("messenger inbox and outbox", () => {
      it("accepts a delivery key once per channel and lists pending deliveries per conversation in platform order", async () => {
        const store = await open();
        expect(await store.acceptInbound(inbound("k2", { order: 2 }))).toBe(true);
        expect(await store.acceptInbound(inbound("k1", { order: 1 }))).toBe(true);
        expect(await store.acceptInbound(inbound("k1", { order: 1, sealedDelivery: "other" }))).toBe(false);
        expect(await store.acceptInbound(inbound("k1", { channel: "whatsapp" }))).toBe(true);
        expect(await store.acceptInbound(inbound("k0", { conversationKey: "pseudonym-0", order: 9 }))).toBe(true);
        expect((await store.pendingInbound()).map((record) => `${record.channel}:${record.key}`)).toEqual([
          "telegram:k0",
          "telegram:k1",
          "whatsapp:k1",
          "telegram:k2",
        ]);
      });

      it("completes a delivery together with its conversation and replies, and refuses it as a duplicate afterwards", async () => {
        const store = await open();
        await store.acceptInbound(inbound("k1"));
        const record = newConversation({ channel: "telegram", channelUser: "pseudonym-1" });
        const result = await store.completeInbound({
          channel: "telegram",
          key: "k1",
          conversation: [{ op: "create", record }],
          outbox: [outboxEntry("k1:0"), outboxEntry("k1:1", { notAfter: "2026-03-02T10:00:00.000Z" })],
        });
        expect(result).toBe("completed");
        expect(await store.getConversation(record.id)).toEqual({ ...record, revision: 0 });
        expect(await store.pendingInbound()).toEqual([]);
        const outbox = await store.pendingOutbox();
        expect(outbox.map((entry) => entry.id)).toEqual(["k1:0", "k1:1"]);
        expect(outbox[0]?.sequence).toBeLessThan(outbox[1]?.sequence ?? 0);
        expect(outbox[1]).toMatchObject(outboxEntry("k1:1", { notAfter: "2026-03-02T10:00:00.000Z" }));
        expect(await store.acceptInbound(inbound("k1"))).toBe(false);
        expect(await store.completeInbound({ channel: "telegram", key: "k1", conversation: [], outbox: [] })).toBe("not-pending");
      });

      it("writes nothing of a completion whose conversation check fails", async () => {
        const store = await open();
        const existing = await created(store, { channel: "telegram", channelUser: "pseudonym-1" });
        await store.acceptInbound(inbound("k1"));
        const stale = nextRevision(nextRevision(existing));
        const result = await store.completeInbound({
          channel: "telegram",
          key: "k1",
          conversation: [{ op: "update", record: stale }],
          outbox: [outboxEntry("k1:0")],
        });
        expect(result).toBe("conflict");
        expect(await store.getConversation(existing.id)).toEqual(existing);
        expect(await store.pendingOutbox()).toEqual([]);
        expect((await store.pendingInbound()).map((record) => record.key)).toEqual(["k1"]);
      });

      it("applies a completion's conversation changes in order: erase one, create the next", async () => {
        const store = await open();
        const ended = await created(store, { channel: "telegram", channelUser: "pseudonym-1" });
        await store.acceptInbound(inbound("k1"));
        const fresh = newConversation({ channel: "telegram", channelUser: "pseudonym-1" });
        const result = await store.completeInbound({
          channel: "telegram",
          key: "k1",
          conversation: [{ op: "delete", id: ended.id }, { op: "create", record: fresh }],
          outbox: [],
        });
        expect(result).toBe("completed");
        expect(await store.getConversation(ended.id)).toBeUndefined();
        expect(await store.findByChannelUser("telegram", "pseudonym-1")).toEqual({ ...fresh, revision: 0 });
      });

      it("reschedules and finishes outbox entries", async () => {
        const store = await open();
        await store.acceptInbound(inbound("k1"));
        await store.completeInbound({ channel: "telegram", key: "k1", conversation: [], outbox: [outboxEntry("k1:0"), outboxEntry("k1:1")] });
        expect(await store.rescheduleOutbox("k1:0", 1, "2026-03-01T10:00:05.000Z")).toBe(true);
        expect((await store.pendingOutbox())[0]).toMatchObject({ id: "k1:0", attempts: 1, nextAttemptAt: "2026-03-01T10:00:05.000Z" });
        expect(await store.finishOutbox("k1:0")).toBe(true);
        expect(await store.finishOutbox("k1:0")).toBe(false);
        expect(await store.rescheduleOutbox("k1:0", 2, "2026-03-01T10:00:09.000Z")).toBe(false);
        expect((await store.pendingOutbox()).map((entry) => entry.id)).toEqual(["k1:1"]);
      });

      it("lets one sender claim an outbox entry until its claim runs out", async () => {
        const store = await open();
        await store.acceptInbound(inbound("k1"));
        await store.completeInbound({ channel: "telegram", key: "k1", conversation: [], outbox: [outboxEntry("k1:0")] });
        const at = (second: number) => `2026-03-01T10:00:${String(second).padStart(2, "0")}.000Z`;
        expect(await store.claimOutbox("k1:0", "left", at(0), at(30))).toBe(true);
        expect(await store.claimOutbox("k1:0", "right", at(10), at(40))).toBe(false);
        expect(await store.claimOutbox("k1:0", "left", at(20), at(50))).toBe(true);
        expect(await store.claimOutbox("k1:0", "right", at(49), at(59))).toBe(false);
        expect(await store.claimOutbox("k1:0", "right", at(50), at(59))).toBe(true);
        expect(await store.claimOutbox("k1:missing", "left", at(0), at(30))).toBe(false);
        await store.finishOutbox("k1:0");
        expect(await store.claimOutbox("k1:0", "right", at(51), at(59))).toBe(false);
      });

      it("purges processed keys received before a time and keeps pending and newer ones", async () => {
        const store = await open();
        await store.acceptInbound(inbound("old", { receivedAt: "2026-03-01T10:00:00.000Z" }));
        await store.completeInbound({ channel: "telegram", key: "old", conversation: [], outbox: [] });
        await store.acceptInbound(inbound("old-pending", { receivedAt: "2026-03-01T10:00:00.000Z" }));
        await store.acceptInbound(inbound("new", { receivedAt: "2026-03-09T10:00:00.000Z" }));
        await store.completeInbound({ channel: "telegram", key: "new", conversation: [], outbox: [] });
        expect(await store.purgeInbox("2026-03-08T10:00:00.000Z")).toBe(1);
        expect(await store.acceptInbound(inbound("old"))).toBe(true);
        expect(await store.acceptInbound(inbound("new"))).toBe(false);
        expect((await store.pendingInbound()).map((record) => record.key).sort()).toEqual(["old", "old-pending"]);
      });
    });

    describe("lifecycle", () => {
      it("rejects every call after close with store-closed", async () => {
        const store = await open();
        await store.close();
        await expect(store.getConversation("any")).rejects.toMatchObject({ code: "store-closed" });
        await expect(store.createConversation(newConversation())).rejects.toMatchObject({ code: "store-closed" });
        await expect(store.putSetting("key", "value")).rejects.toMatchObject({ code: "store-closed" });
      });

      const reopen = subject.reopen;
      if (!reopen) {
        // A store without persistence (memory) promises the opposite: each open starts empty.
        it("starts empty on every open, keeping nothing across a restart", async () => {
          const first = await open();
          await created(first);
          await first.putSetting("admin-token-hash", "kept?");
          const second = await open();
          expect(await second.getSetting("admin-token-hash")).toBeUndefined();
          expect(await second.listFlows()).toEqual([]);
        });
        return;
      }

      it("keeps everything across close and reopen", async () => {
        const store = await open();
        const kept = await created(store, { channel: "telegram", channelUser: "pseudonym-kept" });
        const updated = nextRevision(kept, { sealedState: "after update" });
        await store.updateConversation(updated);
        const erased = await created(store);
        await store.deleteConversation(erased.id);
        const first = flowVersion("contact", "hash-1");
        await store.publishFlowVersion(first);
        await store.publishFlowVersion(flowVersion("contact", "hash-2"));
        await store.publishFlowVersion(flowVersion("contact", "hash-1", { yaml: "ignored" }));
        await store.putSetting("admin-token-hash", "hash");
        await store.acceptInbound(inbound("done"));
        await store.completeInbound({ channel: "telegram", key: "done", conversation: [], outbox: [outboxEntry("done:0"), outboxEntry("done:1")] });
        await store.finishOutbox("done:0");
        await store.acceptInbound(inbound("waiting", { order: 7 }));

        const again = await reopen(store);
        opened.push(again);
        expect(await again.getConversation(kept.id)).toEqual(updated);
        expect(await again.getConversation(erased.id)).toBeUndefined();
        expect(await again.findByChannelUser("telegram", "pseudonym-kept")).toEqual(updated);
        expect(await again.currentFlowVersion("contact")).toEqual(first);
        expect(await again.getFlowVersion("contact", "hash-2")).toEqual(flowVersion("contact", "hash-2"));
        expect(await again.listFlows()).toEqual(["contact"]);
        expect(await again.getSetting("admin-token-hash")).toBe("hash");
        expect(await again.updateConversation(nextRevision(updated))).toBe(true);
        expect(await again.acceptInbound(inbound("done"))).toBe(false);
        expect(await again.pendingInbound()).toEqual([inbound("waiting", { order: 7 })]);
        expect((await again.pendingOutbox()).map((entry) => entry.id)).toEqual(["done:1"]);
      });
    });
  });
}
