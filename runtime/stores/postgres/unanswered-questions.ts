/** PostgreSQL role: unanswered questions; answering and deciding are conditional UPDATEs, so the first decision wins. */
import type { UnansweredQuestionRecord, UnansweredQuestionStore } from "../ports/unanswered-questions.ts";
import { isoTime, type PgDatabase } from "./database.ts";

export function unansweredQuestionTables(schema: string): string {
  return `
    CREATE TABLE IF NOT EXISTS ${schema}.unanswered_questions (
      id text PRIMARY KEY,
      asked_time timestamptz NOT NULL,
      status text NOT NULL,
      record jsonb NOT NULL
    );
    CREATE INDEX IF NOT EXISTS unanswered_questions_asked ON ${schema}.unanswered_questions (asked_time DESC, id DESC);`;
}

export function postgresUnansweredQuestions(db: PgDatabase): UnansweredQuestionStore {
  const { schema } = db;
  // The record is one JSON document; status and time are columns too, for the conditions and the order.
  const update = async (id: string, changes: Partial<UnansweredQuestionRecord>): Promise<boolean> => {
    const { rowCount } = await db.query(
      `UPDATE ${schema}.unanswered_questions SET record = record || $2::jsonb, status = COALESCE($2::jsonb ->> 'status', status)
       WHERE id = $1 AND status IN ('open', 'answered')`,
      [id, JSON.stringify(changes)],
    );
    return rowCount === 1;
  };
  return {
    async keep(record) {
      const { rowCount } = await db.query(
        `INSERT INTO ${schema}.unanswered_questions (id, asked_time, status, record) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING`,
        [record.id, isoTime(record.askedAt, "askedAt"), record.status, JSON.stringify(record)],
      );
      return rowCount === 1;
    },
    async get(id) {
      const { rows } = await db.query<{ record: UnansweredQuestionRecord }>(`SELECT record FROM ${schema}.unanswered_questions WHERE id = $1`, [id]);
      return rows[0]?.record;
    },
    async list({ statuses, limit }) {
      const { rows } = await db.query<{ record: UnansweredQuestionRecord }>(
        `SELECT record FROM ${schema}.unanswered_questions WHERE $1::text[] IS NULL OR status = ANY($1::text[])
         ORDER BY asked_time DESC, id DESC LIMIT $2`,
        [statuses ? [...statuses] : null, limit ?? null],
      );
      return rows.map((row) => row.record);
    },
    answer: (id, answer) => update(id, { ...answer, status: "answered" }),
    decide: (id, decision) => update(id, decision),
    async deleteAskedBefore(time) {
      const { rowCount } = await db.query(`DELETE FROM ${schema}.unanswered_questions WHERE asked_time < $1`, [isoTime(time, "time")]);
      return rowCount ?? 0;
    },
  };
}
