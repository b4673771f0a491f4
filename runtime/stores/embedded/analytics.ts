/** Store role: analytics counters, over the embedded record collections (one record per flow, version, day and key). */
import type { AnalyticsCount, AnalyticsStore } from "../ports/analytics.ts";
import type { EmbeddedRecords, RecordWrite } from "./embedded-records.ts";

const collection = "analytics";

function keyOf(count: Omit<AnalyticsCount, "count">): string {
  return `${count.flow}\u0000${count.version}\u0000${count.day}\u0000${count.key}`;
}

export function embeddedAnalytics(records: EmbeddedRecords): AnalyticsStore {
  return {
    async add(counts) {
      const sums = new Map<string, AnalyticsCount>();
      for (const count of counts) {
        const key = keyOf(count);
        const stored = sums.get(key) ?? (records.get(collection, key) as AnalyticsCount | undefined);
        sums.set(key, { flow: count.flow, version: count.version, day: count.day, key: count.key, count: (stored?.count ?? 0) + count.count });
      }
      const writes: RecordWrite[] = [...sums].map(([key, value]) => ({ collection, key, value: { ...value } }));
      await records.write(writes);
    },
    async counts(flow, fromDay, toDay) {
      const found: AnalyticsCount[] = [];
      for (const value of records.all(collection).values()) {
        const count = value as unknown as AnalyticsCount;
        if (count.flow !== flow || (fromDay !== undefined && count.day < fromDay) || (toDay !== undefined && count.day > toDay)) continue;
        found.push({ ...count });
      }
      return found;
    },
  };
}
