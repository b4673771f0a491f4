/** PostgreSQL role: the audit trail, append-only, read in id order. */
import type { AuditEntry, AuditTrailStore } from "../ports/audit-trail.ts";
import { isoTime, type PgDatabase } from "./database.ts";

export function auditTrailTables(schema: string): string {
  return `
    CREATE TABLE IF NOT EXISTS ${schema}.audit_trail (
      id text PRIMARY KEY,
      time text NOT NULL,
      at timestamptz NOT NULL,
      actor text NOT NULL,
      action text NOT NULL,
      target text,
      outcome text NOT NULL,
      address text,
      details jsonb
    );
    CREATE INDEX IF NOT EXISTS audit_trail_by_time ON ${schema}.audit_trail (at);`;
}

interface AuditRow {
  id: string;
  time: string;
  actor: string;
  action: string;
  target: string | null;
  outcome: AuditEntry["outcome"];
  address: string | null;
  details: AuditEntry["details"] | null;
}

function fromRow(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    time: row.time,
    actor: row.actor,
    action: row.action,
    ...(row.target === null ? {} : { target: row.target }),
    outcome: row.outcome,
    ...(row.address === null ? {} : { address: row.address }),
    ...(row.details === null ? {} : { details: row.details }),
  };
}

export function postgresAuditTrail(db: PgDatabase): AuditTrailStore {
  const { schema } = db;
  return {
    async append(entry) {
      await db.query(`INSERT INTO ${schema}.audit_trail (id, time, at, actor, action, target, outcome, address, details) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, [
        entry.id,
        entry.time,
        isoTime(entry.time, "time"),
        entry.actor,
        entry.action,
        entry.target ?? null,
        entry.outcome,
        entry.address ?? null,
        entry.details === undefined ? null : JSON.stringify(entry.details),
      ]);
    },
    async list(query) {
      const where: string[] = [];
      const params: unknown[] = [];
      const add = (condition: string, value: unknown) => {
        params.push(value);
        where.push(condition.replace("?", `$${params.length}`));
      };
      if (query.from !== undefined) add("at >= ?", isoTime(query.from, "from"));
      if (query.to !== undefined) add("at <= ?", isoTime(query.to, "to"));
      if (query.actor !== undefined) add("actor = ?", query.actor);
      if (query.action !== undefined) add("action = ?", query.action);
      if (query.target !== undefined) add("target = ?", query.target);
      if (query.after !== undefined) add("id > ?", query.after);
      params.push(query.limit ?? null);
      const { rows } = await db.query<AuditRow>(
        `SELECT id, time, actor, action, target, outcome, address, details FROM ${schema}.audit_trail
         ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id LIMIT $${params.length}`,
        params,
      );
      return rows.map(fromRow);
    },
    async deleteBefore(before) {
      const { rowCount } = await db.query(`DELETE FROM ${schema}.audit_trail WHERE at < $1`, [isoTime(before, "before")]);
      return rowCount ?? 0;
    },
  };
}
