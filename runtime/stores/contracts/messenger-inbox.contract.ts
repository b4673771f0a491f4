/** Contract suite for the messenger inbox and outbox roles: intake with dedupe, atomic completion, claims, retries. Run on every store by `store-contract.ts`. */
import { describe, expect, it } from "vitest";
import { inbound, newConversation, nextRevision, outboxEntry, storeFixture, type StoreUnderTest } from "./records.ts";

export function messengerInboxContract(subject: StoreUnderTest): void {
  const { open, created } = storeFixture(subject);

  describe("messenger inbox and outbox", () => {
    it("accepts a delivery key once per channel and lists pending deliveries per conversation in platform order", async () => {
      const store = await open();
      expect(await store.inbox.accept(inbound("k2", { order: 2 }))).toBe(true);
      expect(await store.inbox.accept(inbound("k1", { order: 1 }))).toBe(true);
      expect(await store.inbox.accept(inbound("k1", { order: 1, sealedDelivery: "other" }))).toBe(false);
      expect(await store.inbox.accept(inbound("k1", { channel: "whatsapp" }))).toBe(true);
      expect(await store.inbox.accept(inbound("k0", { conversationKey: "pseudonym-0", order: 9 }))).toBe(true);
      expect((await store.inbox.pending()).map((record) => `${record.channel}:${record.key}`)).toEqual([
        "telegram:k0",
        "telegram:k1",
        "whatsapp:k1",
        "telegram:k2",
      ]);
    });

    it("completes a delivery together with its conversation and replies, and refuses it as a duplicate afterwards", async () => {
      const store = await open();
      await store.inbox.accept(inbound("k1"));
      const record = newConversation({ channel: "telegram", channelUser: "pseudonym-1" });
      const result = await store.inbox.complete({
        channel: "telegram",
        key: "k1",
        conversation: [{ op: "create", record }],
        outbox: [outboxEntry("k1:0"), outboxEntry("k1:1", { notAfter: "2026-03-02T10:00:00.000Z" })],
      });
      expect(result).toBe("completed");
      expect(await store.conversations.get(record.id)).toEqual({ ...record, revision: 0 });
      expect(await store.inbox.pending()).toEqual([]);
      const outbox = await store.outbox.pending();
      expect(outbox.map((entry) => entry.id)).toEqual(["k1:0", "k1:1"]);
      expect(outbox[0]?.sequence).toBeLessThan(outbox[1]?.sequence ?? 0);
      expect(outbox[1]).toMatchObject(outboxEntry("k1:1", { notAfter: "2026-03-02T10:00:00.000Z" }));
      expect(await store.inbox.accept(inbound("k1"))).toBe(false);
      expect(await store.inbox.complete({ channel: "telegram", key: "k1", conversation: [], outbox: [] })).toBe("not-pending");
    });

    it("writes nothing of a completion whose conversation check fails", async () => {
      const store = await open();
      const existing = await created(store, { channel: "telegram", channelUser: "pseudonym-1" });
      await store.inbox.accept(inbound("k1"));
      const stale = nextRevision(nextRevision(existing));
      const result = await store.inbox.complete({
        channel: "telegram",
        key: "k1",
        conversation: [{ op: "update", record: stale }],
        outbox: [outboxEntry("k1:0")],
      });
      expect(result).toBe("conflict");
      expect(await store.conversations.get(existing.id)).toEqual(existing);
      expect(await store.outbox.pending()).toEqual([]);
      expect((await store.inbox.pending()).map((record) => record.key)).toEqual(["k1"]);
    });

    it("applies a completion's conversation changes in order: erase one, create the next", async () => {
      const store = await open();
      const ended = await created(store, { channel: "telegram", channelUser: "pseudonym-1" });
      await store.inbox.accept(inbound("k1"));
      const fresh = newConversation({ channel: "telegram", channelUser: "pseudonym-1" });
      const result = await store.inbox.complete({
        channel: "telegram",
        key: "k1",
        conversation: [{ op: "delete", id: ended.id }, { op: "create", record: fresh }],
        outbox: [],
      });
      expect(result).toBe("completed");
      expect(await store.conversations.get(ended.id)).toBeUndefined();
      expect(await store.conversations.findByChannelUser("telegram", "pseudonym-1")).toEqual({ ...fresh, revision: 0 });
    });

    it("drops the unsent replies of a user the completion erases, keeping its own and other users' replies", async () => {
      const store = await open();
      await store.inbox.accept(inbound("k1"));
      await store.inbox.accept(inbound("o1", { conversationKey: "pseudonym-2" }));
      await store.inbox.complete({ channel: "telegram", key: "k1", conversation: [], outbox: [outboxEntry("k1:0"), outboxEntry("k1:1")] });
      await store.inbox.complete({ channel: "telegram", key: "o1", conversation: [], outbox: [outboxEntry("o1:0", { conversationKey: "pseudonym-2" })] });
      await store.inbox.accept(inbound("k2", { order: 2 }));
      const erased = await created(store, { channel: "telegram", channelUser: "pseudonym-1" });
      const result = await store.inbox.complete({
        channel: "telegram",
        key: "k2",
        conversation: [{ op: "delete", id: erased.id }],
        outbox: [outboxEntry("k2:0")],
        erasesUser: true,
      });
      expect(result).toBe("completed");
      expect((await store.outbox.pending()).map((entry) => entry.id)).toEqual(["o1:0", "k2:0"]);
      expect(await store.conversations.get(erased.id)).toBeUndefined();
    });

    it("adds entries no delivery caused after those stored before, in order, and drops them with an erased user", async () => {
      const store = await open();
      await store.inbox.accept(inbound("k1"));
      await store.inbox.complete({ channel: "telegram", key: "k1", conversation: [], outbox: [outboxEntry("k1:0")] });
      await store.outbox.add([outboxEntry("live:a:0"), outboxEntry("live:a:1", { notAfter: "2026-03-02T10:00:00.000Z" }), outboxEntry("live:b:0", { conversationKey: "pseudonym-2" })]);
      await store.outbox.add([]);
      const pending = await store.outbox.pending();
      expect(pending.map((entry) => entry.id)).toEqual(["k1:0", "live:a:0", "live:a:1", "live:b:0"]);
      expect(pending.map((entry) => entry.sequence)).toEqual([...pending.map((entry) => entry.sequence)].sort((a, b) => a - b));
      expect(new Set(pending.map((entry) => entry.sequence)).size).toBe(4);
      expect(pending[2]).toMatchObject(outboxEntry("live:a:1", { notAfter: "2026-03-02T10:00:00.000Z" }));
      expect(await store.outbox.claim("live:a:0", "left", "2026-03-01T10:00:00.000Z", "2026-03-01T10:01:00.000Z")).toBe(true);
      expect(await store.outbox.finish("live:a:0")).toBe(true);
      await store.inbox.accept(inbound("k2", { order: 2 }));
      expect(await store.inbox.complete({ channel: "telegram", key: "k2", conversation: [], outbox: [], erasesUser: true })).toBe("completed");
      expect((await store.outbox.pending()).map((entry) => entry.id)).toEqual(["live:b:0"]);
    });

    it("reschedules and finishes outbox entries", async () => {
      const store = await open();
      await store.inbox.accept(inbound("k1"));
      await store.inbox.complete({ channel: "telegram", key: "k1", conversation: [], outbox: [outboxEntry("k1:0"), outboxEntry("k1:1")] });
      expect(await store.outbox.reschedule("k1:0", 1, "2026-03-01T10:00:05.000Z")).toBe(true);
      expect((await store.outbox.pending())[0]).toMatchObject({ id: "k1:0", attempts: 1, nextAttemptAt: "2026-03-01T10:00:05.000Z" });
      expect(await store.outbox.finish("k1:0")).toBe(true);
      expect(await store.outbox.finish("k1:0")).toBe(false);
      expect(await store.outbox.reschedule("k1:0", 2, "2026-03-01T10:00:09.000Z")).toBe(false);
      expect((await store.outbox.pending()).map((entry) => entry.id)).toEqual(["k1:1"]);
    });

    it("lets one sender claim an outbox entry until its claim runs out", async () => {
      const store = await open();
      await store.inbox.accept(inbound("k1"));
      await store.inbox.complete({ channel: "telegram", key: "k1", conversation: [], outbox: [outboxEntry("k1:0")] });
      const at = (second: number) => `2026-03-01T10:00:${String(second).padStart(2, "0")}.000Z`;
      expect(await store.outbox.claim("k1:0", "left", at(0), at(30))).toBe(true);
      expect(await store.outbox.claim("k1:0", "right", at(10), at(40))).toBe(false);
      expect(await store.outbox.claim("k1:0", "left", at(20), at(50))).toBe(true);
      expect(await store.outbox.claim("k1:0", "right", at(49), at(59))).toBe(false);
      expect(await store.outbox.claim("k1:0", "right", at(50), at(59))).toBe(true);
      expect(await store.outbox.claim("k1:missing", "left", at(0), at(30))).toBe(false);
      await store.outbox.finish("k1:0");
      expect(await store.outbox.claim("k1:0", "right", at(51), at(59))).toBe(false);
    });

    it("purges processed keys received before a time and keeps pending and newer ones", async () => {
      const store = await open();
      await store.inbox.accept(inbound("old", { receivedAt: "2026-03-01T10:00:00.000Z" }));
      await store.inbox.complete({ channel: "telegram", key: "old", conversation: [], outbox: [] });
      await store.inbox.accept(inbound("old-pending", { receivedAt: "2026-03-01T10:00:00.000Z" }));
      await store.inbox.accept(inbound("new", { receivedAt: "2026-03-09T10:00:00.000Z" }));
      await store.inbox.complete({ channel: "telegram", key: "new", conversation: [], outbox: [] });
      expect(await store.inbox.purge("2026-03-08T10:00:00.000Z")).toBe(1);
      expect(await store.inbox.accept(inbound("old"))).toBe(true);
      expect(await store.inbox.accept(inbound("new"))).toBe(false);
      expect((await store.inbox.pending()).map((record) => record.key).sort()).toEqual(["old", "old-pending"]);
    });
  });

}
