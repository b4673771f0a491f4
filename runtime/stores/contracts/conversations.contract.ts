/** Contract suite for the conversations role: create, compare-and-set update, delete, lookup by channel user, retention. Run on every store by `store-contract.ts`. */
import { describe, expect, it } from "vitest";
import { interleaved, newConversation, nextRevision, storeFixture, type StoreUnderTest } from "./records.ts";

export function conversationsContract(subject: StoreUnderTest): void {
  const { open, created } = storeFixture(subject);

  describe("conversations", () => {
    it("returns a created conversation at revision 0", async () => {
      const store = await open();
      const record = newConversation({ channelUser: "pseudonym-1" });
      await store.conversations.create(record);
      expect(await store.conversations.get(record.id)).toEqual({ ...record, revision: 0 });
    });

    it("returns undefined for an id it never stored", async () => {
      const store = await open();
      expect(await store.conversations.get("no-such-id")).toBeUndefined();
    });

    it("rejects a second create with the same id and keeps the first", async () => {
      const store = await open();
      const first = await created(store);
      const second = newConversation({ id: first.id, sealedState: "other" });
      await expect(store.conversations.create(second)).rejects.toMatchObject({ code: "conversation-exists" });
      expect(await store.conversations.get(first.id)).toEqual(first);
    });

    it("keeps its own copies, so changing a record after create or get changes nothing stored", async () => {
      const store = await open();
      const record = newConversation();
      await store.conversations.create(record);
      record.sealedState = "changed after create";
      const read = await store.conversations.get(record.id);
      if (read) read.sealedState = "changed after get";
      expect((await store.conversations.get(record.id))?.sealedState).not.toMatch(/changed/);
    });

    it("stores an update whose revision follows the stored one", async () => {
      const store = await open();
      const next = nextRevision(await created(store), { lastActivityAt: "2026-03-02T10:00:00.000Z" });
      expect(await store.conversations.update(next)).toBe(true);
      expect(await store.conversations.get(next.id)).toEqual(next);
    });

    it("refuses an update that repeats or skips a revision and keeps the stored one", async () => {
      const store = await open();
      const record = await created(store);
      expect(await store.conversations.update({ ...record, sealedState: "same revision" })).toBe(false);
      expect(await store.conversations.update({ ...record, revision: 2, sealedState: "skipped one" })).toBe(false);
      expect(await store.conversations.get(record.id)).toEqual(record);
    });

    it("lets exactly one of two updates from the same revision win, and stores the winner", async () => {
      const store = await open();
      const record = await created(store);
      const left = nextRevision(record, { sealedState: "left" });
      const right = nextRevision(record, { sealedState: "right" });
      const results = await Promise.all([store.conversations.update(left), store.conversations.update(right)]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.conversations.get(record.id)).toEqual(results[0] ? left : right);
    });

    it("lets exactly one of many racing updates from the same revision win", async () => {
      const store = await open();
      const record = await created(store);
      const racers = Array.from({ length: 20 }, (_, index) =>
        nextRevision(record, { sealedState: `racer-${index}` }),
      );
      const results = await Promise.all(racers.map((racer) => store.conversations.update(racer)));
      const winners = racers.filter((_, index) => results[index]);
      expect(winners).toHaveLength(1);
      expect(await store.conversations.get(record.id)).toEqual(winners[0]);
    });

    it("stores every one of a conversation's updates when each waits for the one before", async () => {
      const store = await open();
      let current = await created(store);
      for (let turn = 1; turn <= 10; turn++) {
        current = nextRevision(current, { sealedState: `turn-${turn}` });
        expect(await store.conversations.update(current)).toBe(true);
      }
      expect(await store.conversations.get(current.id)).toEqual({ ...current, revision: 10, sealedState: "turn-10" });
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
      const results = await Promise.all(order.map((next) => store.conversations.update(next)));
      const won = order
        .filter((_, index) => results[index])
        .map((next) => next.revision)
        .sort((a, b) => a - b);
      // A revision can only win on top of the one before it, so the winners are 1..n, whatever the arrival order.
      expect(won).toEqual(won.map((_, index) => index + 1));
      const stored = await store.conversations.get(record.id);
      expect(stored).toEqual(won.length === 0 ? record : chain[won.length - 1]);
    });

    it("erases a conversation once and reports whether there was one", async () => {
      const store = await open();
      const record = await created(store);
      expect(await store.conversations.delete(record.id)).toBe(true);
      expect(await store.conversations.get(record.id)).toBeUndefined();
      expect(await store.conversations.delete(record.id)).toBe(false);
    });

    it("never brings an erased conversation back through a late update", async () => {
      const store = await open();
      const record = await created(store);
      await store.conversations.delete(record.id);
      expect(await store.conversations.update(nextRevision(record))).toBe(false);
      expect(await store.conversations.get(record.id)).toBeUndefined();
    });

    it("lets an erased conversation's id be created anew", async () => {
      const store = await open();
      const record = await created(store);
      await store.conversations.delete(record.id);
      const again = newConversation({ id: record.id, sealedState: "fresh" });
      await store.conversations.create(again);
      expect(await store.conversations.get(record.id)).toEqual({ ...again, revision: 0 });
    });
  });

  describe("channel users", () => {
    it("finds a conversation by its channel user's pseudonym on that channel only", async () => {
      const store = await open();
      const record = await created(store, { channel: "telegram", channelUser: "pseudonym-a" });
      await created(store, { channel: "telegram", channelUser: "pseudonym-b" });
      expect(await store.conversations.findByChannelUser("telegram", "pseudonym-a")).toEqual(record);
      expect(await store.conversations.findByChannelUser("whatsapp", "pseudonym-a")).toBeUndefined();
      expect(await store.conversations.findByChannelUser("telegram", "pseudonym-c")).toBeUndefined();
    });

    it("finds the most recently active conversation when the user has several", async () => {
      const store = await open();
      const user = { channel: "telegram", channelUser: "pseudonym-several" };
      await created(store, { ...user, lastActivityAt: "2026-03-01T10:00:00.000Z" });
      const latest = await created(store, { ...user, lastActivityAt: "2026-03-03T10:00:00.000Z" });
      await created(store, { ...user, lastActivityAt: "2026-03-02T10:00:00.000Z" });
      expect(await store.conversations.findByChannelUser("telegram", "pseudonym-several")).toEqual(latest);
    });

    it("follows updates and erasure of the conversation", async () => {
      const store = await open();
      const record = await created(store, { channel: "telegram", channelUser: "pseudonym-old" });
      const moved = nextRevision(record, { channelUser: "pseudonym-new" });
      await store.conversations.update(moved);
      expect(await store.conversations.findByChannelUser("telegram", "pseudonym-old")).toBeUndefined();
      expect(await store.conversations.findByChannelUser("telegram", "pseudonym-new")).toEqual(moved);
      await store.conversations.delete(record.id);
      expect(await store.conversations.findByChannelUser("telegram", "pseudonym-new")).toBeUndefined();
    });
  });

  describe("retention", () => {
    const now = "2026-06-01T12:00:00.000Z";

    it("erases conversations expired at or before now, earliest first, and keeps the rest", async () => {
      const store = await open();
      const atNow = await created(store, { expiresAt: now });
      const earlier = await created(store, { expiresAt: "2026-05-31T12:00:00.000Z" });
      const later = await created(store, { expiresAt: "2026-06-01T12:00:00.001Z" });
      expect(await store.conversations.deleteExpired(now)).toEqual([earlier.id, atNow.id]);
      expect(await store.conversations.get(earlier.id)).toBeUndefined();
      expect(await store.conversations.get(atNow.id)).toBeUndefined();
      expect(await store.conversations.get(later.id)).toEqual(later);
      expect(await store.conversations.deleteExpired(now)).toEqual([]);
    });

    it("erases at most `limit` conversations per call, the earliest expired first", async () => {
      const store = await open();
      const expired = [];
      for (const day of ["03", "01", "02"])
        expired.push(await created(store, { expiresAt: `2026-05-${day}T00:00:00.000Z` }));
      expect(await store.conversations.deleteExpired(now, 2)).toEqual([expired[1]?.id, expired[2]?.id]);
      expect(await store.conversations.deleteExpired(now, 2)).toEqual([expired[0]?.id]);
    });

    it("keeps a conversation whose update moved its expiry past now", async () => {
      const store = await open();
      const record = await created(store, { expiresAt: "2026-05-01T00:00:00.000Z" });
      const extended = nextRevision(record, { expiresAt: "2026-08-01T00:00:00.000Z" });
      await store.conversations.update(extended);
      expect(await store.conversations.deleteExpired(now)).toEqual([]);
      expect(await store.conversations.get(record.id)).toEqual(extended);
    });
  });

  describe("listing a flow's conversations", () => {
    it("pages through a flow's conversations by id, and leaves out other flows and erased ones", async () => {
      const store = await open();
      const ids: string[] = [];
      for (let index = 0; index < 7; index++) ids.push((await created(store, { flow: "leads" })).id);
      await created(store, { flow: "other" });
      await store.conversations.delete(ids[3] as string);
      const expected = ids.filter((_, index) => index !== 3).sort();
      const seen: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await store.conversations.listByFlow("leads", after, 2);
        if (page.length === 0) break;
        expect(page.length).toBeLessThanOrEqual(2);
        seen.push(...page.map((record) => record.id));
        after = page.at(-1)?.id;
      }
      expect(seen).toEqual(expected);
      expect((await store.conversations.listByFlow("leads", undefined, 1))[0]).toMatchObject({ id: expected[0], flow: "leads", revision: 0 });
    });
  });
}
