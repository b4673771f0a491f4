/** Contract suite for the audit trail role. Run on every store by `store-contract.ts`. */
import { describe, expect, it } from "vitest";
import { auditEntry, storeFixture, type StoreUnderTest } from "./records.ts";

export function auditTrailContract(subject: StoreUnderTest): void {
  const { open } = storeFixture(subject);

  describe("audit trail", () => {
    it("reads entries back in order, filtered and paged", async () => {
      const store = await open();
      const entries = [
        auditEntry("2026-11-22T10:00:00.000Z", { action: "session.sign-in", details: { method: "password" } }),
        auditEntry("2026-11-22T10:01:00.000Z"),
        auditEntry("2026-11-22T10:02:00.000Z", { actor: "token:ci", outcome: "denied", address: "203.0.113.9" }),
        auditEntry("2026-11-23T09:00:00.000Z", { target: "newsletter-signup" }),
      ];
      for (const entry of entries) await store.auditTrail.append(entry);
      expect(await store.auditTrail.list({})).toEqual(entries);
      expect(await store.auditTrail.list({ action: "flow.publish", target: "callback-request" })).toEqual([entries[1], entries[2]]);
      expect(await store.auditTrail.list({ actor: "token:ci" })).toEqual([entries[2]]);
      expect(await store.auditTrail.list({ from: "2026-11-22T10:01:00.000Z", to: "2026-11-22T23:59:59.999Z" })).toEqual([entries[1], entries[2]]);
      const page = await store.auditTrail.list({ limit: 2 });
      expect(page).toEqual(entries.slice(0, 2));
      expect(await store.auditTrail.list({ after: page[1]?.id, limit: 2 })).toEqual(entries.slice(2));
    });

    it("prunes entries older than the retention", async () => {
      const store = await open();
      await store.auditTrail.append(auditEntry("2025-01-01T00:00:00.000Z"));
      const kept = auditEntry("2026-11-22T10:00:00.000Z");
      await store.auditTrail.append(kept);
      expect(await store.auditTrail.deleteBefore("2026-01-01T00:00:00.000Z")).toBe(1);
      expect(await store.auditTrail.list({})).toEqual([kept]);
    });
  });
}
