/** Contract suite for the publish requests role. Run on every store by `store-contract.ts`. */
import { describe, expect, it } from "vitest";
import type { PublishRequestRecord } from "../ports/publish-requests.ts";
import { storeFixture, type StoreUnderTest } from "./records.ts";

function request(id: string, requestedAt: string): PublishRequestRecord {
  return { id, flow: "callback-request", yaml: `flow: callback-request # ${id}\n`, version: `sha256:${id}`, requestedBy: "max@muster.example", requestedAt, status: "pending" };
}

export function publishRequestsContract(subject: StoreUnderTest): void {
  const { open } = storeFixture(subject);

  describe("publish requests", () => {
    it("lists newest first, by status, and lets exactly one decision through", async () => {
      const store = await open();
      await store.publishRequests.create(request("r1", "2026-11-22T10:00:00.000Z"));
      await store.publishRequests.create(request("r2", "2026-11-22T11:00:00.000Z"));
      expect((await store.publishRequests.list()).map((stored) => stored.id)).toEqual(["r2", "r1"]);
      const decisions = await Promise.all([
        store.publishRequests.decide("r1", { status: "approved", decidedBy: "dpo@muster.example", decidedAt: "2026-11-22T12:00:00.000Z" }),
        store.publishRequests.decide("r1", { status: "rejected", decidedBy: "other@muster.example", decidedAt: "2026-11-22T12:00:01.000Z", reason: "too late" }),
      ]);
      expect(decisions.filter(Boolean)).toHaveLength(1);
      const decided = await store.publishRequests.get("r1");
      expect(decided?.status === "approved" ? decided.decidedBy : decided?.reason).toBe(decided?.status === "approved" ? "dpo@muster.example" : "too late");
      expect((await store.publishRequests.list("pending")).map((stored) => stored.id)).toEqual(["r2"]);
      expect(await store.publishRequests.get("nope")).toBeUndefined();
    });

    it("keeps the knowledge bases a request was submitted with", async () => {
      const store = await open();
      const submitted = { ...request("kb", "2026-11-22T10:00:00.000Z"), knowledgeBases: { service: "language: de\n" } };
      await store.publishRequests.create(submitted);
      expect(await store.publishRequests.get("kb")).toEqual(submitted);
    });
  });
}
