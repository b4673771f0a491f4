/** Contract suite for the team accounts role. Run on every store by `store-contract.ts`. */
import { describe, expect, it } from "vitest";
import { account, storeFixture, type StoreUnderTest } from "./records.ts";

export function accountsContract(subject: StoreUnderTest): void {
  const { open } = storeFixture(subject);

  describe("accounts", () => {
    it("stores an account and finds it by id, e-mail and single sign-on identity", async () => {
      const store = await open();
      const erika = account({ roles: ["editor", "dpo"], sso: { issuer: "https://id.muster.example", subject: "u-1" } });
      await store.accounts.create(erika);
      expect(await store.accounts.get(erika.id)).toEqual(erika);
      expect(await store.accounts.findByEmail(erika.email)).toEqual(erika);
      expect(await store.accounts.findBySso("https://id.muster.example", "u-1")).toEqual(erika);
      expect(await store.accounts.findBySso("https://id.muster.example", "u-2")).toBeUndefined();
      expect(await store.accounts.get("nobody")).toBeUndefined();
    });

    it("refuses a second account with the same e-mail or id", async () => {
      const store = await open();
      const first = account();
      await store.accounts.create(first);
      await expect(store.accounts.create(account({ email: first.email }))).rejects.toMatchObject({ code: "account-exists" });
      await expect(store.accounts.create(account({ id: first.id }))).rejects.toMatchObject({ code: "account-exists" });
      expect(await store.accounts.list()).toEqual([first]);
    });

    it("replaces an account, refuses to take another's e-mail, and lists by e-mail", async () => {
      const store = await open();
      const b = account({ email: "b@muster.example" });
      const a = account({ email: "a@muster.example", status: "invited" });
      await store.accounts.create(b);
      await store.accounts.create(a);
      const activated = { ...a, status: "active" as const, passwordHash: "scrypt$new", updatedAt: "2026-11-23T10:00:00.000Z" };
      expect(await store.accounts.put(activated)).toBe(true);
      expect(await store.accounts.get(a.id)).toEqual(activated);
      await expect(store.accounts.put({ ...activated, email: b.email })).rejects.toMatchObject({ code: "account-exists" });
      expect(await store.accounts.put(account())).toBe(false);
      expect((await store.accounts.list()).map((stored) => stored.email)).toEqual(["a@muster.example", "b@muster.example"]);
    });
  });
}
