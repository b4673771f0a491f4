/** Store role: API tokens, over the embedded record collections. */
import type { ApiTokenRecord, ApiTokenStore } from "../ports/api-tokens.ts";
import { type EmbeddedRecords, readRecord, readRecords, recordValue } from "./embedded-records.ts";

export function embeddedApiTokens(records: EmbeddedRecords): ApiTokenStore {
  const collection = "api-tokens";
  return {
    create: (record) => records.write([{ collection, key: record.id, value: recordValue(record) }]),
    // Every request with a token asks: only the match is copied, not every token.
    findByHash: async (tokenHash) => readRecord<ApiTokenRecord>([...records.all(collection).values()].find((token) => (token as { tokenHash?: unknown }).tokenHash === tokenHash)),
    list: async () => readRecords<ApiTokenRecord>(records, collection).sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt)),
    async delete(id) {
      if (records.get(collection, id) === undefined) return false;
      await records.write([{ collection, key: id, delete: true }]);
      return true;
    },
  };
}
