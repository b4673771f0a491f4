/** Contract suite for the failed sign-ins role. Run on every store by `store-contract.ts`. */
import { describe, expect, it } from "vitest";
import { storeFixture, type StoreUnderTest } from "./records.ts";

export function signInAttemptsContract(subject: StoreUnderTest): void {
  const { open } = storeFixture(subject);

  describe("failed sign-ins", () => {
    it("counts attempts per key within a window and forgets them on request", async () => {
      const store = await open();
      await store.signInAttempts.record(["account:x", "address:1"], "2026-11-22T10:00:00.000Z");
      await store.signInAttempts.record(["account:x", "address:2"], "2026-11-22T10:05:00.000Z");
      await store.signInAttempts.record(["account:x"], "2026-11-22T10:10:00.000Z");
      expect(await store.signInAttempts.count("account:x", "2026-11-22T10:00:00.000Z")).toEqual({ count: 3, earliest: "2026-11-22T10:00:00.000Z" });
      expect(await store.signInAttempts.count("account:x", "2026-11-22T10:01:00.000Z")).toEqual({ count: 2, earliest: "2026-11-22T10:05:00.000Z" });
      expect(await store.signInAttempts.count("address:9", "2026-11-22T10:00:00.000Z")).toEqual({ count: 0 });
      await store.signInAttempts.clear("account:x");
      expect((await store.signInAttempts.count("account:x", "2026-11-22T00:00:00.000Z")).count).toBe(0);
      expect((await store.signInAttempts.count("address:2", "2026-11-22T00:00:00.000Z")).count).toBe(1);
      expect(await store.signInAttempts.deleteBefore("2026-11-22T10:03:00.000Z")).toBe(1);
      expect((await store.signInAttempts.count("address:1", "2026-11-22T00:00:00.000Z")).count).toBe(0);
    });
  });
}
