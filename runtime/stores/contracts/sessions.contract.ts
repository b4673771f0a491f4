/** Contract suite for the sign-in sessions role. Run on every store by `store-contract.ts`. */
import { describe, expect, it } from "vitest";
import type { SessionRecord } from "../ports/sessions.ts";
import { storeFixture, type StoreUnderTest } from "./records.ts";

function session(idHash: string, accountId: string, expiresAt = "2026-11-22T12:00:00.000Z"): SessionRecord {
  return { idHash, accountId, createdAt: "2026-11-22T10:00:00.000Z", lastSeenAt: "2026-11-22T10:00:00.000Z", expiresAt };
}

export function sessionsContract(subject: StoreUnderTest): void {
  const { open } = storeFixture(subject);

  describe("sessions", () => {
    it("creates, finds, touches and deletes a session", async () => {
      const store = await open();
      await store.sessions.create(session("s1", "a1"));
      expect(await store.sessions.get("s1")).toEqual(session("s1", "a1"));
      expect(await store.sessions.touch("s1", "2026-11-22T10:05:00.000Z", "2026-11-22T10:35:00.000Z")).toBe(true);
      expect(await store.sessions.get("s1")).toMatchObject({ lastSeenAt: "2026-11-22T10:05:00.000Z", expiresAt: "2026-11-22T10:35:00.000Z" });
      expect(await store.sessions.delete("s1")).toBe(true);
      expect(await store.sessions.delete("s1")).toBe(false);
      expect(await store.sessions.touch("s1", "2026-11-22T10:06:00.000Z", "2026-11-22T10:36:00.000Z")).toBe(false);
      expect(await store.sessions.get("s1")).toBeUndefined();
    });

    it("ends every session of one account and only those", async () => {
      const store = await open();
      await store.sessions.create(session("s1", "a1"));
      await store.sessions.create(session("s2", "a1"));
      await store.sessions.create(session("s3", "a2"));
      expect(await store.sessions.deleteForAccount("a1")).toBe(2);
      expect(await store.sessions.get("s1")).toBeUndefined();
      expect(await store.sessions.get("s3")).toBeDefined();
    });

    it("removes sessions that expired at or before a time", async () => {
      const store = await open();
      await store.sessions.create(session("old", "a1", "2026-11-22T11:00:00.000Z"));
      await store.sessions.create(session("edge", "a1", "2026-11-22T11:30:00.000Z"));
      await store.sessions.create(session("fresh", "a1", "2026-11-22T13:00:00.000Z"));
      expect(await store.sessions.deleteExpired("2026-11-22T11:30:00.000Z")).toBe(2);
      expect(await store.sessions.get("fresh")).toBeDefined();
    });
  });
}
