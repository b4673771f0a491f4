/**
 * PostgreSQL role: data keys and the erasure log (docs/privacy.md#erasure-by-destroying-keys).
 *
 * Every erasure — whichever role asks for it — is one statement (`eraseStatement`): it deletes
 * the conversations and the keys of the given ids and logs their digests, so a conversation
 * never outlives its key nor a key its erasure.
 *
 * A deleted row stays in the table's files as a dead tuple until vacuum, and a plain VACUUM
 * does not always overwrite it: we measured the bytes of the row placed last on its page
 * surviving a VACUUM and a checkpoint in the free space of the page. So the key table is hash-
 * partitioned into small tables, and the partitions that lost keys are rewritten with
 * `VACUUM FULL` shortly after the erasure (`KeyTableCompaction`): the rewrite copies the live
 * rows into a new file and truncates the old one, which takes the key out of every file of the
 * table. It locks one partition (a sixteenth of the keys) for a few milliseconds. A transaction
 * of the same database that began before the erasure and is still open (a `pg_dump` under way,
 * a long report) may still see the deleted row, so the rewrite has to copy it; each partition is
 * therefore rewritten once more `recheckMs` later.
 */
import type pg from "pg";
import type { DataKeyRecord, DataKeyStore, ErasureRecord } from "../ports/data-keys.ts";
import { eraseDeliveries } from "./deliveries.ts";
import { isoTime, type PgDatabase } from "./database.ts";

/** Partitions of the key table: a `VACUUM FULL` after an erasure rewrites one of them. */
export const keyPartitions = 16;

export function dataKeyTables(schema: string): string {
  const partitions = Array.from(
    { length: keyPartitions },
    (_, index) =>
      `CREATE TABLE IF NOT EXISTS ${schema}.data_keys_${String(index).padStart(2, "0")}
         PARTITION OF ${schema}.data_keys FOR VALUES WITH (MODULUS ${keyPartitions}, REMAINDER ${index});`,
  );
  return `
    CREATE TABLE IF NOT EXISTS ${schema}.data_keys (
      id text NOT NULL,
      kind text NOT NULL,
      wrapped text NOT NULL,
      created_at text NOT NULL,
      created_time timestamptz NOT NULL,
      PRIMARY KEY (id)
    ) PARTITION BY HASH (id);
    ${partitions.join("\n    ")}
    CREATE TABLE IF NOT EXISTS ${schema}.erasures (
      sequence bigserial PRIMARY KEY,
      digest text NOT NULL,
      erased_at text NOT NULL
    );
    CREATE INDEX IF NOT EXISTS erasures_by_digest ON ${schema}.erasures (digest);`;
}

/** SHA-256 of an id column's UTF-8 bytes, hex: the erasure log's digest (as `ErasureRecord` defines it). */
function digestOf(column: string): string {
  return `encode(sha256(convert_to(${column}, 'UTF8')), 'hex')`;
}

/**
 * One statement that erases: `conversations` is a data-modifying CTE deleting conversations and
 * returning their `id`; `keys` is the condition for the keys to delete, which may name
 * `erased_conversations`. Logs the erased conversations. Answers their ids (with any other
 * columns `conversations` returns, in `conversation_rows`), the partitions that lost keys that
 * sealed something, and how many ids had a conversation or a key.
 */
export function eraseStatement(schema: string, conversations: string, keys: string): string {
  return `
    WITH erased_conversations AS (${conversations}),
    erased_keys AS (
      DELETE FROM ${schema}.data_keys WHERE ${keys} RETURNING id, kind, tableoid::regclass::text AS partition
    ),
    -- The erased conversations' deliveries go in the same statement (those that survive erasure stay).
    cancelled_deliveries AS (${eraseDeliveries(schema, "SELECT id FROM erased_conversations UNION SELECT id FROM erased_keys")}),
    logged AS (
      INSERT INTO ${schema}.erasures (digest, erased_at)
      SELECT ${digestOf("id")}, to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
      FROM erased_conversations
      RETURNING 1
    )
    SELECT
      (SELECT coalesce(json_agg(row_to_json(erased_conversations)), '[]') FROM erased_conversations) AS conversation_rows,
      -- A conversation key that never had a conversation (made ahead, never taken) sealed nothing: no rewrite for it.
      (SELECT coalesce(array_agg(DISTINCT partition), '{}') FROM erased_keys
        WHERE kind = 'transient' OR id IN (SELECT id FROM erased_conversations)) AS partitions,
      (SELECT count(*)::integer FROM (SELECT id FROM erased_conversations UNION SELECT id FROM erased_keys) erased) AS erased,
      (SELECT count(*) FROM logged) AS logged`;
}

