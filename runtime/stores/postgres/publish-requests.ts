/** PostgreSQL role: publish requests; a decision is a conditional UPDATE, so the first decider wins. */
import type { PublishRequestRecord, PublishRequestStore } from "../ports/publish-requests.ts";
import { isoTime, type PgDatabase } from "./database.ts";

export function publishRequestTables(schema: string): string {
  return `
    CREATE TABLE IF NOT EXISTS ${schema}.publish_requests (
      id text PRIMARY KEY,
      flow text NOT NULL,
      yaml text NOT NULL,
      version text NOT NULL,
      requested_by text NOT NULL,
      requested_at text NOT NULL,
      requested_time timestamptz NOT NULL,
      status text NOT NULL,
      decided_by text,
      decided_at text,
      reason text
    );
    ALTER TABLE ${schema}.publish_requests ADD COLUMN IF NOT EXISTS knowledge_bases jsonb;`;
}

interface RequestRow {
  id: string;
  flow: string;
  yaml: string;
  version: string;
  requested_by: string;
  requested_at: string;
  status: PublishRequestRecord["status"];
  decided_by: string | null;
  decided_at: string | null;
  reason: string | null;
  knowledge_bases: Record<string, string> | null;
}

function fromRow(row: RequestRow): PublishRequestRecord {
  return {
    id: row.id,
    flow: row.flow,
    yaml: row.yaml,
    version: row.version,
    requestedBy: row.requested_by,
    requestedAt: row.requested_at,
    status: row.status,
    ...(row.decided_by === null ? {} : { decidedBy: row.decided_by }),
    ...(row.decided_at === null ? {} : { decidedAt: row.decided_at }),
    ...(row.reason === null ? {} : { reason: row.reason }),
    ...(row.knowledge_bases === null ? {} : { knowledgeBases: row.knowledge_bases }),
  };
}

const columns = "id, flow, yaml, version, requested_by, requested_at, status, decided_by, decided_at, reason, knowledge_bases";

export function postgresPublishRequests(db: PgDatabase): PublishRequestStore {
  const { schema } = db;
  return {
    async create(record) {
      await db.query(`INSERT INTO ${schema}.publish_requests (${columns}, requested_time) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`, [
        record.id,
        record.flow,
        record.yaml,
        record.version,
        record.requestedBy,
        record.requestedAt,
        record.status,
        record.decidedBy ?? null,
        record.decidedAt ?? null,
        record.reason ?? null,
        record.knowledgeBases ? JSON.stringify(record.knowledgeBases) : null,
        isoTime(record.requestedAt, "requestedAt"),
      ]);
    },
    async get(id) {
      const { rows } = await db.query<RequestRow>(`SELECT ${columns} FROM ${schema}.publish_requests WHERE id = $1`, [id]);
      return rows[0] && fromRow(rows[0]);
    },
    async list(status) {
      const { rows } = await db.query<RequestRow>(
        `SELECT ${columns} FROM ${schema}.publish_requests WHERE $1::text IS NULL OR status = $1 ORDER BY requested_time DESC, id DESC`,
        [status ?? null],
      );
      return rows.map(fromRow);
    },
    async decide(id, decision) {
      const { rowCount } = await db.query(`UPDATE ${schema}.publish_requests SET status = $2, decided_by = $3, decided_at = $4, reason = $5 WHERE id = $1 AND status = 'pending'`, [
        id,
        decision.status,
        decision.decidedBy ?? null,
        decision.decidedAt ?? null,
        decision.reason ?? null,
      ]);
      return rowCount === 1;
    },
  };
}
