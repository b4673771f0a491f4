/** Store role: sign-in sessions, over the embedded record collections. */
import type { SessionRecord, SessionStore } from "../ports/sessions.ts";
import { atOrBefore, type EmbeddedRecords, readRecord, readRecords, recordValue } from "./embedded-records.ts";

export function embeddedSessions(records: EmbeddedRecords): SessionStore {
  const collection = "sessions";
  const remove = async (keys: string[]) => {
    await records.write(keys.map((key) => ({ collection, key, delete: true as const })));
    return keys.length;
  };
  return {
    create: (record) => records.write([{ collection, key: record.idHash, value: recordValue(record) }]),
    get: async (idHash) => readRecord<SessionRecord>(records.get(collection, idHash)),
    async touch(idHash, lastSeenAt, expiresAt) {
      const stored = readRecord<SessionRecord>(records.get(collection, idHash));
      if (!stored) return false;
      await records.write([{ collection, key: idHash, value: recordValue({ ...stored, lastSeenAt, expiresAt }) }]);
      return true;
    },
    async delete(idHash) {
      return (await remove(records.get(collection, idHash) === undefined ? [] : [idHash])) === 1;
    },
    deleteForAccount: (accountId) => remove(readRecords<SessionRecord>(records, collection).filter((session) => session.accountId === accountId).map((session) => session.idHash)),
    deleteExpired: (now) => remove(readRecords<SessionRecord>(records, collection).filter((session) => atOrBefore(session.expiresAt, now)).map((session) => session.idHash)),
  };
}