export interface ErasureResult<Row> {
  conversation_rows: Row[];
  partitions: string[];
  erased: number;
}

/** The pool (through `PgDatabase`) or a transaction's client. */
interface Queryable {
  query<R extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<pg.QueryResult<R>>;
}

/** Erases the conversations and keys of `ids`, on the pool or inside a transaction; the caller hands the partitions to `KeyTableCompaction`. */
export async function eraseIds(db: Queryable, schema: string, ids: readonly string[]): Promise<ErasureResult<{ id: string }>> {
  const { rows } = await db.query<ErasureResult<{ id: string }>>(
    eraseStatement(schema, `DELETE FROM ${schema}.conversations WHERE id = ANY($1::text[]) RETURNING id`, "id = ANY($1::text[])"),
    [ids],
  );
  return rows[0] ?? { conversation_rows: [], partitions: [], erased: 0 };
}

/**
 * Rewrites the key partitions that lost keys with `VACUUM FULL`, `delayMs` after the first
 * erasure since the last rewrite, so that the erasures of a busy moment share one. A partition
 * whose lock is not free within a second is tried again later rather than holding up every
 * turn that waits behind the lock; each failure is told to `onFailure`.
 */
export class KeyTableCompaction {
  readonly #db: PgDatabase;
  readonly #delayMs: number;
  readonly #onFailure: (partition: string, error: unknown) => void;
  readonly #recheckMs: number;
  readonly #due = new Set<string>();
  /** Rewritten once; rewritten again at `#recheckTimer`, for transactions that were open the first time. */
  readonly #recheck = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #recheckTimer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(db: PgDatabase, delayMs: number, onFailure: (partition: string, error: unknown) => void = () => undefined, recheckMs = 10 * 60_000) {
    this.#db = db;
    this.#delayMs = delayMs;
    this.#onFailure = onFailure;
    this.#recheckMs = recheckMs;
  }

  /** Notes partitions that lost keys. */
  add(partitions: readonly string[]): void {
    for (const partition of partitions) this.#due.add(partition);
    if (this.#due.size === 0 || this.#timer || this.#db.closed) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.run().catch(() => undefined);
    }, this.#delayMs);
    this.#timer.unref();
  }

  /**
   * Rewrites every partition noted so far, and those waiting for their recheck, trying a
   * partition whose lock was busy up to `attempts` times; rejects with the last failure when one
   * is left.
   */
  async runNow(attempts = 5): Promise<void> {
    for (const partition of this.#recheck) this.#due.add(partition);
    this.#recheck.clear();
    let lastError: unknown;
    for (let attempt = 0; attempt < attempts; attempt++) {
      lastError = undefined;
      await this.run((_, error) => {
        lastError = error;
      });
      if (this.#due.size === 0) return;
    }
    throw lastError;
  }

  /** Rewrites every partition noted so far; resolves when done. Failures leave them noted for the next run. */
  async run(onFailure = this.#onFailure): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    while (this.#running) await this.#running;
    if (this.#due.size === 0) return;
    const partitions = [...this.#due];
    this.#due.clear();
    this.#running = this.#rewrite(partitions, onFailure).finally(() => {
      this.#running = undefined;
    });
    await this.#running;
    this.#scheduleRecheck(partitions.filter((partition) => !this.#due.has(partition)));
  }

  #scheduleRecheck(rewritten: readonly string[]): void {
    if (this.#db.closed) return;
    let added = false;
    for (const partition of rewritten) {
      if (this.#recheck.has(partition)) continue;
      this.#recheck.add(partition);
      added = true;
    }
    if (!added || this.#recheckTimer) return;
    this.#recheckTimer = setTimeout(() => {
      this.#recheckTimer = undefined;
      const again = [...this.#recheck];
      this.#recheck.clear();
      // Straight into `#due`, not `add`: a recheck does not schedule another recheck.
      for (const partition of again) this.#due.add(partition);
      void this.#rewriteDue().catch(() => undefined);
    }, this.#recheckMs);
    this.#recheckTimer.unref();
  }

  async #rewriteDue(): Promise<void> {
    while (this.#running) await this.#running;
    const partitions = [...this.#due];
    this.#due.clear();
    if (partitions.length === 0) return;
    this.#running = this.#rewrite(partitions, this.#onFailure).finally(() => {
      this.#running = undefined;
    });
    await this.#running;
  }

  async #rewrite(partitions: readonly string[], onFailure: (partition: string, error: unknown) => void): Promise<void> {
    const failed: string[] = [];
    try {
      const client = await this.#db.pool.connect();
      try {
        await client.query("SET lock_timeout = '1s'");
        for (const partition of partitions) {
          // The name comes from PostgreSQL itself (tableoid::regclass), already quoted where needed.
          await client.query(`VACUUM (FULL) ${partition}`).catch((error: unknown) => {
            failed.push(partition);
            onFailure(partition, error);
          });
        }
        await client.query("RESET lock_timeout");
      } finally {
        client.release();
      }
    } catch (error) {
      for (const partition of partitions) if (!failed.includes(partition)) onFailure(partition, error);
      failed.push(...partitions.filter((partition) => !failed.includes(partition)));
    }
    if (failed.length > 0) this.add(failed);
  }

  /** Runs what is due, rechecks included, so that a clean shutdown leaves no erased key in the table's files. */
  async close(): Promise<void> {
    clearTimeout(this.#recheckTimer);
    this.#recheckTimer = undefined;
    for (const partition of this.#recheck) this.#due.add(partition);
    this.#recheck.clear();
    await this.#rewriteDue().catch(() => undefined);
  }
}

interface KeyRow {
  id: string;
  kind: DataKeyRecord["kind"];
  wrapped: string;
  created_at: string;
}

function fromRow(row: KeyRow): DataKeyRecord {
  return { id: row.id, kind: row.kind, wrapped: row.wrapped, createdAt: row.created_at };
}

export function postgresDataKeys(db: PgDatabase, compaction: KeyTableCompaction): DataKeyStore {
  const { schema } = db;
  const erase = async (ids: readonly string[]): Promise<number> => {
    if (ids.length === 0) return 0;
    const result = await eraseIds(db, schema, ids);
    compaction.add(result.partitions);
    return result.erased;
  };
  return {
    async create(record) {
      const { rowCount } = await db.query(
        `INSERT INTO ${schema}.data_keys (id, kind, wrapped, created_at, created_time) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING`,
        [record.id, record.kind, record.wrapped, record.createdAt, isoTime(record.createdAt, "createdAt")],
      );
      return rowCount === 1;
    },
    async get(id) {
      const { rows } = await db.query<KeyRow>(`SELECT id, kind, wrapped, created_at FROM ${schema}.data_keys WHERE id = $1`, [id]);
      return rows[0] && fromRow(rows[0]);
    },
    async list(kind) {
      const { rows } = await db.query<KeyRow>(`SELECT id, kind, wrapped, created_at FROM ${schema}.data_keys WHERE kind = $1 ORDER BY created_time, id`, [kind]);
      return rows.map(fromRow);
    },
    async destroy(ids) {
      await erase(ids);
    },
    async erasures() {
      const { rows } = await db.query<{ digest: string; erased_at: string }>(`SELECT digest, erased_at FROM ${schema}.erasures ORDER BY sequence`);
      return rows.map((row): ErasureRecord => ({ digest: row.digest, erasedAt: row.erased_at }));
    },
    async reapply(digests) {
      const { rows } = await db.query<{ id: string }>(
        `SELECT id FROM ${schema}.conversations WHERE ${digestOf("id")} = ANY($1::text[])
         UNION SELECT id FROM ${schema}.data_keys WHERE ${digestOf("id")} = ANY($1::text[])`,
        [digests],
      );
      return erase(rows.map((row) => row.id));
    },
  };
}
