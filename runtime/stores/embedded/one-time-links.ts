/** Store role: one-time links, over the embedded record collections. */
import type { OneTimeLinkRecord, OneTimeLinkStore } from "../ports/one-time-links.ts";
import { atOrBefore, type EmbeddedRecords, readRecord, readRecords, recordValue } from "./embedded-records.ts";

export function embeddedOneTimeLinks(records: EmbeddedRecords): OneTimeLinkStore {
  const collection = "one-time-links";
  const remove = async (keys: string[]) => {
    await records.write(keys.map((key) => ({ collection, key, delete: true as const })));
    return keys.length;
  };
  return {
    create: (record) => records.write([{ collection, key: record.tokenHash, value: recordValue(record) }]),
    get: async (tokenHash) => readRecord<OneTimeLinkRecord>(records.get(collection, tokenHash)),
    async take(tokenHash) {
      // Read and delete in one synchronous stretch: a concurrent take finds nothing.
      const stored = readRecord<OneTimeLinkRecord>(records.get(collection, tokenHash));
      if (!stored) return undefined;
      await remove([tokenHash]);
      return stored;
    },
    deleteForAccount: (accountId) => remove(readRecords<OneTimeLinkRecord>(records, collection).filter((link) => link.accountId === accountId).map((link) => link.tokenHash)),
    deleteExpired: (now) => remove(readRecords<OneTimeLinkRecord>(records, collection).filter((link) => atOrBefore(link.expiresAt, now)).map((link) => link.tokenHash)),
  };
}
