/**
 * Store role: analytics counters (docs/analytics.md) — how often something happened per flow,
 * flow version and day. Keys name flow structure only (`step:<node>`, `consent:accept:<purpose>`,
 * …): no conversation id, no text a visitor wrote, no time finer than a day.
 */

export interface AnalyticsCount {
  flow: string;
  version: string;
  /** `YYYY-MM-DD` (UTC). */
  day: string;
  key: string;
  count: number;
}

export interface AnalyticsStore {
  /** Adds each count to the stored one (creating it at 0). Atomic and durable when resolved. */
  add(counts: readonly AnalyticsCount[]): Promise<void>;

  /** The counts of a flow, all versions, for the days from `fromDay` to `toDay` (both included, either open). */
  counts(flow: string, fromDay?: string, toDay?: string): Promise<AnalyticsCount[]>;
}
