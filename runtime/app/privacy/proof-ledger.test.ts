import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { chainEntries, type LedgerDraft } from "../../core/privacy/ledger-chain.ts";
import type { ProofLedgerStore } from "../../stores/ports/proof-ledger.ts";
import { testKeys } from "../../testing/create-test-runtime.ts";
import { openTestStore } from "../../testing/open-test-store.ts";
import { ProofLedger } from "./proof-ledger.ts";

const mac = (text: string) => createHmac("sha256", testKeys.ledgerChain.current.key).update(text).digest("hex");

/** A ledger of `count` consent entries, more than two of verify's pages. */
async function filledStore(count: number): Promise<ProofLedgerStore> {
  const store = (await openTestStore("memory")).proofLedger;
  const drafts: LedgerDraft[] = Array.from({ length: count }, (_, index) => ({
    time: new Date(Date.UTC(2026, 0, 1) + index * 1000).toISOString(),
    type: "consent",
    decision: "given",
    purpose: "Rückruf",
    flow: "callback-request",
    channel: "web",
    person: `person-${index}`,
  }));
  const entries = chainEntries(drafts, undefined, mac);
  expect(await store.append(entries, undefined)).toBe(true);
  return store;
}

function ledgerOn(store: ProofLedgerStore): ProofLedger {
  return new ProofLedger({ store, chainKey: testKeys.ledgerChain.current.key, personKey: testKeys.ledgerPerson.current.key, clock: () => new Date() });
}

describe("ProofLedger.verify over several pages (each page is read while the one before is checked)", () => {
  it("verifies every entry of a chain longer than two pages", async () => {
    expect(await ledgerOn(await filledStore(12_345)).verify()).toEqual({ ok: true, entries: 12_345 });
  });

  it("names a changed entry on a later page, and a page that fails to read after the break goes unnoticed", async () => {
    const store = await filledStore(12_345);
    let reads = 0;
    const tampered: ProofLedgerStore = {
      ...store,
      status: () => store.status(),
      async read(query) {
        reads += 1;
        if (reads > 3) throw new Error("no page is needed after the break");
        const page = await store.read(query);
        return page.map((entry) => (entry.seq === 7_777 ? { ...entry, purpose: "Newsletter" } : entry));
      },
    };
    expect(await ledgerOn(tampered).verify()).toEqual({ ok: false, entries: 7_776, broken: { seq: 7_777, problem: "changed" } });
  });

  it("names a removed entry at a page boundary", async () => {
    const store = await filledStore(12_345);
    const gap: ProofLedgerStore = {
      ...store,
      status: () => store.status(),
      read: async (query) => (await store.read(query)).filter((entry) => entry.seq !== 5_001),
    };
    expect((await ledgerOn(gap).verify()).broken).toEqual({ seq: 5_001, problem: "removed" });
  });
});
