/** Contract suite for the one-time links role. Run on every store by `store-contract.ts`. */
import { describe, expect, it } from "vitest";
import type { OneTimeLinkRecord } from "../ports/one-time-links.ts";
import { storeFixture, type StoreUnderTest } from "./records.ts";

function link(tokenHash: string, overrides: Partial<OneTimeLinkRecord> = {}): OneTimeLinkRecord {
  return { tokenHash, purpose: "invite", accountId: "a1", createdAt: "2026-11-22T10:00:00.000Z", expiresAt: "2026-11-25T10:00:00.000Z", ...overrides };
}

export function oneTimeLinksContract(subject: StoreUnderTest): void {
  const { open } = storeFixture(subject);

  describe("one-time links", () => {
    it("hands a link out once, however many take it at the same time", async () => {
      const store = await open();
      await store.oneTimeLinks.create(link("t1"));
      expect(await store.oneTimeLinks.get("t1")).toEqual(link("t1"));
      const taken = await Promise.all([store.oneTimeLinks.take("t1"), store.oneTimeLinks.take("t1"), store.oneTimeLinks.take("t1")]);
      expect(taken.filter((result) => result !== undefined)).toEqual([link("t1")]);
      expect(await store.oneTimeLinks.get("t1")).toBeUndefined();
    });

    it("keeps a set-up link's roles and no account", async () => {
      const store = await open();
      const setup: OneTimeLinkRecord = { tokenHash: "s", purpose: "setup", roles: ["admin"], createdAt: "2026-11-22T10:00:00.000Z", expiresAt: "2026-11-25T10:00:00.000Z" };
      await store.oneTimeLinks.create(setup);
      expect(await store.oneTimeLinks.take("s")).toEqual(setup);
    });

    it("removes an account's links and expired links", async () => {
      const store = await open();
      await store.oneTimeLinks.create(link("a", { accountId: "a1" }));
      await store.oneTimeLinks.create(link("b", { accountId: "a2", expiresAt: "2026-11-23T10:00:00.000Z" }));
      await store.oneTimeLinks.create(link("c", { accountId: "a2" }));
      expect(await store.oneTimeLinks.deleteForAccount("a1")).toBe(1);
      expect(await store.oneTimeLinks.deleteExpired("2026-11-24T00:00:00.000Z")).toBe(1);
      expect(await store.oneTimeLinks.get("c")).toBeDefined();
      expect(await store.oneTimeLinks.get("a")).toBeUndefined();
    });
  });
}
