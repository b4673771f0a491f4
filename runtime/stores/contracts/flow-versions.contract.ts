/** Contract suite for the flow-versions role: immutable versions, the current one, rollback. Run on every store by `store-contract.ts`. */
import { describe, expect, it } from "vitest";
import { flowVersion, storeFixture, type StoreUnderTest } from "./records.ts";

export function flowVersionsContract(subject: StoreUnderTest): void {
  const { open, opened } = storeFixture(subject);

  describe("flow versions", () => {
    it("returns a published version and makes it current", async () => {
      const store = await open();
      const published = flowVersion("contact", "hash-1");
      await store.flowVersions.publish(published);
      expect(await store.flowVersions.get("contact", "hash-1")).toEqual(published);
      expect(await store.flowVersions.current("contact")).toEqual(published);
    });

    it("never overwrites a stored version when the same version is published again", async () => {
      const store = await open();
      const first = flowVersion("contact", "hash-1");
      await store.flowVersions.publish(first);
      await store.flowVersions.publish(
        flowVersion("contact", "hash-1", { yaml: "changed", publishedAt: "2026-04-01T00:00:00.000Z" }),
      );
      expect(await store.flowVersions.get("contact", "hash-1")).toEqual(first);
    });

    it("makes the most recently published version current, also when it is an older one again", async () => {
      const store = await open();
      const first = flowVersion("contact", "hash-1");
      const second = flowVersion("contact", "hash-2", { publishedAt: "2026-03-02T09:00:00.000Z" });
      await store.flowVersions.publish(first);
      await store.flowVersions.publish(second);
      expect(await store.flowVersions.current("contact")).toEqual(second);
      await store.flowVersions.publish(flowVersion("contact", "hash-1", { publishedAt: "2026-03-03T09:00:00.000Z" }));
      expect(await store.flowVersions.current("contact")).toEqual(first);
      expect(await store.flowVersions.get("contact", "hash-2")).toEqual(second);
    });

    it("keeps the knowledge bases published with a version, also after a restart", async () => {
      const store = await open();
      const published = flowVersion("support", "hash-kb", { knowledgeBases: { service: "language: de\nentries: []\n", "other-kb": "language: en\n" } });
      await store.flowVersions.publish(published);
      expect(await store.flowVersions.get("support", "hash-kb")).toEqual(published);
      if (!subject.reopen) return;
      const reopened = await subject.reopen(store);
      opened.push(reopened);
      expect(await reopened.flowVersions.current("support")).toEqual(published);
    });

    it("returns undefined for an unknown flow or version", async () => {
      const store = await open();
      await store.flowVersions.publish(flowVersion("contact", "hash-1"));
      expect(await store.flowVersions.get("contact", "hash-unknown")).toBeUndefined();
      expect(await store.flowVersions.get("unknown", "hash-1")).toBeUndefined();
      expect(await store.flowVersions.current("unknown")).toBeUndefined();
    });

    it("lists each published flow once, sorted", async () => {
      const store = await open();
      expect(await store.flowVersions.list()).toEqual([]);
      for (const [flow, version] of [
        ["support", "a"],
        ["contact", "b"],
        ["support", "c"],
      ] as const) {
        await store.flowVersions.publish(flowVersion(flow, version));
      }
      expect(await store.flowVersions.list()).toEqual(["contact", "support"]);
    });
  });

}
