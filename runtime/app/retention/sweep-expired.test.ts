import { describe, expect, it } from "vitest";
import { openTestStore } from "../../testing/open-test-store.ts";
import { sweepExpired } from "./sweep-expired.ts";

function conversation(id: string, expiresAt: string) {
  return { id, tokenHash: "h", flow: "f", version: "v", sealedState: "s", channel: "web", lastActivityAt: "2026-01-01T00:00:00.000Z", expiresAt };
}

describe("sweepExpired", () => {
  it("deletes exactly the conversations whose retention has run out, however many batches it takes", async () => {
    const store = await openTestStore("memory");
    for (let index = 0; index < 1200; index++) await store.conversations.create(conversation(`old-${index}`, "2026-03-01T00:00:00.000Z"));
    await store.conversations.create(conversation("fresh", "2026-06-01T00:00:00.000Z"));
    expect(await sweepExpired(store.conversations, new Date("2026-04-01T00:00:00.000Z"))).toBe(1200);
    expect(await store.conversations.get("old-0")).toBeUndefined();
    expect(await store.conversations.get("fresh")).toBeDefined();
    expect(await sweepExpired(store.conversations, new Date("2026-06-01T00:00:00.000Z"))).toBe(1);
  });
});
