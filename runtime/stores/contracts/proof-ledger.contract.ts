/** Contract suite for the proof ledger role. Run on every store by `store-contract.ts`. */
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { chainEntries, type LedgerDraft, LedgerVerifier } from "../../core/privacy/ledger-chain.ts";
import type { Store } from "../ports/store.ts";
import { storeFixture, type StoreUnderTest } from "./records.ts";

const mac = (text: string) => createHmac("sha256", "contract-key").update(text).digest("hex");

function consent(time: string, person = "p-1", decision: LedgerDraft["decision"] = "given"): LedgerDraft {
  return { time, type: "consent", decision, purpose: "Rückruf", flow: "callback-request", flowVersion: "sha256:v1", channel: "web", person, textHash: "a".repeat(64) };
}

async function appendAll(store: Store, drafts: LedgerDraft[]) {
  const { head } = await store.proofLedger.status();
  const entries = chainEntries(drafts, head, mac);
  expect(await store.proofLedger.append(entries, head)).toBe(true);
  return entries;
}

async function verify(store: Store) {
  const status = await store.proofLedger.status();
  const check = new LedgerVerifier(status.checkpoint, mac);
  for (const entry of await store.proofLedger.read({})) if (check.push(entry)) break;
  return check.finish(status.head);
}

export function proofLedgerContract(subject: StoreUnderTest): void {
  const { open } = storeFixture(subject);

  describe("proof ledger", () => {
    it("appends chained entries in order, reads them by page and by person, and they verify", async () => {
      const store = await open();
      expect(await store.proofLedger.status()).toEqual({});
      const first = await appendAll(store, [consent("2026-11-22T10:00:00.000Z"), consent("2026-11-22T10:01:00.000Z", "p-2")]);
      const second = await appendAll(store, [{ time: "2026-11-22T10:02:00.000Z", type: "erasure", reason: "visitor", flow: "callback-request", channel: "web", person: "p-1" }]);
      const all = [...first, ...second];
      expect(await store.proofLedger.read({})).toEqual(all);
      expect(await store.proofLedger.read({ fromSeq: 2, limit: 1 })).toEqual([all[1]]);
      expect(await store.proofLedger.read({ person: "p-1" })).toEqual([all[0], all[2]]);
      expect((await store.proofLedger.status()).head).toEqual({ seq: 3, hash: all[2]?.hash });
      expect(await verify(store)).toBeUndefined();
    });

    it("refuses an append after a head that is no longer the head (another instance won)", async () => {
      const store = await open();
      await appendAll(store, [consent("2026-11-22T10:00:00.000Z")]);
      const { head } = await store.proofLedger.status();
      const mine = chainEntries([consent("2026-11-22T10:01:00.000Z")], head, mac);
      const theirs = chainEntries([consent("2026-11-22T10:01:00.000Z", "p-9")], head, mac);
      const results = await Promise.all([store.proofLedger.append(mine, head), store.proofLedger.append(theirs, head)]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.proofLedger.append(chainEntries([consent("2026-11-22T10:02:00.000Z")], undefined, mac), undefined)).toBe(false);
      expect(await store.proofLedger.read({})).toHaveLength(2);
      expect(await verify(store)).toBeUndefined();
    });

    it("prunes the oldest entries behind a checkpoint from which the rest still verifies", async () => {
      const store = await open();
      const entries = await appendAll(store, [consent("2023-01-01T00:00:00.000Z"), consent("2023-06-01T00:00:00.000Z"), consent("2026-11-22T10:00:00.000Z")]);
      expect(await store.proofLedger.prune("2024-01-01T00:00:00.000Z", "2026-12-01T00:00:00.000Z")).toBe(2);
      const status = await store.proofLedger.status();
      expect(status.checkpoint).toEqual({ seq: 2, hash: entries[1]?.hash, at: "2026-12-01T00:00:00.000Z" });
      expect(await store.proofLedger.read({})).toEqual([entries[2]]);
      expect(await verify(store)).toBeUndefined();
      expect(await store.proofLedger.prune("2024-01-01T00:00:00.000Z", "2026-12-02T00:00:00.000Z")).toBe(0);
    });

    it("holds drafts while halted and releases them after an acknowledgement, in order", async () => {
      const store = await open();
      await appendAll(store, [consent("2026-11-22T10:00:00.000Z")]);
      await store.proofLedger.halt("entry 1 changed", "2026-11-22T11:00:00.000Z");
      await store.proofLedger.halt("another reason", "2026-11-22T12:00:00.000Z");
      expect((await store.proofLedger.status()).halted).toEqual({ reason: "entry 1 changed", since: "2026-11-22T11:00:00.000Z" });
      const held = [consent("2026-11-22T11:01:00.000Z", "p-3"), consent("2026-11-22T11:02:00.000Z", "p-4", "withdrawn")];
      await store.proofLedger.hold([held[0] as LedgerDraft]);
      await store.proofLedger.hold([held[1] as LedgerDraft]);
      expect(await store.proofLedger.held()).toEqual(held);
      const { head } = await store.proofLedger.status();
      const released = chainEntries([{ time: "2026-11-22T12:00:00.000Z", type: "acknowledgement", reason: "entry 1 changed" }, ...held], head, mac);
      expect(await store.proofLedger.release(released, head, 2)).toBe(true);
      const status = await store.proofLedger.status();
      expect(status.halted).toBeUndefined();
      expect(await store.proofLedger.held()).toEqual([]);
      expect((await store.proofLedger.read({ fromSeq: 2 })).map((entry) => entry.type)).toEqual(["acknowledgement", "consent", "consent"]);
    });

    it("keeps the chain, checkpoint and halt across close and reopen", async () => {
      const reopen = subject.reopen;
      if (!reopen) return;
      const store = await open();
      const entries = await appendAll(store, [consent("2023-01-01T00:00:00.000Z"), consent("2026-11-22T10:00:00.000Z")]);
      await store.proofLedger.prune("2024-01-01T00:00:00.000Z", "2026-12-01T00:00:00.000Z");
      await store.proofLedger.halt("test", "2026-12-01T00:00:00.000Z");
      const again = await reopen(store);
      try {
        expect(await again.proofLedger.read({})).toEqual([entries[1]]);
        expect(await again.proofLedger.status()).toEqual({
          head: { seq: 2, hash: entries[1]?.hash },
          checkpoint: { seq: 1, hash: entries[0]?.hash, at: "2026-12-01T00:00:00.000Z" },
          halted: { reason: "test", since: "2026-12-01T00:00:00.000Z" },
        });
      } finally {
        await again.close();
      }
    });
  });
}
