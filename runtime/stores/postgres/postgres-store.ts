/**
 * A `Store` on PostgreSQL (`DATABASE_URL`), for production and for several runtime
 * instances sharing one database. Every call is one statement (or one short transaction), so
 * it is atomic on its own; PostgreSQL's commit is the durability point. Updates are
 * compare-and-set on `revision`, and the retention sweep locks the rows it takes with
 * `FOR UPDATE SKIP LOCKED`, so sweepers on several instances never report a conversation twice.
 *
 * Times are kept twice: the ISO text exactly as given (records come back unchanged) and a
 * `timestamptz` for ordering and comparisons.
 */
import pg from "pg";
import type {
  ConversationChange,
  ConversationRecord,
  Store,
  FlowVersionRecord,
  InboundCompletion,
  InboundCompletionResult,
  InboundRecord,
  NewConversationRecord,
  OutboxRecord,
} from "../ports/store.ts";
import { StoreError } from "../ports/store-error.ts";

export interface PostgresStoreOptions {
  connectionString: string;
  /** The PostgreSQL schema holding Botschaft's tables; created when missing. */
  schema?: string;
  /** Connections in the pool. */
  poolSize?: number;
  /** Shown in `pg_stat_activity`, so operators can tell Botschaft's connections apart. */
  applicationName?: string;
}

/** Bumped when the tables change; `open` creates or upgrades them. */
const schemaVersion = 1;

function migration(schema: string): string {
  return `
    CREATE SCHEMA IF NOT EXISTS ${schema};
    CREATE TABLE IF NOT EXISTS ${schema}.conversations (
      id text PRIMARY KEY,
      token_hash text NOT NULL,
      flow text NOT NULL,
      version text NOT NULL,
      sealed_state text NOT NULL,
      channel text NOT NULL,
      channel_user text,
      revision integer NOT NULL,
      last_activity_at text NOT NULL,
      last_activity_time timestamptz NOT NULL,
      expires_at text NOT NULL,
      expires_time timestamptz NOT NULL
    );
    CREATE INDEX IF NOT EXISTS conversations_by_channel_user
      ON ${schema}.conversations (channel, channel_user, last_activity_time DESC) WHERE channel_user IS NOT NULL;
    CREATE INDEX IF NOT EXISTS conversations_by_expiry ON ${schema}.conversations (expires_time);
    CREATE TABLE IF NOT EXISTS ${schema}.flow_versions (
      flow text NOT NULL,
      version text NOT NULL,
      yaml text NOT NULL,
      published_at text NOT NULL,
      PRIMARY KEY (flow, version)
    );
    CREATE TABLE IF NOT EXISTS ${schema}.current_flows (
      flow text PRIMARY KEY,
      version text NOT NULL
    );
    CREATE TABLE IF NOT EXISTS ${schema}.settings (
      key text PRIMARY KEY,
      value text NOT NULL
    );
    CREATE TABLE IF NOT EXISTS ${schema}.inbox (
      channel text NOT NULL,
      key text NOT NULL,
      conversation_key text NOT NULL,
      ord double precision NOT NULL,
      sealed_delivery text,
      received_at text NOT NULL,
      received_time timestamptz NOT NULL,
      pending boolean NOT NULL,
      PRIMARY KEY (channel, key)
    );
    CREATE INDEX IF NOT EXISTS inbox_pending ON ${schema}.inbox (conversation_key, ord) WHERE pending;
    CREATE INDEX IF NOT EXISTS inbox_processed ON ${schema}.inbox (received_time) WHERE NOT pending;
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
    ALTER TABLE ${schema}.outbox ADD COLUMN IF NOT EXISTS claimed_until timestamptz;
    CREATE TABLE IF NOT EXISTS ${schema}.schema_version (
      version integer NOT NULL
    );`;
}

interface ConversationRow {
  id: string;
  token_hash: string;
  flow: string;
  version: string;
  sealed_state: string;
  channel: string;
  channel_user: string | null;
  revision: number;
  last_activity_at: string;
  expires_at: string;
}

function fromRow(row: ConversationRow): ConversationRecord {
  return {
    id: row.id,
    tokenHash: row.token_hash,
    flow: row.flow,
    version: row.version,
    sealedState: row.sealed_state,
    channel: row.channel,
    ...(row.channel_user === null ? {} : { channelUser: row.channel_user }),
    revision: row.revision,
    lastActivityAt: row.last_activity_at,
    expiresAt: row.expires_at,
  };
}

