/** Contract suite for every role across close and reopen. Run on every store by `store-contract.ts`. */
import { describe, expect, it } from "vitest";
import { flowVersion, inbound, newConversation, nextRevision, outboxEntry, storeFixture, type StoreUnderTest } from "./records.ts";

export function lifecycleContract(subject: StoreUnderTest): void {
  const { open, created, opened } = storeFixture(subject);

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
}
