/** Contract suite for the analytics role. Run on every store by `store-contract.ts`. */
import { describe, expect, it } from "vitest";
import type { AnalyticsCount } from "../ports/analytics.ts";
import { storeFixture, type StoreUnderTest } from "./records.ts";

function sorted(counts: AnalyticsCount[]): AnalyticsCount[] {
  return [...counts].sort((a, b) => `${a.version}${a.day}${a.key}`.localeCompare(`${b.version}${b.day}${b.key}`));
}

export function analyticsContract(subject: StoreUnderTest): void {
  const { open, opened } = storeFixture(subject);

  describe("analytics", () => {
    it("adds counts per flow, version, day and key, also the same key twice in one call, and filters by day", async () => {
      const store = await open();
      await store.analytics.add([
        { flow: "contact", version: "v1", day: "2026-11-01", key: "started", count: 2 },
        { flow: "contact", version: "v1", day: "2026-11-01", key: "started", count: 1 },
        { flow: "contact", version: "v2", day: "2026-11-02", key: "step:ask-name", count: 1 },
        { flow: "other", version: "v1", day: "2026-11-01", key: "started", count: 9 },
      ]);
      await store.analytics.add([{ flow: "contact", version: "v1", day: "2026-11-01", key: "started", count: 4 }]);
      expect(sorted(await store.analytics.counts("contact"))).toEqual([
        { flow: "contact", version: "v1", day: "2026-11-01", key: "started", count: 7 },
        { flow: "contact", version: "v2", day: "2026-11-02", key: "step:ask-name", count: 1 },
      ]);
      expect(await store.analytics.counts("contact", "2026-11-02")).toEqual([{ flow: "contact", version: "v2", day: "2026-11-02", key: "step:ask-name", count: 1 }]);
      expect(await store.analytics.counts("contact", undefined, "2026-11-01")).toEqual([{ flow: "contact", version: "v1", day: "2026-11-01", key: "started", count: 7 }]);
      if (!subject.reopen) return;
      const again = await subject.reopen(store);
      opened.push(again);
      expect(sorted(await again.analytics.counts("contact"))).toHaveLength(2);
    });
  });
}
