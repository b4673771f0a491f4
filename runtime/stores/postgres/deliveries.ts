/**
 * PostgreSQL role: deliveries. Claims are columns (`claimed_by`, `claimed_until`) taken with
 * `FOR UPDATE SKIP LOCKED`, so instances draining the outbox together never take the same
 * delivery and a dead instance's claims run out for another. Erasing a conversation deletes its
 * deliveries in the erasure's own statement (`data-keys.ts`).
 */
import type { DeliveryRecord, DeliveryStore, NewDeliveryRecord } from "../ports/deliveries.ts";
import { isoTime, type PgDatabase } from "./database.ts";

export function deliveryTables(schema: string): string {
  return `
    CREATE TABLE IF NOT EXISTS ${schema}.deliveries (
      id text PRIMARY KEY,
      kind text NOT NULL,
      conversation_id text,
      survives_erasure boolean NOT NULL,
      flow text,
      node text,
      host text NOT NULL,
      sealed_request text NOT NULL,
      created_at text NOT NULL,
      next_attempt_at text NOT NULL,
      next_attempt_time timestamptz NOT NULL,
      give_up_at text NOT NULL,
      status text NOT NULL,
      attempts integer NOT NULL,
      last_error text,
      failed_at text,
      failed_time timestamptz,
      claimed_by text,
      claimed_until timestamptz
    );
    CREATE INDEX IF NOT EXISTS deliveries_due ON ${schema}.deliveries (next_attempt_time) WHERE status = 'pending';
    CREATE INDEX IF NOT EXISTS deliveries_failed ON ${schema}.deliveries (failed_time DESC) WHERE status = 'failed';
    CREATE INDEX IF NOT EXISTS deliveries_by_conversation ON ${schema}.deliveries (conversation_id) WHERE conversation_id IS NOT NULL;`;
}

/** The CTE part of an erasure that removes the erased conversations' deliveries; `ids` is a query of their ids. */
export function eraseDeliveries(schema: string, ids: string): string {
  return `DELETE FROM ${schema}.deliveries WHERE conversation_id IN (${ids}) AND NOT survives_erasure RETURNING 1`;
}

interface DeliveryRow {
  id: string;
  kind: string;
  conversation_id: string | null;
  survives_erasure: boolean;
  flow: string | null;
  node: string | null;
  host: string;
  sealed_request: string;
  created_at: string;
  next_attempt_at: string;
  give_up_at: string;
  status: "pending" | "failed";
  attempts: number;
  last_error: string | null;
  failed_at: string | null;
}

const columns =
  "id, kind, conversation_id, survives_erasure, flow, node, host, sealed_request, created_at, next_attempt_at, give_up_at, status, attempts, last_error, failed_at";

function fromRow(row: DeliveryRow): DeliveryRecord {
  return {
    id: row.id,
    kind: row.kind,
    ...(row.conversation_id === null ? {} : { conversationId: row.conversation_id }),
    survivesErasure: row.survives_erasure,
    ...(row.flow === null ? {} : { flow: row.flow }),
    ...(row.node === null ? {} : { node: row.node }),
    host: row.host,
    sealedRequest: row.sealed_request,
    createdAt: row.created_at,
    nextAttemptAt: row.next_attempt_at,
    giveUpAt: row.give_up_at,
    status: row.status,
    attempts: row.attempts,
    ...(row.last_error === null ? {} : { lastError: row.last_error }),
    ...(row.failed_at === null ? {} : { failedAt: row.failed_at }),
  };
}

/** The pool (through `PgDatabase`) or a transaction's client. */
interface Queryable {
  query(text: string, values: unknown[]): Promise<unknown>;
}

/** Inserts deliveries at attempt 0 (ids stored already are left alone), on the pool or inside the transaction of a conversation change. */
export async function insertDeliveryRows(db: Queryable, schema: string, deliveries: readonly NewDeliveryRecord[] | undefined): Promise<void> {
  if (!deliveries || deliveries.length === 0) return;
  const values: unknown[] = [];
  const rows = deliveries.map((delivery, index) => {
    values.push(
      delivery.id,
      delivery.kind,
      delivery.conversationId ?? null,
      delivery.survivesErasure,
      delivery.flow ?? null,
      delivery.node ?? null,
      delivery.host,
      delivery.sealedRequest,
      delivery.createdAt,
      delivery.nextAttemptAt,
      isoTime(delivery.nextAttemptAt, "nextAttemptAt"),
      delivery.giveUpAt,
    );
    const base = index * 12;
    return `(${Array.from({ length: 12 }, (_, i) => `$${base + i + 1}`).join(", ")}, 'pending', 0)`;
  });
  await db.query(
    `INSERT INTO ${schema}.deliveries (id, kind, conversation_id, survives_erasure, flow, node, host, sealed_request, created_at, next_attempt_at, next_attempt_time, give_up_at, status, attempts)
     VALUES ${rows.join(", ")} ON CONFLICT (id) DO NOTHING`,
    values,
  );
}

/**
 * Removes delivered deliveries in groups: while one DELETE is on its way, the finishes that come
 * in wait and go together in the next (one statement and one commit for all of them, instead of
 * one each while a backlog drains). Each caller's promise settles once the statement holding its
 * id has committed, so a resolved `finish` is as durable as before.
 */
