/** Contract suite for the API tokens role. Run on every store by `store-contract.ts`. */
import { describe, expect, it } from "vitest";
import type { ApiTokenRecord } from "../ports/api-tokens.ts";
import { storeFixture, type StoreUnderTest } from "./records.ts";

function token(id: string, createdAt: string): ApiTokenRecord {
  return { id, name: `ci ${id}`, tokenHash: `hash-${id}`, roles: ["editor"], createdAt, createdBy: "admin@muster.example" };
}

export function apiTokensContract(subject: StoreUnderTest): void {
  const { open } = storeFixture(subject);

  describe("API tokens", () => {
    it("finds a token by its hash, lists oldest first, and revokes", async () => {
      const store = await open();
      await store.apiTokens.create(token("new", "2026-11-23T10:00:00.000Z"));
      await store.apiTokens.create(token("old", "2026-11-22T10:00:00.000Z"));
      expect(await store.apiTokens.findByHash("hash-new")).toEqual(token("new", "2026-11-23T10:00:00.000Z"));
      expect((await store.apiTokens.list()).map((stored) => stored.id)).toEqual(["old", "new"]);
      expect(await store.apiTokens.delete("new")).toBe(true);
      expect(await store.apiTokens.delete("new")).toBe(false);
      expect(await store.apiTokens.findByHash("hash-new")).toBeUndefined();
    });
  });
}
