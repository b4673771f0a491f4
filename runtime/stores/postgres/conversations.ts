/**
 * PostgreSQL role: conversations. Updates are compare-and-set on `revision`; the retention sweep
 * locks the rows it takes with `FOR UPDATE SKIP LOCKED`, so sweepers on several instances never
 * report a conversation twice. Every erasure destroys the conversation's data key in the same
 * statement (`data-keys.ts`). Times are kept twice: the ISO text exactly as given (records
 * come back unchanged) and a `timestamptz` for ordering and comparisons.
 */
import type { ConversationRecord, ConversationStore, NewConversationRecord } from "../ports/conversations.ts";
import { StoreError } from "../ports/store-error.ts";
import { type ErasureResult, eraseIds, eraseStatement, type KeyTableCompaction } from "./data-keys.ts";
import { isoTime, type PgDatabase } from "./database.ts";
import { insertDeliveryRows } from "./deliveries.ts";

export function conversationTables(schema: string): string {
  return `
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
    CREATE INDEX IF NOT EXISTS conversations_by_flow ON ${schema}.conversations (flow, id);`;
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

/** The pool (through `PgDatabase`) or a transaction's client: both run one statement. */
interface Queryable {
  query(text: string, values: unknown[]): Promise<{ rowCount: number | null }>;
}

/** Inserts at revision 0; false when the id is taken. Runs on the pool or inside a transaction. */
export async function insertConversationRow(db: Queryable, schema: string, record: NewConversationRecord): Promise<boolean> {
  const { rowCount } = await db.query(insertConversation(schema), conversationValues({ ...record, revision: 0 }));
  return rowCount === 1;
}

/** Compare-and-set update; false when another update won or the conversation is gone. */
export async function updateConversationRow(db: Queryable, schema: string, next: ConversationRecord): Promise<boolean> {
  const { rowCount } = await db.query(updateConversation(schema), conversationValues(next));
  return rowCount === 1;
}

export function postgresConversations(db: PgDatabase, compaction: KeyTableCompaction): ConversationStore {
  const { schema } = db;
  return {
    // The statements of every turn run prepared (`PgDatabase.query`); with deliveries, in a transaction.
    async create(record, deliveries) {
      let created = false;
      if (!deliveries?.length) {
        created = (await db.query(insertConversation(schema), conversationValues({ ...record, revision: 0 }), { prepared: true })).rowCount === 1;
      } else {
        // The turn's deliveries only with the conversation: one transaction.
        await db.transaction(async (client) => {
          created = await insertConversationRow(client, schema, record);
          if (created) await insertDeliveryRows(client, schema, deliveries);
        });
      }
      if (!created) throw new StoreError("conversation-exists", `conversation ${record.id} exists already`);
    },
    async get(id) {
      const { rows } = await db.query<ConversationRow>(`SELECT ${conversationColumns} FROM ${schema}.conversations WHERE id = $1`, [id], { prepared: true });
      return rows[0] && fromRow(rows[0]);
    },
    async update(next, deliveries) {
      if (!deliveries?.length) return (await db.query(updateConversation(schema), conversationValues(next), { prepared: true })).rowCount === 1;
      let updated = false;
      await db.transaction(async (client) => {
        updated = await updateConversationRow(client, schema, next);
        if (updated) await insertDeliveryRows(client, schema, deliveries);
      });
      return updated;
    },
    async delete(id) {
      const erased = await eraseIds(db, schema, [id]);
      compaction.add(erased.partitions);
      return erased.conversation_rows.length === 1;
    },
    async listByFlow(flow, after, limit) {
      const { rows } = await db.query<ConversationRow>(
        `SELECT ${conversationColumns} FROM ${schema}.conversations WHERE flow = $1 AND ($2::text IS NULL OR id > $2) ORDER BY id LIMIT $3`,
        [flow, after ?? null, limit],
      );
      return rows.map(fromRow);
    },
    async findByChannelUser(channel, channelUser) {
      const { rows } = await db.query<ConversationRow>(
        `SELECT ${conversationColumns} FROM ${schema}.conversations
         WHERE channel = $1 AND channel_user = $2 ORDER BY last_activity_time DESC LIMIT 1`,
        [channel, channelUser],
      );
      return rows[0] && fromRow(rows[0]);
    },
    async deleteExpired(now, limit) {
      const { rows } = await db.query<ErasureResult<{ id: string; expires_time: string }>>(
        eraseStatement(
          schema,
          `DELETE FROM ${schema}.conversations WHERE id IN (
             SELECT id FROM ${schema}.conversations WHERE expires_time <= $1
             ORDER BY expires_time LIMIT $2 FOR UPDATE SKIP LOCKED)
           RETURNING id, expires_time`,
          "id IN (SELECT id FROM erased_conversations)",
        ),
        [isoTime(now, "now"), limit ?? null],
      );
      const erased = rows[0];
      if (!erased) return [];
      compaction.add(erased.partitions);
      return erased.conversation_rows.sort((a, b) => Date.parse(a.expires_time) - Date.parse(b.expires_time)).map((row) => row.id);
    },
  };
}
