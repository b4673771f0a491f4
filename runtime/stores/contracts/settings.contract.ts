/** Contract suite for the settings role. Run on every store by `store-contract.ts`. */
import { describe, expect, it } from "vitest";
import { storeFixture, type StoreUnderTest } from "./records.ts";

export function settingsContract(subject: StoreUnderTest): void {
  const { open } = storeFixture(subject);

  describe("settings", () => {
    it("returns undefined for an unset key and the last value put", async () => {
      const store = await open();
      expect(await store.settings.get("admin-token-hash")).toBeUndefined();
      await store.settings.put("admin-token-hash", "first");
      await store.settings.put("admin-token-hash", "second");
      expect(await store.settings.get("admin-token-hash")).toBe("second");
    });
  });

}
