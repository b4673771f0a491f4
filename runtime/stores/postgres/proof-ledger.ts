/**
 * PostgreSQL role: the proof ledger. Entries in one table by sequence number; the head, the
 * checkpoint and the halt in a small table beside it, the head updated with a compare-and-set in
 * the transaction that inserts the entries, so instances appending at once chain one line.
 */
import type pg from "pg";
import type { LedgerCheckpoint, LedgerDraft, LedgerEntry, LedgerStatus, ProofLedgerStore } from "../ports/proof-ledger.ts";
import { isoTime, type PgDatabase, Rollback } from "./database.ts";

export function proofLedgerTables(schema: string): string {
  return `
    CREATE TABLE IF NOT EXISTS ${schema}.proof_ledger (
      seq bigint PRIMARY KEY,
      time text NOT NULL,
      at timestamptz NOT NULL,
      type text NOT NULL,
      decision text,
      purpose text,
      flow text,
      flow_version text,
      channel text,
      person text,
      text_hash text,
      reason text,
      request text,
      prev text NOT NULL,
      hash text NOT NULL
    );
    CREATE INDEX IF NOT EXISTS proof_ledger_by_person ON ${schema}.proof_ledger (person) WHERE person IS NOT NULL;
    CREATE TABLE IF NOT EXISTS ${schema}.proof_ledger_meta (
      id text PRIMARY KEY,
      value jsonb NOT NULL
    );
    CREATE TABLE IF NOT EXISTS ${schema}.proof_ledger_held (
      id bigserial PRIMARY KEY,
      draft jsonb NOT NULL
    );`;
}

interface LedgerRow {
  seq: string;
  time: string;
  type: LedgerEntry["type"];
  decision: string | null;
  purpose: string | null;
  flow: string | null;
  flow_version: string | null;
  channel: string | null;
  person: string | null;
  text_hash: string | null;
  reason: string | null;
  request: string | null;
  prev: string;
  hash: string;
}

const columns = "seq, time, type, decision, purpose, flow, flow_version, channel, person, text_hash, reason, request, prev, hash";

function fromRow(row: LedgerRow): LedgerEntry {
  const entry: Record<string, unknown> = { seq: Number(row.seq), time: row.time, type: row.type };
  const optional: [string, string | null][] = [
    ["decision", row.decision],
    ["purpose", row.purpose],
    ["flow", row.flow],
    ["flowVersion", row.flow_version],
    ["channel", row.channel],
    ["person", row.person],
    ["textHash", row.text_hash],
    ["reason", row.reason],
    ["request", row.request],
  ];
  for (const [key, value] of optional) if (value !== null) entry[key] = value;
  entry.prev = row.prev;
  entry.hash = row.hash;
  return entry as unknown as LedgerEntry;
}

type Head = { seq: number; hash: string } | undefined;

/** Moves the head from `after` to the last entry and inserts the entries, in the caller's transaction; false when the head moved. */
async function insertAfter(client: pg.PoolClient, schema: string, entries: readonly LedgerEntry[], after: Head): Promise<boolean> {
  const last = entries.at(-1);
  if (!last) {
    const { rows } = await client.query<{ value: { seq: number; hash: string } }>(`SELECT value FROM ${schema}.proof_ledger_meta WHERE id = 'head'`);
    const head = rows[0]?.value;
    return head === undefined ? after === undefined : after !== undefined && head.seq === after.seq && head.hash === after.hash;
  }
  const next = JSON.stringify({ seq: last.seq, hash: last.hash });
  const moved =
    after === undefined
      ? await client.query(`INSERT INTO ${schema}.proof_ledger_meta (id, value) VALUES ('head', $1::jsonb) ON CONFLICT (id) DO NOTHING`, [next])
      : await client.query(`UPDATE ${schema}.proof_ledger_meta SET value = $1::jsonb WHERE id = 'head' AND value = $2::jsonb`, [
          next,
          JSON.stringify({ seq: after.seq, hash: after.hash }),
        ]);
  if (moved.rowCount !== 1) return false;
  const rows = entries.map((entry) => ({
    seq: entry.seq,
    time: entry.time,
    at: isoTime(entry.time, "time").toISOString(),
    type: entry.type,
    decision: entry.decision ?? null,
    purpose: entry.purpose ?? null,
    flow: entry.flow ?? null,
    flow_version: entry.flowVersion ?? null,
    channel: entry.channel ?? null,
    person: entry.person ?? null,
    text_hash: entry.textHash ?? null,
    reason: entry.reason ?? null,
    request: entry.request ?? null,
    prev: entry.prev,
    hash: entry.hash,
  }));
  await client.query(
    `INSERT INTO ${schema}.proof_ledger (${columns}, at)
     SELECT ${columns}, at FROM jsonb_to_recordset($1::jsonb) AS x(seq bigint, time text, at timestamptz, type text, decision text, purpose text,
       flow text, flow_version text, channel text, person text, text_hash text, reason text, request text, prev text, hash text)`,
    [JSON.stringify(rows)],
  );
  return true;
}

