/** Store role: unanswered questions, over the embedded record collections. */
import type { UnansweredQuestionRecord, UnansweredQuestionStore } from "../ports/unanswered-questions.ts";
import { type EmbeddedRecords, readRecord, readRecords, recordValue } from "./embedded-records.ts";

const undecided = new Set(["open", "answered"]);

export function embeddedUnansweredQuestions(records: EmbeddedRecords): UnansweredQuestionStore {
  const collection = "unanswered-questions";
  const stored = (id: string) => readRecord<UnansweredQuestionRecord>(records.get(collection, id));
  return {
    async keep(record) {
      if (records.get(collection, record.id) !== undefined) return false;
      await records.write([{ collection, key: record.id, value: recordValue(record) }]);
      return true;
    },
    get: async (id) => stored(id),
    list: async ({ statuses, limit }) =>
      readRecords<UnansweredQuestionRecord>(records, collection)
        .filter((record) => statuses === undefined || statuses.includes(record.status))
        .sort((a, b) => Date.parse(b.askedAt) - Date.parse(a.askedAt) || (a.id < b.id ? 1 : -1))
        .slice(0, limit ?? Number.POSITIVE_INFINITY),
    async answer(id, answer) {
      const record = stored(id);
      if (!record || !undecided.has(record.status)) return false;
      await records.write([{ collection, key: id, value: recordValue({ ...record, ...answer, status: "answered" }) }]);
      return true;
    },
    async decide(id, decision) {
      const record = stored(id);
      if (!record || !undecided.has(record.status)) return false;
      await records.write([{ collection, key: id, value: recordValue({ ...record, ...decision }) }]);
      return true;
    },
    async deleteAskedBefore(time) {
      const expired = readRecords<UnansweredQuestionRecord>(records, collection).filter((record) => Date.parse(record.askedAt) < Date.parse(time));
      await records.write(expired.map((record) => ({ collection, key: record.id, delete: true as const })));
      return expired.length;
    },
  };
}
