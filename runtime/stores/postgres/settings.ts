/** PostgreSQL role: runtime settings (key → value). */
import type { SettingsStore } from "../ports/settings.ts";
import type { PgDatabase } from "./database.ts";

export function settingsTables(schema: string): string {
  return `
    CREATE TABLE IF NOT EXISTS ${schema}.settings (
      key text PRIMARY KEY,
      value text NOT NULL
    );`;
}

export function postgresSettings(db: PgDatabase): SettingsStore {
  const { schema } = db;
  return {
    async get(key) {
      const { rows } = await db.query<{ value: string }>(`SELECT value FROM ${schema}.settings WHERE key = $1`, [key]);
      return rows[0]?.value;
    },
    async put(key, value) {
      await db.query(`INSERT INTO ${schema}.settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`, [key, value]);
    },
  };
}