export function postgresProofLedger(db: PgDatabase): ProofLedgerStore {
  const { schema } = db;
  /** Runs a compare-and-set write; a lost race rolls back and resolves false. */
  const casTransaction = async (work: (client: pg.PoolClient) => Promise<boolean>): Promise<boolean> => {
    try {
      await db.transaction(async (client) => {
        if (!(await work(client))) throw new Rollback(false);
      });
      return true;
    } catch (error) {
      if (error instanceof Rollback) return false;
      throw error;
    }
  };
  return {
    append: (entries, after) => casTransaction((client) => insertAfter(client, schema, entries, after)),
    async read(query) {
      const params: unknown[] = [query.fromSeq ?? 0];
      let where = "seq >= $1";
      if (query.person !== undefined) {
        params.push(query.person);
        where += ` AND person = $${params.length}`;
      }
      params.push(query.limit ?? null);
      const { rows } = await db.query<LedgerRow>(`SELECT ${columns} FROM ${schema}.proof_ledger WHERE ${where} ORDER BY seq LIMIT $${params.length}`, params);
      return rows.map(fromRow);
    },
    async status() {
      const { rows } = await db.query<{ id: string; value: unknown }>(`SELECT id, value FROM ${schema}.proof_ledger_meta`);
      const status: LedgerStatus = {};
      for (const row of rows) {
        if (row.id === "head") status.head = row.value as LedgerStatus["head"];
        if (row.id === "checkpoint") status.checkpoint = row.value as LedgerCheckpoint;
        if (row.id === "halted") status.halted = row.value as LedgerStatus["halted"];
      }
      return status;
    },
    async prune(before, at) {
      let removed = 0;
      await db.transaction(async (client) => {
        // The first entry at or after `before` ends the pruned stretch, so the chain keeps its order.
        const { rows } = await client.query<{ seq: string; hash: string }>(
          `DELETE FROM ${schema}.proof_ledger WHERE seq < COALESCE((SELECT min(seq) FROM ${schema}.proof_ledger WHERE at >= $1), 9223372036854775807)
           RETURNING seq, hash`,
          [isoTime(before, "before")],
        );
        removed = rows.length;
        const last = rows.reduce<{ seq: string; hash: string } | undefined>((best, row) => (best === undefined || Number(row.seq) > Number(best.seq) ? row : best), undefined);
        if (!last) return;
        await client.query(
          `INSERT INTO ${schema}.proof_ledger_meta (id, value) VALUES ('checkpoint', $1::jsonb) ON CONFLICT (id) DO UPDATE SET value = EXCLUDED.value`,
          [JSON.stringify({ seq: Number(last.seq), hash: last.hash, at })],
        );
      });
      return removed;
    },
    async halt(reason, since) {
      await db.query(`INSERT INTO ${schema}.proof_ledger_meta (id, value) VALUES ('halted', $1::jsonb) ON CONFLICT (id) DO NOTHING`, [JSON.stringify({ reason, since })]);
    },
    async hold(drafts) {
      if (drafts.length === 0) return;
      await db.query(`INSERT INTO ${schema}.proof_ledger_held (draft) SELECT value FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS x(value, n) ORDER BY n`, [
        JSON.stringify(drafts),
      ]);
    },
    async held() {
      const { rows } = await db.query<{ draft: LedgerDraft }>(`SELECT draft FROM ${schema}.proof_ledger_held ORDER BY id`);
      return rows.map((row) => row.draft);
    },
    release: (entries, after, releasedHeld) =>
      casTransaction(async (client) => {
        if (!(await insertAfter(client, schema, entries, after))) return false;
        await client.query(`DELETE FROM ${schema}.proof_ledger_held WHERE id IN (SELECT id FROM ${schema}.proof_ledger_held ORDER BY id LIMIT $1)`, [releasedHeld]);
        await client.query(`DELETE FROM ${schema}.proof_ledger_meta WHERE id = 'halted'`);
        return true;
      }),
  };
}
