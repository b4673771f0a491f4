/**
 * PostgreSQL role: the messenger inbox. A delivery's completion — its processed mark, its
 * conversation changes and its replies — is one transaction, so a crash leaves either the
 * delivery pending and nothing else, or everything.
 */
import type pg from "pg";
import type { ConversationChange, InboundCompletionResult, InboundRecord, MessengerInboxStore } from "../ports/messenger-inbox.ts";
import { deleteConversationRow, insertConversationRow, updateConversationRow } from "./conversations.ts";
import { isoTime, type PgDatabase, Rollback } from "./database.ts";
import { insertOutboxRow } from "./messenger-outbox.ts";

export function inboxTables(schema: string): string {
  return `
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
    CREATE INDEX IF NOT EXISTS inbox_processed ON ${schema}.inbox (received_time) WHERE NOT pending;`;
}

interface InboxRow {
  channel: string;
  key: string;
  conversation_key: string;
  ord: number;
  sealed_delivery: string;
  received_at: string;
}

type Incomplete = Exclude<InboundCompletionResult, "completed">;

async function applyChange(client: pg.PoolClient, schema: string, change: ConversationChange): Promise<void> {
  if (change.op === "delete") {
    await deleteConversationRow(client, schema, change.id);
    return;
  }
  const applied = change.op === "create" ? await insertConversationRow(client, schema, change.record) : await updateConversationRow(client, schema, change.record);
  if (!applied) throw new Rollback<Incomplete>("conflict");
}

export function postgresInbox(db: PgDatabase): MessengerInboxStore {
  const { schema } = db;
  return {
    async accept(record: InboundRecord) {
      const { rowCount } = await db.query(
        `INSERT INTO ${schema}.inbox (channel, key, conversation_key, ord, sealed_delivery, received_at, received_time, pending)
         VALUES ($1, $2, $3, $4, $5, $6, $7, true) ON CONFLICT (channel, key) DO NOTHING`,
        [record.channel, record.key, record.conversationKey, record.order, record.sealedDelivery, record.receivedAt, isoTime(record.receivedAt, "receivedAt")],
      );
      return rowCount === 1;
    },
    async pending() {
      const { rows } = await db.query<InboxRow>(`SELECT channel, key, conversation_key, ord, sealed_delivery, received_at FROM ${schema}.inbox WHERE pending`);
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
    },
    async complete(completion) {
      try {
        await db.transaction(async (client) => {
          const { rowCount } = await client.query(
            `UPDATE ${schema}.inbox SET pending = false, sealed_delivery = NULL WHERE channel = $1 AND key = $2 AND pending`,
            [completion.channel, completion.key],
          );
          if (rowCount !== 1) throw new Rollback<Incomplete>("not-pending");
          for (const change of completion.conversation) await applyChange(client, schema, change);
          for (const entry of completion.outbox) await insertOutboxRow(client, schema, entry);
        });
        return "completed";
      } catch (error) {
        if (error instanceof Rollback) return error.result as Incomplete;
        throw error;
      }
    },
    async purge(before) {
      const { rowCount } = await db.query(`DELETE FROM ${schema}.inbox WHERE NOT pending AND received_time < $1`, [isoTime(before, "before")]);
      return rowCount ?? 0;
    },
  };
}
