/** PostgreSQL role: one-time links; `take` is one DELETE … RETURNING, so only one caller gets a link. */
import type { TeamRole } from "../ports/accounts.ts";
import type { OneTimeLinkRecord, OneTimeLinkStore } from "../ports/one-time-links.ts";
import { isoTime, type PgDatabase } from "./database.ts";

export function oneTimeLinkTables(schema: string): string {
  return `
    CREATE TABLE IF NOT EXISTS ${schema}.one_time_links (
      token_hash text PRIMARY KEY,
      purpose text NOT NULL,
      account_id text,
      roles text[],
      created_at text NOT NULL,
      expires_at text NOT NULL,
      expires_time timestamptz NOT NULL
    );`;
}

interface LinkRow {
  token_hash: string;
  purpose: OneTimeLinkRecord["purpose"];
  account_id: string | null;
  roles: string[] | null;
  created_at: string;
  expires_at: string;
}

function fromRow(row: LinkRow): OneTimeLinkRecord {
  return {
    tokenHash: row.token_hash,
    purpose: row.purpose,
    ...(row.account_id === null ? {} : { accountId: row.account_id }),
    ...(row.roles === null ? {} : { roles: row.roles as TeamRole[] }),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

const columns = "token_hash, purpose, account_id, roles, created_at, expires_at";

export function postgresOneTimeLinks(db: PgDatabase): OneTimeLinkStore {
  const { schema } = db;
  return {
    async create(record) {
      await db.query(`INSERT INTO ${schema}.one_time_links (${columns}, expires_time) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
        record.tokenHash,
        record.purpose,
        record.accountId ?? null,
        record.roles ?? null,
        record.createdAt,
        record.expiresAt,
        isoTime(record.expiresAt, "expiresAt"),
      ]);
    },
    async get(tokenHash) {
      const { rows } = await db.query<LinkRow>(`SELECT ${columns} FROM ${schema}.one_time_links WHERE token_hash = $1`, [tokenHash]);
      return rows[0] && fromRow(rows[0]);
    },
    async take(tokenHash) {
      const { rows } = await db.query<LinkRow>(`DELETE FROM ${schema}.one_time_links WHERE token_hash = $1 RETURNING ${columns}`, [tokenHash]);
      return rows[0] && fromRow(rows[0]);
    },
    async deleteForAccount(accountId) {
      const { rowCount } = await db.query(`DELETE FROM ${schema}.one_time_links WHERE account_id = $1`, [accountId]);
      return rowCount ?? 0;
    },
    async deleteExpired(now) {
      const { rowCount } = await db.query(`DELETE FROM ${schema}.one_time_links WHERE expires_time <= $1`, [isoTime(now, "now")]);
      return rowCount ?? 0;
    },
  };
}