function isoTime(text: string, field: string): Date {
  const time = new Date(text);
  if (Number.isNaN(time.getTime())) throw new RangeError(`${field} is not an ISO time: ${text}`);
  return time;
}

function flowVersionFromRow(row: { flow: string; version: string; yaml: string; published_at: string }): FlowVersionRecord {
  return { flow: row.flow, version: row.version, yaml: row.yaml, publishedAt: row.published_at };
}

interface InboxRow {
  channel: string;
  key: string;
  conversation_key: string;
  ord: number;
  sealed_delivery: string;
  received_at: string;
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

function outboxFromRow(row: OutboxRow): OutboxRecord {
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

/** Thrown inside a transaction to roll it back and answer with a result instead of an error. */
class Outcome {
  constructor(readonly result: Exclude<InboundCompletionResult, "completed">) {}
}

const conversationColumns = "id, token_hash, flow, version, sealed_state, channel, channel_user, revision, last_activity_at, expires_at";

/** The parameters of `insertConversation` and `updateConversation`, in their order. */
function conversationValues(record: ConversationRecord): unknown[] {
  return [
    record.id,
    record.tokenHash,
    record.flow,
    record.version,
    record.sealedState,
    record.channel,
    record.channelUser ?? null,
    record.revision,
    record.lastActivityAt,
    record.expiresAt,
    isoTime(record.lastActivityAt, "lastActivityAt"),
    isoTime(record.expiresAt, "expiresAt"),
  ];
}

function insertConversation(schema: string): string {
  return `INSERT INTO ${schema}.conversations (${conversationColumns}, last_activity_time, expires_time)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (id) DO NOTHING`;
}

/** Compare-and-set: only when the stored revision is the one before `$8`. */
function updateConversation(schema: string): string {
  return `UPDATE ${schema}.conversations
    SET token_hash = $2, flow = $3, version = $4, sealed_state = $5, channel = $6, channel_user = $7,
        revision = $8, last_activity_at = $9, expires_at = $10, last_activity_time = $11, expires_time = $12
    WHERE id = $1 AND revision = $8 - 1`;
}

export class PostgresStore implements Store {
  readonly #pool: pg.Pool;
  readonly #schema: string;
  #closed = false;

  private constructor(pool: pg.Pool, schema: string) {
    this.#pool = pool;
    this.#schema = schema;
  }

  /** Connects, creates or upgrades the tables (one instance at a time) and returns the store. */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const schema = options.schema ?? "botschaft";
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new RangeError(`not a plain PostgreSQL schema name: ${schema}`);
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      application_name: options.applicationName ?? "botschaft",
    });
    // An idle connection that breaks must not crash the process; the next query reports it.
    pool.on("error", () => undefined);
    const store = new PostgresStore(pool, schema);
    try {
      await store.#migrate();
    } catch (error) {
      await pool.end();
      throw new StoreError("store-failed", `cannot prepare the PostgreSQL database: ${(error as Error).message}`, { cause: error });
    }
    return store;
  }

  async #migrate(): Promise<void> {
    const client = await this.#pool.connect();
    try {
      await client.query("BEGIN");
      // Instances starting together take turns creating the tables.
      await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`botschaft-migrate-${this.#schema}`]);
      await client.query(migration(this.#schema));
      const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${this.#schema}.schema_version`);
      const stored = rows[0]?.version;
      if (stored === undefined) await client.query(`INSERT INTO ${this.#schema}.schema_version (version) VALUES ($1)`, [schemaVersion]);
      else if (stored > schemaVersion) throw new Error(`the database was written by a newer Botschaft (schema ${stored} > ${schemaVersion})`);
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async #query<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<pg.QueryResult<R>> {
    if (this.#closed) throw new StoreError("store-closed", "the PostgreSQL store is closed");
    try {
      return await this.#pool.query<R>(text, values);
    } catch (error) {
      throw new StoreError("store-failed", `PostgreSQL: ${(error as Error).message}`, { cause: error });
    }
  }

  async createConversation(record: NewConversationRecord): Promise<void> {
    const { rowCount } = await this.#query(insertConversation(this.#schema), conversationValues({ ...record, revision: 0 }));
    if (rowCount !== 1) throw new StoreError("conversation-exists", `conversation ${record.id} exists already`);
  }

  async getConversation(id: string): Promise<ConversationRecord | undefined> {
    const { rows } = await this.#query<ConversationRow>(`SELECT ${conversationColumns} FROM ${this.#schema}.conversations WHERE id = $1`, [id]);
    return rows[0] && fromRow(rows[0]);
  }

  async updateConversation(next: ConversationRecord): Promise<boolean> {
    const { rowCount } = await this.#query(updateConversation(this.#schema), conversationValues(next));
    return rowCount === 1;
  }

  async deleteConversation(id: string): Promise<boolean> {
    const { rowCount } = await this.#query(`DELETE FROM ${this.#schema}.conversations WHERE id = $1`, [id]);
    return rowCount === 1;
  }

  async findByChannelUser(channel: string, channelUser: string): Promise<ConversationRecord | undefined> {
    const { rows } = await this.#query<ConversationRow>(
      `SELECT ${conversationColumns} FROM ${this.#schema}.conversations
       WHERE channel = $1 AND channel_user = $2 ORDER BY last_activity_time DESC LIMIT 1`,
      [channel, channelUser],
    );
    return rows[0] && fromRow(rows[0]);
  }

  async deleteExpired(now: string, limit?: number): Promise<string[]> {
    const { rows } = await this.#query<{ id: string; expires_time: Date }>(
      `DELETE FROM ${this.#schema}.conversations WHERE id IN (
         SELECT id FROM ${this.#schema}.conversations WHERE expires_time <= $1
         ORDER BY expires_time LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING id, expires_time`,
      [isoTime(now, "now"), limit ?? null],
    );
    return rows.sort((a, b) => a.expires_time.getTime() - b.expires_time.getTime()).map((row) => row.id);
  }

  async publishFlowVersion(record: FlowVersionRecord): Promise<void> {
    // One statement: the version (kept as first stored) and the pointer to it change together.
    await this.#query(
      `WITH stored AS (
         INSERT INTO ${this.#schema}.flow_versions (flow, version, yaml, published_at)
         VALUES ($1, $2, $3, $4) ON CONFLICT (flow, version) DO NOTHING)
       INSERT INTO ${this.#schema}.current_flows (flow, version) VALUES ($1, $2)
       ON CONFLICT (flow) DO UPDATE SET version = EXCLUDED.version`,
      [record.flow, record.version, record.yaml, record.publishedAt],
    );
  }

  async getFlowVersion(flow: string, version: string): Promise<FlowVersionRecord | undefined> {
    const { rows } = await this.#query<{ flow: string; version: string; yaml: string; published_at: string }>(
      `SELECT flow, version, yaml, published_at FROM ${this.#schema}.flow_versions WHERE flow = $1 AND version = $2`,
      [flow, version],
    );
    return rows[0] && flowVersionFromRow(rows[0]);
  }

  async currentFlowVersion(flow: string): Promise<FlowVersionRecord | undefined> {
    const { rows } = await this.#query<{ flow: string; version: string; yaml: string; published_at: string }>(
      `SELECT v.flow, v.version, v.yaml, v.published_at FROM ${this.#schema}.current_flows c
       JOIN ${this.#schema}.flow_versions v ON v.flow = c.flow AND v.version = c.version WHERE c.flow = $1`,
      [flow],
    );
    return rows[0] && flowVersionFromRow(rows[0]);
  }

  async listFlows(): Promise<string[]> {
    const { rows } = await this.#query<{ flow: string }>(`SELECT flow FROM ${this.#schema}.current_flows`);
    return rows.map((row) => row.flow).sort();
  }

  async acceptInbound(record: InboundRecord): Promise<boolean> {
    const { rowCount } = await this.#query(
      `INSERT INTO ${this.#schema}.inbox (channel, key, conversation_key, ord, sealed_delivery, received_at, received_time, pending)
       VALUES ($1, $2, $3, $4, $5, $6, $7, true) ON CONFLICT (channel, key) DO NOTHING`,
      [record.channel, record.key, record.conversationKey, record.order, record.sealedDelivery, record.receivedAt, isoTime(record.receivedAt, "receivedAt")],
    );
    return rowCount === 1;
  }

  async pendingInbound(): Promise<InboundRecord[]> {
    const { rows } = await this.#query<InboxRow>(
      `SELECT channel, key, conversation_key, ord, sealed_delivery, received_at FROM ${this.#schema}.inbox WHERE pending`,
    );
    return rows
      .map((row) => ({
        channel: row.channel,
        key: row.key,
        conversationKey: row.conversation_key,
        order: row.ord,
        sealedDelivery: row.sealed_delivery,
        receivedAt: row.received_at,
      }))
      .sort(
        (a, b) =>
          (a.conversationKey < b.conversationKey ? -1 : a.conversationKey > b.conversationKey ? 1 : 0) ||
          a.order - b.order ||
          Date.parse(a.receivedAt) - Date.parse(b.receivedAt),
      );
  }

  async completeInbound(completion: InboundCompletion): Promise<InboundCompletionResult> {
    try {
      await this.#transaction(async (client) => {
        const { rowCount } = await client.query(
          `UPDATE ${this.#schema}.inbox SET pending = false, sealed_delivery = NULL WHERE channel = $1 AND key = $2 AND pending`,
          [completion.channel, completion.key],
        );
        if (rowCount !== 1) throw new Outcome("not-pending");
        for (const change of completion.conversation) await this.#applyChange(client, change);
        for (const entry of completion.outbox) {
          await client.query(
            `INSERT INTO ${this.#schema}.outbox (id, channel, conversation_key, sealed_call, attempts, next_attempt_at, not_after)
             VALUES ($1, $2, $3, $4, $5, $6, $7)`,
            [entry.id, entry.channel, entry.conversationKey, entry.sealedCall, entry.attempts, entry.nextAttemptAt, entry.notAfter ?? null],
          );
        }
      });
      return "completed";
    } catch (error) {
      if (error instanceof Outcome) return error.result;
      throw error;
    }
  }

  async #applyChange(client: pg.PoolClient, change: ConversationChange): Promise<void> {
    if (change.op === "delete") {
      await client.query(`DELETE FROM ${this.#schema}.conversations WHERE id = $1`, [change.id]);
      return;
    }
    const record = change.op === "create" ? { ...change.record, revision: 0 } : change.record;
    const sql = change.op === "create" ? insertConversation(this.#schema) : updateConversation(this.#schema);
    const { rowCount } = await client.query(sql, conversationValues(record));
    if (rowCount !== 1) throw new Outcome("conflict");
  }

  /** Runs `work` in one transaction on one connection; any throw rolls everything back. */
  async #transaction(work: (client: pg.PoolClient) => Promise<void>): Promise<void> {
    if (this.#closed) throw new StoreError("store-closed", "the PostgreSQL store is closed");
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (error) {
      throw new StoreError("store-failed", `PostgreSQL: ${(error as Error).message}`, { cause: error });
    }
    try {
      await client.query("BEGIN");
      await work(client);
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      if (error instanceof Outcome || error instanceof StoreError || error instanceof RangeError) throw error;
      throw new StoreError("store-failed", `PostgreSQL: ${(error as Error).message}`, { cause: error });
    } finally {
      client.release();
    }
  }

  async pendingOutbox(): Promise<OutboxRecord[]> {
    const { rows } = await this.#query<OutboxRow>(
      `SELECT id, channel, conversation_key, sequence, sealed_call, attempts, next_attempt_at, not_after
       FROM ${this.#schema}.outbox ORDER BY sequence`,
    );
    return rows.map(outboxFromRow);
  }

  async rescheduleOutbox(id: string, attempts: number, nextAttemptAt: string): Promise<boolean> {
    const { rowCount } = await this.#query(`UPDATE ${this.#schema}.outbox SET attempts = $2, next_attempt_at = $3 WHERE id = $1`, [
      id,
      attempts,
      nextAttemptAt,
    ]);
    return rowCount === 1;
  }

  async finishOutbox(id: string): Promise<boolean> {
    const { rowCount } = await this.#query(`DELETE FROM ${this.#schema}.outbox WHERE id = $1`, [id]);
    return rowCount === 1;
  }

  async claimOutbox(id: string, owner: string, now: string, until: string): Promise<boolean> {
    const { rowCount } = await this.#query(
      `UPDATE ${this.#schema}.outbox SET claimed_by = $2, claimed_until = $4
       WHERE id = $1 AND (claimed_by IS NULL OR claimed_by = $2 OR claimed_until <= $3)`,
      [id, owner, isoTime(now, "now"), isoTime(until, "until")],
    );
    return rowCount === 1;
  }

  async purgeInbox(before: string): Promise<number> {
    const { rowCount } = await this.#query(`DELETE FROM ${this.#schema}.inbox WHERE NOT pending AND received_time < $1`, [isoTime(before, "before")]);
    return rowCount ?? 0;
  }

  async getSetting(key: string): Promise<string | undefined> {
    const { rows } = await this.#query<{ value: string }>(`SELECT value FROM ${this.#schema}.settings WHERE key = $1`, [key]);
    return rows[0]?.value;
  }

  async putSetting(key: string, value: string): Promise<void> {
    await this.#query(
      `INSERT INTO ${this.#schema}.settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
      [key, value],
    );
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end();
  }
}
