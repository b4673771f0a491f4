/** PostgreSQL role: sign-in sessions, shared by every instance. */
import type { SessionRecord, SessionStore } from "../ports/sessions.ts";
import { isoTime, type PgDatabase } from "./database.ts";

export function sessionTables(schema: string): string {
  return `
    CREATE TABLE IF NOT EXISTS ${schema}.sessions (
      id_hash text PRIMARY KEY,
      account_id text NOT NULL,
      created_at text NOT NULL,
      last_seen_at text NOT NULL,
      expires_at text NOT NULL,
      expires_time timestamptz NOT NULL
    );
    CREATE INDEX IF NOT EXISTS sessions_by_account ON ${schema}.sessions (account_id);
    CREATE INDEX IF NOT EXISTS sessions_by_expiry ON ${schema}.sessions (expires_time);`;
}

interface SessionRow {
  id_hash: string;
  account_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export function postgresSessions(db: PgDatabase): SessionStore {
  const { schema } = db;
  return {
    async create(record) {
      await db.query(`INSERT INTO ${schema}.sessions (id_hash, account_id, created_at, last_seen_at, expires_at, expires_time) VALUES ($1, $2, $3, $4, $5, $6)`, [
        record.idHash,
        record.accountId,
        record.createdAt,
        record.lastSeenAt,
        record.expiresAt,
        isoTime(record.expiresAt, "expiresAt"),
      ]);
    },
    async get(idHash) {
      const { rows } = await db.query<SessionRow>(`SELECT id_hash, account_id, created_at, last_seen_at, expires_at FROM ${schema}.sessions WHERE id_hash = $1`, [idHash]);
      const row = rows[0];
      return row && ({ idHash: row.id_hash, accountId: row.account_id, createdAt: row.created_at, lastSeenAt: row.last_seen_at, expiresAt: row.expires_at } satisfies SessionRecord);
    },
    async touch(idHash, lastSeenAt, expiresAt) {
      const { rowCount } = await db.query(`UPDATE ${schema}.sessions SET last_seen_at = $2, expires_at = $3, expires_time = $4 WHERE id_hash = $1`, [
        idHash,
        lastSeenAt,
        expiresAt,
        isoTime(expiresAt, "expiresAt"),
      ]);
      return rowCount === 1;
    },
    async delete(idHash) {
      const { rowCount } = await db.query(`DELETE FROM ${schema}.sessions WHERE id_hash = $1`, [idHash]);
      return rowCount === 1;
    },
    async deleteForAccount(accountId) {
      const { rowCount } = await db.query(`DELETE FROM ${schema}.sessions WHERE account_id = $1`, [accountId]);
      return rowCount ?? 0;
    },
    async deleteExpired(now) {
      const { rowCount } = await db.query(`DELETE FROM ${schema}.sessions WHERE expires_time <= $1`, [isoTime(now, "now")]);
      return rowCount ?? 0;
    },
  };
}
