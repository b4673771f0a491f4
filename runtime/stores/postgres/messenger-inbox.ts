/**
 * PostgreSQL role: the messenger inbox. A delivery's completion — its processed mark, its
 * conversation changes and its replies — is one transaction, so a crash leaves either the
 * delivery pending and nothing else, or everything. A processed row keeps channel, key and
 * time only: its sealed payload and the user's pseudonym are cleared with the mark.
 */
import type pg from "pg";
import type { ConversationChange, InboundCompletionResult, InboundRecord, MessengerInboxStore } from "../ports/messenger-inbox.ts";
import { insertConversationRow, updateConversationRow } from "./conversations.ts";
import { eraseIds, type KeyTableCompaction } from "./data-keys.ts";
import { isoTime, type PgDatabase, Rollback } from "./database.ts";
import { insertOutboxRow } from "./messenger-outbox.ts";
import { insertDeliveryRows } from "./deliveries.ts";

export function inboxTables(schema: string): string {
  return `
    CREATE TABLE IF NOT EXISTS ${schema}.inbox (
      channel text NOT NULL,
      key text NOT NULL,
      conversation_key text,
      ord double precision NOT NULL,
      sealed_delivery text,
      received_at text NOT NULL,
      received_time timestamptz NOT NULL,
      pending boolean NOT NULL,
      PRIMARY KEY (channel, key)
    );
    CREATE INDEX IF NOT EXISTS inbox_pending ON ${schema}.inbox (conversation_key, ord) WHERE pending;
    CREATE INDEX IF NOT EXISTS inbox_processed ON ${schema}.inbox (received_time) WHERE NOT pending;
    ALTER TABLE ${schema}.inbox ALTER COLUMN conversation_key DROP NOT NULL;`;
}

/** Schema 2: processed deliveries no longer keep the user's pseudonym (docs/privacy.md#data-minimisation). */
export function inboxUpgradeTo2(schema: string): string {
  return `UPDATE ${schema}.inbox SET conversation_key = NULL WHERE NOT pending AND conversation_key IS NOT NULL;`;
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

/** Applies one change inside the completion's transaction; answers the key partitions an erasure touched. */
async function applyChange(client: pg.PoolClient, schema: string, change: ConversationChange): Promise<string[]> {
  if (change.op === "delete") return (await eraseIds(client, schema, [change.id])).partitions;
  const applied = change.op === "create" ? await insertConversationRow(client, schema, change.record) : await updateConversationRow(client, schema, change.record);
  if (!applied) throw new Rollback<Incomplete>("conflict");
  return [];
}

export function postgresInbox(db: PgDatabase, compaction: KeyTableCompaction): MessengerInboxStore {
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
      const partitions: string[] = [];
      try {
        await db.transaction(async (client) => {
          const { rows } = await client.query<{ conversation_key: string }>(
            `WITH marked AS (
               SELECT channel, key, conversation_key FROM ${schema}.inbox WHERE channel = $1 AND key = $2 AND pending FOR UPDATE)
             UPDATE ${schema}.inbox SET pending = false, sealed_delivery = NULL, conversation_key = NULL
             FROM marked WHERE inbox.channel = marked.channel AND inbox.key = marked.key
             RETURNING marked.conversation_key`,
            [completion.channel, completion.key],
          );
          const conversationKey = rows[0]?.conversation_key;
          if (conversationKey === undefined) throw new Rollback<Incomplete>("not-pending");
          for (const change of completion.conversation) partitions.push(...(await applyChange(client, schema, change)));
          if (completion.erasesUser) await client.query(`DELETE FROM ${schema}.outbox WHERE channel = $1 AND conversation_key = $2`, [completion.channel, conversationKey]);
          for (const entry of completion.outbox) await insertOutboxRow(client, schema, entry);
          await insertDeliveryRows(client, schema, completion.deliveries);
        });
        compaction.add(partitions);
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
