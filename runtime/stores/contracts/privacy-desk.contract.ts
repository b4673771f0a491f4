/** Contract suite for the privacy desk role. Run on every store by `store-contract.ts`. */
import { describe, expect, it } from "vitest";
import type { PrivacyRequestRecord } from "../ports/privacy-desk.ts";
import { storeFixture, type StoreUnderTest } from "./records.ts";

function request(id: string, overrides: Partial<PrivacyRequestRecord> = {}): PrivacyRequestRecord {
  return {
    id,
    subject: "token-erika",
    kind: "email",
    createdAt: `2026-11-2${id.length % 10}T10:00:00.000Z`,
    deadline: "2026-12-22T10:00:00.000Z",
    status: "open",
    conversations: ["c-1"],
    outcomes: [],
    ...overrides,
  };
}

export function privacyDeskContract(subject: StoreUnderTest): void {
  const { open } = storeFixture(subject);

  describe("privacy desk", () => {
    it("finds conversations by index token across conversations, replaces a conversation's tokens and forgets erased ones", async () => {
      const store = await open();
      await store.privacyDesk.index("web-1", ["t-email", "t-phone"]);
      await store.privacyDesk.index("telegram-1", ["t-email"]);
      expect((await store.privacyDesk.find("t-email")).sort()).toEqual(["telegram-1", "web-1"]);
      await store.privacyDesk.index("web-1", ["t-other"]);
      expect(await store.privacyDesk.find("t-email")).toEqual(["telegram-1"]);
      expect(await store.privacyDesk.find("t-phone")).toEqual([]);
      await store.privacyDesk.forget(["telegram-1", "never-indexed"]);
      expect(await store.privacyDesk.find("t-email")).toEqual([]);
      expect(await store.privacyDesk.find("t-other")).toEqual(["web-1"]);
      await store.privacyDesk.index("web-1", []);
      expect(await store.privacyDesk.find("t-other")).toEqual([]);
    });

    it("saves, replaces and lists requests oldest first", async () => {
      const store = await open();
      const first = request("r1", { createdAt: "2026-11-20T10:00:00.000Z" });
      const second = request("r2", { createdAt: "2026-11-21T10:00:00.000Z", kind: "phone" });
      await store.privacyDesk.saveRequest(second);
      await store.privacyDesk.saveRequest(first);
      const done = { ...first, status: "done" as const, outcomes: [{ outcome: "erased", at: "2026-11-22T10:00:00.000Z" }] };
      await store.privacyDesk.saveRequest(done);
      expect(await store.privacyDesk.getRequest("r1")).toEqual(done);
      expect(await store.privacyDesk.getRequest("nope")).toBeUndefined();
      expect((await store.privacyDesk.listRequests()).map((record) => record.id)).toEqual(["r1", "r2"]);
    });

    it("keeps the index and the requests across close and reopen", async () => {
      const reopen = subject.reopen;
      if (!reopen) return;
      const store = await open();
      await store.privacyDesk.index("web-1", ["t-email"]);
      await store.privacyDesk.saveRequest(request("r1"));
      const again = await reopen(store);
      try {
        expect(await again.privacyDesk.find("t-email")).toEqual(["web-1"]);
        expect(await again.privacyDesk.getRequest("r1")).toEqual(request("r1"));
      } finally {
        await again.close();
      }
    });
  });
}
