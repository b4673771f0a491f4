/** PostgreSQL role: published flow versions (immutable) and the current one per flow. */
import type { FlowVersionRecord, FlowVersionStore } from "../ports/flow-versions.ts";
import type { PgDatabase } from "./database.ts";

export function flowVersionTables(schema: string): string {
  return `
    CREATE TABLE IF NOT EXISTS ${schema}.flow_versions (
      flow text NOT NULL,
      version text NOT NULL,
      yaml text NOT NULL,
      published_at text NOT NULL,
      PRIMARY KEY (flow, version)
    );
    ALTER TABLE ${schema}.flow_versions ADD COLUMN IF NOT EXISTS knowledge_bases jsonb;
    CREATE TABLE IF NOT EXISTS ${schema}.current_flows (
      flow text PRIMARY KEY,
      version text NOT NULL
    );`;
}

interface FlowVersionRow {
  flow: string;
  version: string;
  yaml: string;
  published_at: string;
  knowledge_bases: Record<string, string> | null;
}

function fromRow(row: FlowVersionRow): FlowVersionRecord {
  const record: FlowVersionRecord = { flow: row.flow, version: row.version, yaml: row.yaml, publishedAt: row.published_at };
  if (row.knowledge_bases !== null) record.knowledgeBases = row.knowledge_bases;
  return record;
}

export function postgresFlowVersions(db: PgDatabase): FlowVersionStore {
  const { schema } = db;
  return {
    async publish(record) {
      // One statement: the version (kept as first stored) and the pointer to it change together.
      await db.query(
        `WITH stored AS (
           INSERT INTO ${schema}.flow_versions (flow, version, yaml, published_at, knowledge_bases)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT (flow, version) DO NOTHING)
         INSERT INTO ${schema}.current_flows (flow, version) VALUES ($1, $2)
         ON CONFLICT (flow) DO UPDATE SET version = EXCLUDED.version`,
        [record.flow, record.version, record.yaml, record.publishedAt, record.knowledgeBases ? JSON.stringify(record.knowledgeBases) : null],
      );
    },
    async get(flow, version) {
      const { rows } = await db.query<FlowVersionRow>(
        `SELECT flow, version, yaml, published_at, knowledge_bases FROM ${schema}.flow_versions WHERE flow = $1 AND version = $2`,
        [flow, version],
      );
      return rows[0] && fromRow(rows[0]);
    },
    async current(flow) {
      const { rows } = await db.query<FlowVersionRow>(
        `SELECT v.flow, v.version, v.yaml, v.published_at, v.knowledge_bases FROM ${schema}.current_flows c
         JOIN ${schema}.flow_versions v ON v.flow = c.flow AND v.version = c.version WHERE c.flow = $1`,
        [flow],
      );
      return rows[0] && fromRow(rows[0]);
    },
    async list() {
      const { rows } = await db.query<{ flow: string }>(`SELECT flow FROM ${schema}.current_flows`);
      return rows.map((row) => row.flow).sort();
    },
  };
}
