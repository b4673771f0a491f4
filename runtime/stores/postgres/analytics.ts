/** PostgreSQL role: analytics counters; `add` is one upsert that adds to the stored counts. */
import type { AnalyticsCount, AnalyticsStore } from "../ports/analytics.ts";
import type { PgDatabase } from "./database.ts";

export function analyticsTables(schema: string): string {
  return `
    CREATE TABLE IF NOT EXISTS ${schema}.analytics_counts (
      flow text NOT NULL,
      version text NOT NULL,
      day text NOT NULL,
      key text NOT NULL,
      count bigint NOT NULL,
      PRIMARY KEY (flow, day, version, key)
    );`;
}

export function postgresAnalytics(db: PgDatabase): AnalyticsStore {
  const { schema } = db;
  return {
    async add(counts) {
      if (counts.length === 0) return;
      // One row per key: the same key twice in one statement would be refused by ON CONFLICT.
      const sums = new Map<string, AnalyticsCount>();
      for (const count of counts) {
        const key = `${count.flow}\u0000${count.version}\u0000${count.day}\u0000${count.key}`;
        const sum = sums.get(key);
        sums.set(key, sum ? { ...sum, count: sum.count + count.count } : { ...count });
      }
      const rows = [...sums.values()];
      await db.query(
        `INSERT INTO ${schema}.analytics_counts (flow, version, day, key, count)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[])
         ON CONFLICT (flow, day, version, key) DO UPDATE SET count = analytics_counts.count + EXCLUDED.count`,
        [rows.map((row) => row.flow), rows.map((row) => row.version), rows.map((row) => row.day), rows.map((row) => row.key), rows.map((row) => row.count)],
      );
    },
    async counts(flow, fromDay, toDay) {
      const { rows } = await db.query<{ flow: string; version: string; day: string; key: string; count: string }>(
        `SELECT flow, version, day, key, count FROM ${schema}.analytics_counts
         WHERE flow = $1 AND ($2::text IS NULL OR day >= $2) AND ($3::text IS NULL OR day <= $3)`,
        [flow, fromDay ?? null, toDay ?? null],
      );
      return rows.map((row) => ({ ...row, count: Number(row.count) }));
    },
  };
}
