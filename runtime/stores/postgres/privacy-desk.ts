/** PostgreSQL role: the privacy desk — the blind index (token, conversation) and the requests. */
import type { PrivacyDeskStore, PrivacyRequestRecord } from "../ports/privacy-desk.ts";
import type { PgDatabase } from "./database.ts";

export function privacyDeskTables(schema: string): string {
  return `
    CREATE TABLE IF NOT EXISTS ${schema}.blind_index (
      token text NOT NULL,
      conversation text NOT NULL,
      PRIMARY KEY (token, conversation)
    );
    CREATE INDEX IF NOT EXISTS blind_index_by_conversation ON ${schema}.blind_index (conversation);
    CREATE TABLE IF NOT EXISTS ${schema}.privacy_requests (
      id text PRIMARY KEY,
      created_at timestamptz NOT NULL,
      record jsonb NOT NULL
    );`;
}

export function postgresPrivacyDesk(db: PgDatabase): PrivacyDeskStore {
  const { schema } = db;
  return {
    async index(conversationId, tokens) {
      await db.transaction(async (client) => {
        await client.query(`DELETE FROM ${schema}.blind_index WHERE conversation = $1`, [conversationId]);
        if (tokens.length > 0) {
          await client.query(`INSERT INTO ${schema}.blind_index (token, conversation) SELECT unnest($1::text[]), $2 ON CONFLICT DO NOTHING`, [[...tokens], conversationId]);
        }
      });
    },
    async find(token) {
      const { rows } = await db.query<{ conversation: string }>(`SELECT conversation FROM ${schema}.blind_index WHERE token = $1`, [token]);
      return rows.map((row) => row.conversation);
    },
    async forget(conversationIds) {
      if (conversationIds.length === 0) return;
      await db.query(`DELETE FROM ${schema}.blind_index WHERE conversation = ANY($1::text[])`, [[...conversationIds]]);
    },
    async saveRequest(record) {
      await db.query(
        `INSERT INTO ${schema}.privacy_requests (id, created_at, record) VALUES ($1, $2, $3::jsonb) ON CONFLICT (id) DO UPDATE SET record = EXCLUDED.record`,
        [record.id, record.createdAt, JSON.stringify(record)],
      );
    },
    async getRequest(id) {
      const { rows } = await db.query<{ record: PrivacyRequestRecord }>(`SELECT record FROM ${schema}.privacy_requests WHERE id = $1`, [id]);
      return rows[0]?.record;
    },
    async listRequests() {
      const { rows } = await db.query<{ record: PrivacyRequestRecord }>(`SELECT record FROM ${schema}.privacy_requests ORDER BY created_at, id`);
      return rows.map((row) => row.record);
    },
  };
}
