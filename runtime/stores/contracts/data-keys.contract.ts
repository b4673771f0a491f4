/**
 * Contract suite for the data-keys role: keys stored once, destroyed together with the
 * conversation of the same id through every role that erases, and the erasure log that lets a
 * restored backup have its erasures re-applied. Run on every store by `store-contract.ts`.
 */
import { describe, expect, it } from "vitest";
import type { Store } from "../ports/store.ts";
import { dataKey, erasureDigest, inbound, storeFixture, type StoreUnderTest } from "./records.ts";

export function dataKeysContract(subject: StoreUnderTest): void {
  const { open, created, opened } = storeFixture(subject);

  /** A conversation with its key, as the runtime creates them. */
  async function keyedConversation(store: Store, overrides: Parameters<typeof created>[1] = {}) {
    const record = await created(store, overrides);
    expect(await store.dataKeys.create(dataKey(record.id))).toBe(true);
    return record;
  }

  async function loggedDigests(store: Store): Promise<string[]> {
    return (await store.dataKeys.erasures()).map((entry) => entry.digest).sort();
  }

  describe("data keys", () => {
    it("stores a key once and returns it as first stored", async () => {
      const store = await open();
      expect(await store.dataKeys.create(dataKey("key-a"))).toBe(true);
      expect(await store.dataKeys.create(dataKey("key-a", { wrapped: "another" }))).toBe(false);
      expect(await store.dataKeys.get("key-a")).toEqual(dataKey("key-a"));
      expect(await store.dataKeys.get("key-b")).toBeUndefined();
    });

    it("keeps its own copies, so changing a record after create or get changes nothing stored", async () => {
      const store = await open();
      const record = dataKey("key-a");
      await store.dataKeys.create(record);
      record.wrapped = "changed after create";
      const read = await store.dataKeys.get("key-a");
      if (read) read.wrapped = "changed after get";
      expect(await store.dataKeys.get("key-a")).toEqual(dataKey("key-a"));
    });

    it("lists the keys of one kind, oldest first", async () => {
      const store = await open();
      const at = (minute: number) => `2026-03-01T10:${String(minute).padStart(2, "0")}:00.000Z`;
      await store.dataKeys.create(dataKey("transient-b", { kind: "transient", createdAt: at(2) }));
      await store.dataKeys.create(dataKey("conversation-a", { createdAt: at(1) }));
      await store.dataKeys.create(dataKey("transient-a", { kind: "transient", createdAt: at(1) }));
      expect(await store.dataKeys.list("transient")).toEqual([
        dataKey("transient-a", { kind: "transient", createdAt: at(1) }),
        dataKey("transient-b", { kind: "transient", createdAt: at(2) }),
      ]);
      expect((await store.dataKeys.list("conversation")).map((record) => record.id)).toEqual(["conversation-a"]);
    });

    it("destroys keys together with the conversations of the same ids, and logs the erased conversations by digest", async () => {
      const store = await open();
      const keyed = await keyedConversation(store);
      const sealedTheOldWay = await created(store);
      const kept = await keyedConversation(store);
      await store.dataKeys.create(dataKey("transient-x", { kind: "transient" }));
      await store.dataKeys.destroy([keyed.id, sealedTheOldWay.id, "transient-x", "never-existed"]);
      expect(await store.dataKeys.get(keyed.id)).toBeUndefined();
      expect(await store.dataKeys.get("transient-x")).toBeUndefined();
      expect(await store.conversations.get(keyed.id)).toBeUndefined();
      expect(await store.conversations.get(sealedTheOldWay.id)).toBeUndefined();
      expect(await store.conversations.get(kept.id)).toEqual(kept);
      expect(await store.dataKeys.get(kept.id)).toEqual(dataKey(kept.id));
      expect(await loggedDigests(store)).toEqual([keyed.id, sealedTheOldWay.id].map(erasureDigest).sort());
      await store.dataKeys.destroy([keyed.id]);
      expect(await store.dataKeys.erasures()).toHaveLength(2);
    });

    it("destroys a conversation's key whichever role erases the conversation", async () => {
      const store = await open();
      const deleted = await keyedConversation(store);
      const expired = await keyedConversation(store, { expiresAt: "2026-01-01T00:00:00.000Z" });
      const unsubscribed = await keyedConversation(store, { channel: "telegram", channelUser: "pseudonym-1" });
      const kept = await keyedConversation(store);
      expect(await store.conversations.delete(deleted.id)).toBe(true);
      expect(await store.conversations.deleteExpired("2026-02-01T00:00:00.000Z")).toEqual([expired.id]);
      await store.inbox.accept(inbound("k1"));
      expect(await store.inbox.complete({ channel: "telegram", key: "k1", conversation: [{ op: "delete", id: unsubscribed.id }], outbox: [] })).toBe("completed");
      for (const gone of [deleted, expired, unsubscribed]) expect(await store.dataKeys.get(gone.id)).toBeUndefined();
      expect(await store.dataKeys.get(kept.id)).toEqual(dataKey(kept.id));
      expect(await loggedDigests(store)).toEqual([deleted.id, expired.id, unsubscribed.id].map(erasureDigest).sort());
    });

    it("re-applies the erasure log of the live store to a copy restored from before the erasures", async () => {
      const live = await open();
      const restored = await open();
      const erased = await keyedConversation(live);
      const keptRecord = await keyedConversation(live);
      // The restored copy: the same records, as a backup taken before the erasure holds them.
      for (const record of [erased, keptRecord]) {
        const { revision: _, ...fields } = record;
        await restored.conversations.create(fields);
        await restored.dataKeys.create(dataKey(record.id));
      }
      await live.conversations.delete(erased.id);
      const log = await live.dataKeys.erasures();
      expect(await restored.dataKeys.reapply(log.map((entry) => entry.digest))).toBe(1);
      expect(await restored.conversations.get(erased.id)).toBeUndefined();
      expect(await restored.dataKeys.get(erased.id)).toBeUndefined();
      expect(await restored.conversations.get(keptRecord.id)).toEqual(keptRecord);
      expect(await restored.dataKeys.reapply(log.map((entry) => entry.digest))).toBe(0);
      expect(await loggedDigests(restored)).toEqual([erasureDigest(erased.id)]);
    });

    const reopen = subject.reopen;
    if (!reopen) return;

    it("keeps keys, destroyed keys and the erasure log across close and reopen", async () => {
      const store = await open();
      const kept = await keyedConversation(store);
      const erased = await keyedConversation(store);
      await store.dataKeys.create(dataKey("transient-a", { kind: "transient" }));
      await store.conversations.delete(erased.id);
      const again = await reopen(store);
      opened.push(again);
      expect(await again.dataKeys.get(kept.id)).toEqual(dataKey(kept.id));
      expect(await again.dataKeys.get(erased.id)).toBeUndefined();
      expect(await again.dataKeys.list("transient")).toEqual([dataKey("transient-a", { kind: "transient" })]);
      expect(await loggedDigests(again)).toEqual([erasureDigest(erased.id)]);
      await again.dataKeys.destroy([kept.id]);
      const third = await reopen(again);
      opened.push(third);
      expect(await third.dataKeys.get(kept.id)).toBeUndefined();
      expect(await third.conversations.get(kept.id)).toBeUndefined();
    });
  });
}
