/**
 * PostgreSQL role: live chats. The record is one JSON document with its status, times and
 * revision as columns (for the queue's order and the compare-and-set); an append takes the next
 * number from the live chat's row in the same statement, so concurrent appends from several
 * instances queue on that row and never share a number.
 */
import type { LiveChatMessage, LiveChatRecord, LiveChatStore } from "../ports/live-chats.ts";
import { isoTime, type PgDatabase } from "./database.ts";

export function liveChatTables(schema: string): string {
  return `
    CREATE TABLE IF NOT EXISTS ${schema}.live_chats (
      conversation text PRIMARY KEY,
      status text NOT NULL,
      requested_time timestamptz NOT NULL,
      expires_time timestamptz NOT NULL,
      revision integer NOT NULL,
      next_seq bigint NOT NULL DEFAULT 0,
      record jsonb NOT NULL
    );
    CREATE INDEX IF NOT EXISTS live_chats_status ON ${schema}.live_chats (status, requested_time);
    CREATE INDEX IF NOT EXISTS live_chats_expires ON ${schema}.live_chats (expires_time);
    CREATE TABLE IF NOT EXISTS ${schema}.live_chat_messages (
      conversation text NOT NULL REFERENCES ${schema}.live_chats (conversation) ON DELETE CASCADE,
      seq bigint NOT NULL,
      record jsonb NOT NULL,
      PRIMARY KEY (conversation, seq)
    );`;
}

export function postgresLiveChats(db: PgDatabase): LiveChatStore {
  const { schema } = db;
  const columns = (record: LiveChatRecord) => [record.conversation, record.status, isoTime(record.requestedAt, "requestedAt"), isoTime(record.expiresAt, "expiresAt"), record.revision, JSON.stringify(record)];
  return {
    async open(record) {
      const opened: LiveChatRecord = { ...record, revision: 0 };
      await db.transaction(async (client) => {
        await client.query(`DELETE FROM ${schema}.live_chat_messages WHERE conversation = $1`, [record.conversation]);
        // The counter stays: sequence numbers never repeat within a conversation (a visitor's Last-Event-ID).
        await client.query(
          `INSERT INTO ${schema}.live_chats (conversation, status, requested_time, expires_time, revision, record) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (conversation) DO UPDATE SET status = $2, requested_time = $3, expires_time = $4, revision = $5, record = $6`,
          columns(opened),
        );
      });
      return opened;
    },
    async get(conversation) {
      const { rows } = await db.query<{ record: LiveChatRecord }>(`SELECT record FROM ${schema}.live_chats WHERE conversation = $1`, [conversation]);
      return rows[0]?.record;
    },
    async list(statuses) {
      const { rows } = await db.query<{ record: LiveChatRecord }>(
        `SELECT record FROM ${schema}.live_chats WHERE status = ANY($1::text[]) ORDER BY requested_time, conversation`,
        [[...statuses]],
      );
      return rows.map((row) => row.record);
    },
    async update(record) {
      const { rowCount } = await db.query(
        `UPDATE ${schema}.live_chats SET status = $2, requested_time = $3, expires_time = $4, revision = $5, record = $6 WHERE conversation = $1 AND revision = $5 - 1`,
        columns(record),
      );
      return rowCount === 1;
    },
    async append(message) {
      const { rows } = await db.query<{ seq: string }>(
        `WITH counter AS (UPDATE ${schema}.live_chats SET next_seq = next_seq + 1 WHERE conversation = $1 RETURNING next_seq)
         INSERT INTO ${schema}.live_chat_messages (conversation, seq, record)
         SELECT $1, next_seq, $2::jsonb || jsonb_build_object('seq', next_seq) FROM counter RETURNING seq`,
        [message.conversation, JSON.stringify(message)],
      );
      const seq = rows[0]?.seq;
      return seq === undefined ? undefined : { ...message, seq: Number(seq) };
    },
    async messages(conversation, after = 0) {
      const { rows } = await db.query<{ record: LiveChatMessage }>(
        `SELECT record FROM ${schema}.live_chat_messages WHERE conversation = $1 AND seq > $2 ORDER BY seq`,
        [conversation, Math.max(0, Math.floor(after))],
      );
      return rows.map((row) => row.record);
    },
    async read(conversation, after = 0) {
      const { rows } = await db.query<{ record: LiveChatRecord; messages: LiveChatMessage[] }>(
        `SELECT c.record, COALESCE((SELECT jsonb_agg(m.record ORDER BY m.seq) FROM ${schema}.live_chat_messages m WHERE m.conversation = c.conversation AND m.seq > $2), '[]'::jsonb) AS messages
         FROM ${schema}.live_chats c WHERE c.conversation = $1`,
        [conversation, Math.max(0, Math.floor(after))],
      );
      const row = rows[0];
      return row ? { record: row.record, messages: row.messages } : undefined;
    },
    async delete(conversation) {
      const { rowCount } = await db.query(`DELETE FROM ${schema}.live_chats WHERE conversation = $1`, [conversation]);
      return rowCount === 1;
    },
    async deleteExpired(time) {
      const { rowCount } = await db.query(`DELETE FROM ${schema}.live_chats WHERE expires_time < $1`, [isoTime(time, "time")]);
      return rowCount ?? 0;
    },
  };
}