function groupedFinish(db: PgDatabase): (id: string) => Promise<boolean> {
  let waiting = new Map<string, { resolve: (gone: boolean) => void; reject: (error: unknown) => void }[]>();
  let running = false;
  async function run(): Promise<void> {
    running = true;
    while (waiting.size > 0) {
      const round = waiting;
      waiting = new Map();
      try {
        const { rows } = await db.query<{ id: string }>(`DELETE FROM ${db.schema}.deliveries WHERE id = ANY($1::text[]) RETURNING id`, [[...round.keys()]]);
        const removed = new Set(rows.map((row) => row.id));
        // The first caller of an id removed it; one finishing the same id again in the same round finds it gone, as one after it would.
        for (const [id, callers] of round) {
          for (const [index, caller] of callers.entries()) caller.resolve(index === 0 && removed.has(id));
        }
      } catch (error) {
        for (const callers of round.values()) for (const caller of callers) caller.reject(error);
      }
    }
    running = false;
  }
  return (id) =>
    new Promise((resolve, reject) => {
      const callers = waiting.get(id) ?? [];
      callers.push({ resolve, reject });
      waiting.set(id, callers);
      if (!running) void run();
    });
}

export function postgresDeliveries(db: PgDatabase): DeliveryStore {
  const { schema } = db;
  const finish = groupedFinish(db);
  return {
    add: (deliveries) => insertDeliveryRows(db, schema, deliveries),
    async get(id) {
      const { rows } = await db.query<DeliveryRow>(`SELECT ${columns} FROM ${schema}.deliveries WHERE id = $1`, [id]);
      return rows[0] && fromRow(rows[0]);
    },
    async claimDue(owner, now, until, limit) {
      const { rows } = await db.query<DeliveryRow>(
        `UPDATE ${schema}.deliveries SET claimed_by = $1, claimed_until = $3
         WHERE id IN (
           SELECT id FROM ${schema}.deliveries
           WHERE status = 'pending' AND next_attempt_time <= $2 AND (claimed_by IS NULL OR claimed_until <= $2)
           ORDER BY next_attempt_time LIMIT $4 FOR UPDATE SKIP LOCKED)
         RETURNING ${columns}`,
        [owner, isoTime(now, "now"), isoTime(until, "until"), limit],
      );
      return rows.map(fromRow);
    },
    async nextDue() {
      const { rows } = await db.query<{ next_attempt_at: string }>(
        `SELECT next_attempt_at FROM ${schema}.deliveries WHERE status = 'pending' ORDER BY next_attempt_time LIMIT 1`,
      );
      return rows[0]?.next_attempt_at;
    },
    async reschedule(id, attempts, nextAttemptAt, lastError) {
      const { rowCount } = await db.query(
        `UPDATE ${schema}.deliveries SET attempts = $2, next_attempt_at = $3, next_attempt_time = $4, last_error = $5, claimed_by = NULL, claimed_until = NULL
         WHERE id = $1`,
        [id, attempts, nextAttemptAt, isoTime(nextAttemptAt, "nextAttemptAt"), lastError],
      );
      return rowCount === 1;
    },
    finish,
    async fail(id, attempts, failedAt, lastError) {
      const { rowCount } = await db.query(
        `UPDATE ${schema}.deliveries SET status = 'failed', attempts = $2, failed_at = $3, failed_time = $4, last_error = $5, claimed_by = NULL, claimed_until = NULL
         WHERE id = $1`,
        [id, attempts, failedAt, isoTime(failedAt, "failedAt"), lastError],
      );
      return rowCount === 1;
    },
    async failed(limit) {
      const { rows } = await db.query<DeliveryRow>(
        `SELECT ${columns} FROM ${schema}.deliveries WHERE status = 'failed' ORDER BY failed_time DESC, id LIMIT $1`,
        [limit],
      );
      return rows.map(fromRow);
    },
    async retrying(limit) {
      const { rows } = await db.query<DeliveryRow>(
        `SELECT ${columns} FROM ${schema}.deliveries WHERE status = 'pending' AND attempts > 0 ORDER BY created_at, id LIMIT $1`,
        [limit],
      );
      return rows.map(fromRow);
    },
    async retry(id, nextAttemptAt, giveUpAt) {
      const { rowCount } = await db.query(
        `UPDATE ${schema}.deliveries SET status = 'pending', attempts = 0, next_attempt_at = $2, next_attempt_time = $3, give_up_at = $4,
           failed_at = NULL, failed_time = NULL
         WHERE id = $1 AND status = 'failed'`,
        [id, nextAttemptAt, isoTime(nextAttemptAt, "nextAttemptAt"), giveUpAt],
      );
      return rowCount === 1;
    },
    async counts() {
      const { rows } = await db.query<{ status: string; count: string }>(`SELECT status, count(*) AS count FROM ${schema}.deliveries GROUP BY status`);
      const count = (status: string) => Number(rows.find((row) => row.status === status)?.count ?? 0);
      return { pending: count("pending"), failed: count("failed") };
    },
  };
}
