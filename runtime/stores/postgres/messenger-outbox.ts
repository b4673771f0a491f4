/**
 * PostgreSQL role: the messenger outbox. Instances claim an entry before sending it
 * (`claimed_by`, `claimed_until`), so no two send the same reply, and a dead instance's claim
 * runs out for another to take over.
 */
import type pg from "pg";
import type { MessengerOutboxStore, OutboxRecord } from "../ports/messenger-outbox.ts";
import { isoTime, type PgDatabase } from "./database.ts";

export function outboxTables(schema: string): string {
  return `
    CREATE TABLE IF NOT EXISTS ${schema}.outbox (
      id text PRIMARY KEY,
      channel text NOT NULL,
      conversation_key text NOT NULL,
      sequence bigserial NOT NULL,
      sealed_call text NOT NULL,
      attempts integer NOT NULL,
      next_attempt_at text NOT NULL,
      not_after text
    );
    ALTER TABLE ${schema}.outbox ADD COLUMN IF NOT EXISTS claimed_by text;
    ALTER TABLE ${schema}.outbox ADD COLUMN IF NOT EXISTS claimed_until timestamptz;`;
}

interface OutboxRow {
  id: string;
  channel: string;
  conversation_key: string;
  sequence: string;
  sealed_call: string;
  attempts: number;
  next_attempt_at: string;
  not_after: string | null;
}

function fromRow(row: OutboxRow): OutboxRecord {
  return {
    id: row.id,
    channel: row.channel,
    conversationKey: row.conversation_key,
    sequence: Number(row.sequence),
    sealedCall: row.sealed_call,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    ...(row.not_after === null ? {} : { notAfter: row.not_after }),
  };
}

/** Adds an entry inside the inbox's completion transaction; the sequence comes from the table. */
export async function insertOutboxRow(client: pg.PoolClient, schema: string, entry: Omit<OutboxRecord, "sequence">): Promise<void> {
  await client.query(
    `INSERT INTO ${schema}.outbox (id, channel, conversation_key, sealed_call, attempts, next_attempt_at, not_after)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [entry.id, entry.channel, entry.conversationKey, entry.sealedCall, entry.attempts, entry.nextAttemptAt, entry.notAfter ?? null],
  );
}

export function postgresOutbox(db: PgDatabase): MessengerOutboxStore {
  const { schema } = db;
  return {
    async pending() {
      const { rows } = await db.query<OutboxRow>(
        `SELECT id, channel, conversation_key, sequence, sealed_call, attempts, next_attempt_at, not_after
         FROM ${schema}.outbox ORDER BY sequence`,
      );
      return rows.map(fromRow);
    },
    async add(entries) {
      if (entries.length === 0) return;
      await db.transaction(async (client) => {
        for (const entry of entries) await insertOutboxRow(client, schema, entry);
      });
    },
    async reschedule(id, attempts, nextAttemptAt) {
      const { rowCount } = await db.query(`UPDATE ${schema}.outbox SET attempts = $2, next_attempt_at = $3 WHERE id = $1`, [id, attempts, nextAttemptAt]);
      return rowCount === 1;
    },
    async finish(id) {
      const { rowCount } = await db.query(`DELETE FROM ${schema}.outbox WHERE id = $1`, [id]);
      return rowCount === 1;
    },
    async claim(id, owner, now, until) {
      const { rowCount } = await db.query(
        `UPDATE ${schema}.outbox SET claimed_by = $2, claimed_until = $4
         WHERE id = $1 AND (claimed_by IS NULL OR claimed_by = $2 OR claimed_until <= $3)`,
        [id, owner, isoTime(now, "now"), isoTime(until, "until")],
      );
      return rowCount === 1;
    },
  };
}
