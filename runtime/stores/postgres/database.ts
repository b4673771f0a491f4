/**
 * The connection the PostgreSQL roles share: one pool, one schema, and the two ways a role
 * talks to the database — a single statement, or a short transaction on one connection. Every
 * driver error becomes a `StoreError`, so callers never see `pg`'s own error types.
 */
import type pg from "pg";
import { StoreError } from "../ports/store-error.ts";

/** Thrown inside `transaction` to roll back and hand a result to the caller instead of an error. */
export class Rollback<T> {
  constructor(readonly result: T) {}
}

export class PgDatabase {
  #closed = false;

  constructor(
    readonly pool: pg.Pool,
    /** A plain schema name, checked on open; safe to splice into SQL. */
    readonly schema: string,
  ) {}

  get closed(): boolean {
    return this.#closed;
  }

  /** Names of the prepared statements, by their text. */
  readonly #statementNames = new Map<string, string>();

  /**
   * Runs one statement. `prepared` (for the statements of every chat turn, whose text is fixed)
   * makes it a named prepared statement: each pooled connection parses and plans it once instead
   * of on every call, which takes about a fifth off PostgreSQL's CPU time per turn
   * (docs/benchmarks.md#on-postgresql).
   */
  async query<R extends pg.QueryResultRow>(text: string, values: unknown[] = [], options: { prepared?: boolean } = {}): Promise<pg.QueryResult<R>> {
    if (this.#closed) throw new StoreError("store-closed", "the PostgreSQL store is closed");
    try {
      if (options.prepared) {
        let name = this.#statementNames.get(text);
        if (name === undefined) {
          name = `botschaft_${this.#statementNames.size + 1}`;
          this.#statementNames.set(text, name);
        }
        return await this.pool.query<R>({ name, text, values });
      }
      return await this.pool.query<R>(text, values);
    } catch (error) {
      throw new StoreError("store-failed", `PostgreSQL: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Runs `work` in one transaction on one connection; any throw rolls everything back. */
  async transaction(work: (client: pg.PoolClient) => Promise<void>): Promise<void> {
    if (this.#closed) throw new StoreError("store-closed", "the PostgreSQL store is closed");
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw new StoreError("store-failed", `PostgreSQL: ${(error as Error).message}`, { cause: error });
    }
    try {
      await client.query("BEGIN");
      await work(client);
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      if (error instanceof Rollback || error instanceof StoreError || error instanceof RangeError) throw error;
      throw new StoreError("store-failed", `PostgreSQL: ${(error as Error).message}`, { cause: error });
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.pool.end();
  }
}

export function isoTime(text: string, field: string): Date {
  const time = new Date(text);
  if (Number.isNaN(time.getTime())) throw new RangeError(`${field} is not an ISO time: ${text}`);
  return time;
}
