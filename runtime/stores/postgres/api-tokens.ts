/** PostgreSQL role: API tokens, found by their keyed hash. */
import type { TeamRole } from "../ports/accounts.ts";
import type { ApiTokenRecord, ApiTokenStore } from "../ports/api-tokens.ts";
import type { PgDatabase } from "./database.ts";

export function apiTokenTables(schema: string): string {
  return `
    CREATE TABLE IF NOT EXISTS ${schema}.api_tokens (
      id text PRIMARY KEY,
      name text NOT NULL,
      token_hash text NOT NULL UNIQUE,
      roles text[] NOT NULL,
      created_at text NOT NULL,
      created_by text NOT NULL
    );`;
}

interface TokenRow {
  id: string;
  name: string;
  token_hash: string;
  roles: string[];
  created_at: string;
  created_by: string;
}

function fromRow(row: TokenRow): ApiTokenRecord {
  return { id: row.id, name: row.name, tokenHash: row.token_hash, roles: row.roles as TeamRole[], createdAt: row.created_at, createdBy: row.created_by };
}

const columns = "id, name, token_hash, roles, created_at, created_by";

export function postgresApiTokens(db: PgDatabase): ApiTokenStore {
  const { schema } = db;
  return {
    async create(record) {
      await db.query(`INSERT INTO ${schema}.api_tokens (${columns}) VALUES ($1, $2, $3, $4, $5, $6)`, [
        record.id,
        record.name,
        record.tokenHash,
        record.roles,
        record.createdAt,
        record.createdBy,
      ]);
    },
    async findByHash(tokenHash) {
      const { rows } = await db.query<TokenRow>(`SELECT ${columns} FROM ${schema}.api_tokens WHERE token_hash = $1`, [tokenHash]);
      return rows[0] && fromRow(rows[0]);
    },
    async list() {
      const { rows } = await db.query<TokenRow>(`SELECT ${columns} FROM ${schema}.api_tokens ORDER BY created_at, id`);
      return rows.map(fromRow);
    },
    async delete(id) {
      const { rowCount } = await db.query(`DELETE FROM ${schema}.api_tokens WHERE id = $1`, [id]);
      return rowCount === 1;
    },
  };
}
