/** PostgreSQL role: failed sign-ins per key, so every instance throttles alike. */
import type { SignInAttemptStore } from "../ports/sign-in-attempts.ts";
import { isoTime, type PgDatabase } from "./database.ts";

export function signInAttemptTables(schema: string): string {
  return `
    CREATE TABLE IF NOT EXISTS ${schema}.sign_in_attempts (
      key text NOT NULL,
      at timestamptz NOT NULL
    );
    CREATE INDEX IF NOT EXISTS sign_in_attempts_by_key ON ${schema}.sign_in_attempts (key, at);`;
}

export function postgresSignInAttempts(db: PgDatabase): SignInAttemptStore {
  const { schema } = db;
  return {
    async record(keys, at) {
      if (keys.length === 0) return;
      await db.query(`INSERT INTO ${schema}.sign_in_attempts (key, at) SELECT unnest($1::text[]), $2`, [keys, isoTime(at, "at")]);
    },
    async count(key, since) {
      const { rows } = await db.query<{ count: string; earliest: Date | null }>(
        `SELECT count(*) AS count, min(at) AS earliest FROM ${schema}.sign_in_attempts WHERE key = $1 AND at >= $2`,
        [key, isoTime(since, "since")],
      );
      const count = Number(rows[0]?.count ?? 0);
      const earliest = rows[0]?.earliest;
      return earliest ? { count, earliest: earliest.toISOString() } : { count };
    },
    async clear(key) {
      await db.query(`DELETE FROM ${schema}.sign_in_attempts WHERE key = $1`, [key]);
    },
    async deleteBefore(before) {
      const { rowCount } = await db.query(`DELETE FROM ${schema}.sign_in_attempts WHERE at < $1`, [isoTime(before, "before")]);
      return rowCount ?? 0;
    },
  };
}
