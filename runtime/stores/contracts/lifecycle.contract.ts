/** Contract suite for every role across close and reopen. Run on every store by `store-contract.ts`. */
import { describe, expect, it } from "vitest";
import { account, auditEntry, flowVersion, inbound, newConversation, nextRevision, outboxEntry, storeFixture, type StoreUnderTest } from "./records.ts";

export function lifecycleContract(subject: StoreUnderTest): void {
  const { open, created, opened } = storeFixture(subject);

  describe("lifecycle", () => {
    it("rejects every call after close with store-closed", async () => {
      const store = await open();
      await store.close();
      await expect(store.conversations.get("any")).rejects.toMatchObject({ code: "store-closed" });
      await expect(store.conversations.create(newConversation())).rejects.toMatchObject({ code: "store-closed" });
      await expect(store.settings.put("key", "value")).rejects.toMatchObject({ code: "store-closed" });
    });

    const reopen = subject.reopen;
    if (!reopen) {
      // A store without persistence (memory) promises the opposite: each open starts empty.
      it("starts empty on every open, keeping nothing across a restart", async () => {
        const first = await open();
        await created(first);
        await first.settings.put("admin-token-hash", "kept?");
        const second = await open();
        expect(await second.settings.get("admin-token-hash")).toBeUndefined();
        expect(await second.flowVersions.list()).toEqual([]);
      });
      return;
    }

    it("keeps everything across close and reopen", async () => {
      const store = await open();
      const kept = await created(store, { channel: "telegram", channelUser: "pseudonym-kept" });
      const updated = nextRevision(kept, { sealedState: "after update" });
      await store.conversations.update(updated);
      const erased = await created(store);
      await store.conversations.delete(erased.id);
      const first = flowVersion("contact", "hash-1");
      await store.flowVersions.publish(first);
      await store.flowVersions.publish(flowVersion("contact", "hash-2"));
      await store.flowVersions.publish(flowVersion("contact", "hash-1", { yaml: "ignored" }));
      await store.settings.put("admin-token-hash", "hash");
      await store.inbox.accept(inbound("done"));
      await store.inbox.complete({ channel: "telegram", key: "done", conversation: [], outbox: [outboxEntry("done:0"), outboxEntry("done:1")] });
      await store.outbox.finish("done:0");
      await store.outbox.add([outboxEntry("live:0")]);
      await store.inbox.accept(inbound("waiting", { order: 7 }));
      const member = account();
      await store.accounts.create(member);
      const removed = account();
      await store.accounts.create(removed);
      await store.accounts.put({ ...removed, status: "disabled" });
      const entry = auditEntry("2026-11-22T10:00:00.000Z");
      await store.auditTrail.append(entry);

      const again = await reopen(store);
      opened.push(again);
      expect(await again.conversations.get(kept.id)).toEqual(updated);
      expect(await again.conversations.get(erased.id)).toBeUndefined();
      expect(await again.conversations.findByChannelUser("telegram", "pseudonym-kept")).toEqual(updated);
      expect(await again.flowVersions.current("contact")).toEqual(first);
      expect(await again.flowVersions.get("contact", "hash-2")).toEqual(flowVersion("contact", "hash-2"));
      expect(await again.flowVersions.list()).toEqual(["contact"]);
      expect(await again.settings.get("admin-token-hash")).toBe("hash");
      expect(await again.conversations.update(nextRevision(updated))).toBe(true);
      expect(await again.inbox.accept(inbound("done"))).toBe(false);
      expect(await again.inbox.pending()).toEqual([inbound("waiting", { order: 7 })]);
      expect((await again.outbox.pending()).map((entry) => entry.id)).toEqual(["done:1", "live:0"]);
      expect(await again.accounts.get(member.id)).toEqual(member);
      expect((await again.accounts.get(removed.id))?.status).toBe("disabled");
      expect(await again.auditTrail.list({})).toEqual([entry]);
    });
  });
}
