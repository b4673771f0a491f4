/** Contract suite for the deliveries role. Run on every store by `store-contract.ts`. */
import { describe, expect, it } from "vitest";
import type { NewDeliveryRecord } from "../ports/deliveries.ts";
import { inbound, newConversation, nextRevision, storeFixture, type StoreUnderTest } from "./records.ts";

let nextDelivery = 0;

function delivery(overrides: Partial<NewDeliveryRecord> = {}): NewDeliveryRecord {
  nextDelivery += 1;
  return {
    id: `delivery-${nextDelivery}-${Math.random().toString(36).slice(2)}`,
    kind: "webhook",
    survivesErasure: false,
    flow: "callback-request",
    node: "send-crm",
    host: "crm.muster.example",
    sealedRequest: `sealed-request-${nextDelivery}`,
    createdAt: "2026-03-01T10:00:00.000Z",
    nextAttemptAt: "2026-03-01T10:00:00.000Z",
    giveUpAt: "2026-03-02T10:00:00.000Z",
    ...overrides,
  };
}

const now = "2026-03-01T10:00:00.000Z";
const later = "2026-03-01T10:01:00.000Z";

export function deliveriesContract(subject: StoreUnderTest): void {
  const { open, opened, created } = storeFixture(subject);

  describe("deliveries", () => {
    it("stores deliveries with a conversation's creation and update, and none when the compare-and-set fails", async () => {
      const store = await open();
      const first = delivery();
      const record = newConversation();
      await store.conversations.create(record, [first]);
      expect(await store.deliveries.get(first.id)).toEqual({ ...first, status: "pending", attempts: 0 });
      const second = delivery({ conversationId: record.id });
      expect(await store.conversations.update(nextRevision({ ...record, revision: 0 }), [second])).toBe(true);
      const lost = delivery({ conversationId: record.id });
      expect(await store.conversations.update(nextRevision({ ...record, revision: 0 }), [lost])).toBe(false);
      expect(await store.deliveries.get(second.id)).toBeDefined();
      expect(await store.deliveries.get(lost.id)).toBeUndefined();
      const taken = delivery();
      await expect(store.conversations.create(record, [taken])).rejects.toMatchObject({ code: "conversation-exists" });
      expect(await store.deliveries.get(taken.id)).toBeUndefined();
      expect(await store.deliveries.counts()).toEqual({ pending: 2, failed: 0 });
    });

    it("stores deliveries with a messenger completion, and none when it conflicts", async () => {
      const store = await open();
      await store.inbox.accept(inbound("k1"));
      const stored = delivery();
      const record = newConversation({ channel: "telegram", channelUser: "pseudonym-1" });
      expect(await store.inbox.complete({ channel: "telegram", key: "k1", conversation: [{ op: "create", record }], outbox: [], deliveries: [stored] })).toBe("completed");
      expect(await store.deliveries.get(stored.id)).toBeDefined();
      await store.inbox.accept(inbound("k2"));
      const refused = delivery();
      expect(await store.inbox.complete({ channel: "telegram", key: "k2", conversation: [{ op: "create", record }], outbox: [], deliveries: [refused] })).toBe("conflict");
      expect(await store.deliveries.get(refused.id)).toBeUndefined();
    });

    it("adds a delivery once per id", async () => {
      const store = await open();
      const record = delivery({ kind: "recipient-notice", survivesErasure: true, flow: undefined, node: undefined });
      const { flow: _flow, node: _node, ...expected } = record;
      await store.deliveries.add([expected]);
      await store.deliveries.add([{ ...expected, host: "other.example" }]);
      expect(await store.deliveries.get(record.id)).toEqual({ ...expected, status: "pending", attempts: 0 });
    });

    it("hands a due delivery to one owner until its claim runs out, and not before it is due", async () => {
      const store = await open();
      const due = delivery();
      const notYet = delivery({ nextAttemptAt: later });
      await store.deliveries.add([due, notYet]);
      expect((await store.deliveries.claimDue("a", now, "2026-03-01T10:00:30.000Z", 10)).map((record) => record.id)).toEqual([due.id]);
      expect(await store.deliveries.claimDue("b", now, "2026-03-01T10:00:30.000Z", 10)).toEqual([]);
      // Nor to its own owner again while it sends it (each attempt would go out once per claim round).
      expect(await store.deliveries.claimDue("a", now, "2026-03-01T10:00:30.000Z", 10)).toEqual([]);
      expect(await store.deliveries.nextDue()).toBe(now);
      // A claim that ran out (its owner died) is taken over.
      const taken = await store.deliveries.claimDue("b", "2026-03-01T10:00:31.000Z", "2026-03-01T10:01:01.000Z", 1);
      expect(taken.map((record) => record.id)).toEqual([due.id]);
      expect((await store.deliveries.claimDue("c", later, "2026-03-01T10:01:30.000Z", 10)).map((record) => record.id)).toEqual([notYet.id]);
    });

    it("finishes many deliveries at once, each exactly once, and keeps them finished across a reopen", async () => {
      const store = await open();
      const records = Array.from({ length: 40 }, () => delivery());
      const kept = delivery();
      await store.deliveries.add([...records, kept]);
      // All at once, as a worker's attempts end; each id twice, and one that was never added.
      const results = await Promise.all([...records, ...records].map((record) => store.deliveries.finish(record.id)).concat(store.deliveries.finish("never-added")));
      expect(results.filter(Boolean)).toHaveLength(records.length);
      for (const record of records) expect(await store.deliveries.get(record.id)).toBeUndefined();
      if (!subject.reopen) return;
      const again = await subject.reopen(store);
      opened.push(again);
      expect(await again.deliveries.counts()).toEqual({ pending: 1, failed: 0 });
      expect((await again.deliveries.get(kept.id))?.id).toBe(kept.id);
    });

    it("reschedules, finishes, fails and retries", async () => {
      const store = await open();
      const record = delivery();
      await store.deliveries.add([record]);
      await store.deliveries.claimDue("a", now, later, 10);
      expect(await store.deliveries.retrying(10)).toEqual([]);
      expect(await store.deliveries.reschedule(record.id, 1, later, "http-status 500")).toBe(true);
      // Being retried: listed for the team, with the last reason.
      expect(await store.deliveries.retrying(10)).toEqual([{ ...record, nextAttemptAt: later, status: "pending", attempts: 1, lastError: "http-status 500" }]);
      // Rescheduling released the claim: due again later, for anyone.
      expect(await store.deliveries.claimDue("b", now, later, 10)).toEqual([]);
      expect((await store.deliveries.claimDue("b", later, "2026-03-01T10:02:00.000Z", 10)).map((entry) => entry.attempts)).toEqual([1]);
      expect(await store.deliveries.fail(record.id, 2, later, "http-status 400")).toBe(true);
      expect(await store.deliveries.claimDue("b", "2026-03-01T11:00:00.000Z", "2026-03-01T11:01:00.000Z", 10)).toEqual([]);
      expect(await store.deliveries.failed(10)).toEqual([{ ...record, nextAttemptAt: later, status: "failed", attempts: 2, failedAt: later, lastError: "http-status 400" }]);
      expect(await store.deliveries.retrying(10)).toEqual([]);
      expect(await store.deliveries.counts()).toEqual({ pending: 0, failed: 1 });
      expect(await store.deliveries.retry(record.id, "2026-03-01T12:00:00.000Z", "2026-03-02T12:00:00.000Z")).toBe(true);
      expect(await store.deliveries.retry(record.id, "2026-03-01T12:00:00.000Z", "2026-03-02T12:00:00.000Z")).toBe(false);
      expect(await store.deliveries.get(record.id)).toMatchObject({ status: "pending", attempts: 0, nextAttemptAt: "2026-03-01T12:00:00.000Z", giveUpAt: "2026-03-02T12:00:00.000Z" });
      expect(await store.deliveries.finish(record.id)).toBe(true);
      expect(await store.deliveries.finish(record.id)).toBe(false);
      expect(await store.deliveries.reschedule(record.id, 1, later, "x")).toBe(false);
      expect(await store.deliveries.fail(record.id, 1, later, "x")).toBe(false);
      expect(await store.deliveries.get(record.id)).toBeUndefined();
    });

    it("removes a conversation's deliveries when it is erased, but those that survive erasure", async () => {
      const store = await open();
      const erased = await created(store);
      const kept = await created(store);
      const pending = delivery({ conversationId: erased.id });
      const failed = delivery({ conversationId: erased.id });
      const notice = delivery({ kind: "recipient-notice", survivesErasure: true });
      const other = delivery({ conversationId: kept.id });
      await store.deliveries.add([pending, failed, notice, other]);
      await store.deliveries.fail(failed.id, 1, later, "http-status 400");
      expect(await store.conversations.delete(erased.id)).toBe(true);
      expect(await store.deliveries.get(pending.id)).toBeUndefined();
      expect(await store.deliveries.get(failed.id)).toBeUndefined();
      expect(await store.deliveries.get(notice.id)).toBeDefined();
      expect(await store.deliveries.get(other.id)).toBeDefined();
      await store.conversations.deleteExpired("2030-01-01T00:00:00.000Z");
      expect(await store.deliveries.get(other.id)).toBeUndefined();
      expect(await store.deliveries.counts()).toEqual({ pending: 1, failed: 0 });
    });

    it("keeps deliveries across a restart", async () => {
      const store = await open();
      const record = newConversation();
      const first = delivery({ conversationId: record.id });
      await store.conversations.create(record, [first]);
      const second = delivery();
      await store.deliveries.add([second]);
      await store.deliveries.fail(second.id, 3, later, "timeout");
      if (!subject.reopen) return;
      const again = await subject.reopen(store);
      opened.push(again);
      expect(await again.deliveries.get(first.id)).toEqual({ ...first, status: "pending", attempts: 0 });
      expect((await again.deliveries.failed(10)).map((entry) => entry.id)).toEqual([second.id]);
      // Claims do not outlive the process that held them for longer than they last.
      expect((await again.deliveries.claimDue("new", "2026-03-01T11:00:00.000Z", "2026-03-01T11:01:00.000Z", 10)).map((entry) => entry.id)).toEqual([first.id]);
    });
  });
}
