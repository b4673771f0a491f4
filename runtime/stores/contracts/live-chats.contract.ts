/** Contract suite for the live-chats role. Run on every store by `store-contract.ts`. */
import { describe, expect, it } from "vitest";
import type { LiveChatRecord } from "../ports/live-chats.ts";
import { storeFixture, type StoreUnderTest } from "./records.ts";

let next = 0;

function liveChat(overrides: Partial<Omit<LiveChatRecord, "revision">> = {}): Omit<LiveChatRecord, "revision"> {
  next += 1;
  return {
    conversation: `live-${next}-${Math.random().toString(36).slice(2)}`,
    flow: "support-faq",
    flowVersion: "sha256:1",
    channel: "web",
    node: "agent",
    sealedShares: "sealed-shares",
    status: "waiting",
    unattended: false,
    requestedAt: "2026-11-22T10:00:00.000Z",
    claimDeadline: "2026-11-22T10:10:00.000Z",
    expiresAt: "2027-05-22T10:00:00.000Z",
    ...overrides,
  };
}

const at = "2026-11-22T10:01:00.000Z";

export function liveChatsContract(subject: StoreUnderTest): void {
  const { open, opened } = storeFixture(subject);

  describe("live chats", () => {
    it("opens a live chat at revision 0 and lists the queue, longest waiting first, by status", async () => {
      const store = await open();
      const later = await store.liveChats.open(liveChat({ requestedAt: "2026-11-22T10:05:00.000Z" }));
      const earlier = await store.liveChats.open(liveChat({ requestedAt: "2026-11-22T10:00:00.000Z" }));
      const claimed = await store.liveChats.open(liveChat({ status: "claimed", claimedBy: "agent-1" }));
      expect(later.revision).toBe(0);
      expect(await store.liveChats.get(later.conversation)).toEqual(later);
      expect((await store.liveChats.list(["waiting"])).map((record) => record.conversation)).toEqual([earlier.conversation, later.conversation]);
      expect((await store.liveChats.list(["waiting", "claimed"])).map((record) => record.conversation).sort()).toEqual([earlier, later, claimed].map((record) => record.conversation).sort());
      expect(await store.liveChats.list(["ended"])).toEqual([]);
      expect(await store.liveChats.get("nope")).toBeUndefined();
      // The sealed history before the handover is kept with the record, when there is one.
      const withHistory = await store.liveChats.open(liveChat({ sealedHistory: "sealed-history" }));
      expect((await store.liveChats.get(withHistory.conversation))?.sealedHistory).toBe("sealed-history");
      expect((await store.liveChats.get(later.conversation))?.sealedHistory).toBeUndefined();
    });

    it("lets exactly one of two concurrent claims through", async () => {
      const store = await open();
      const record = await store.liveChats.open(liveChat());
      const claims = await Promise.all(
        ["agent-1", "agent-2"].map((agent) => store.liveChats.update({ ...record, status: "claimed", claimedBy: agent, claimedAt: at, revision: record.revision + 1 })),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
      const stored = await store.liveChats.get(record.conversation);
      expect(stored).toMatchObject({ status: "claimed", revision: 1 });
      expect(await store.liveChats.update({ ...record, status: "ended", revision: 1 })).toBe(false);
      expect(await store.liveChats.update({ ...record, conversation: "nope", revision: 1 })).toBe(false);
    });

    it("numbers messages 1, 2, 3 without gaps or repeats under concurrent appends, and reads them after a number", async () => {
      const store = await open();
      const record = await store.liveChats.open(liveChat());
      const appended = await Promise.all(
        Array.from({ length: 20 }, (_, index) => store.liveChats.append({ conversation: record.conversation, from: index % 2 ? "agent" : "visitor", sealed: `m${index}`, at, ...(index % 2 ? { agent: "agent-1" } : {}) })),
      );
      expect(appended.map((message) => message?.seq).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
      const all = await store.liveChats.messages(record.conversation);
      expect(all.map((message) => message.seq)).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
      expect(all.find((message) => message.sealed === "m1")).toEqual({ conversation: record.conversation, from: "agent", sealed: "m1", at, agent: "agent-1", seq: appended[1]?.seq });
      expect((await store.liveChats.messages(record.conversation, 18)).map((message) => message.seq)).toEqual([19, 20]);
      // The record and the newer messages together, as the agent's view reads them.
      const read = await store.liveChats.read(record.conversation, 18);
      expect(read?.record).toEqual(await store.liveChats.get(record.conversation));
      expect(read?.messages).toEqual(all.slice(18));
      expect((await store.liveChats.read(record.conversation, 20))?.messages).toEqual([]);
      expect(await store.liveChats.read("nope")).toBeUndefined();
      expect(await store.liveChats.append({ conversation: "nope", from: "visitor", sealed: "x", at })).toBeUndefined();
      expect(await store.liveChats.messages("nope")).toEqual([]);
    });

    it("replaces an earlier live chat of the conversation and its messages, numbering on where it stopped", async () => {
      const store = await open();
      const first = await store.liveChats.open(liveChat());
      await store.liveChats.append({ conversation: first.conversation, from: "visitor", sealed: "old", at });
      await store.liveChats.update({ ...first, status: "ended", ended: "released", revision: 1 });
      const second = await store.liveChats.open(liveChat({ conversation: first.conversation, node: "agent-2" }));
      expect(second).toMatchObject({ revision: 0, status: "waiting", node: "agent-2" });
      expect(await store.liveChats.messages(first.conversation)).toEqual([]);
      expect((await store.liveChats.append({ conversation: first.conversation, from: "visitor", sealed: "new", at }))?.seq).toBe(2);
    });

    it("deletes a live chat with its messages, and the expired ones, and keeps the rest across a restart", async () => {
      const store = await open();
      const gone = await store.liveChats.open(liveChat());
      const old = await store.liveChats.open(liveChat({ expiresAt: "2026-01-01T00:00:00.000Z" }));
      const kept = await store.liveChats.open(liveChat());
      await store.liveChats.append({ conversation: gone.conversation, from: "visitor", sealed: "x", at });
      await store.liveChats.append({ conversation: kept.conversation, from: "visitor", sealed: "kept", at });
      expect(await store.liveChats.delete(gone.conversation)).toBe(true);
      expect(await store.liveChats.delete(gone.conversation)).toBe(false);
      expect(await store.liveChats.messages(gone.conversation)).toEqual([]);
      expect(await store.liveChats.deleteExpired("2026-06-01T00:00:00.000Z")).toBe(1);
      expect(await store.liveChats.get(old.conversation)).toBeUndefined();
      if (!subject.reopen) return;
      const again = await subject.reopen(store);
      opened.push(again);
      expect(await again.liveChats.get(kept.conversation)).toEqual(kept);
      expect((await again.liveChats.messages(kept.conversation)).map((message) => message.sealed)).toEqual(["kept"]);
      expect((await again.liveChats.append({ conversation: kept.conversation, from: "agent", sealed: "y", at }))?.seq).toBe(2);
    });
  });
}
