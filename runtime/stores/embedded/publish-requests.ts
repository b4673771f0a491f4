/** Store role: publish requests, over the embedded record collections. */
import type { PublishRequestRecord, PublishRequestStore } from "../ports/publish-requests.ts";
import { type EmbeddedRecords, readRecord, readRecords, recordValue } from "./embedded-records.ts";

export function embeddedPublishRequests(records: EmbeddedRecords): PublishRequestStore {
  const collection = "publish-requests";
  return {
    create: (record) => records.write([{ collection, key: record.id, value: recordValue(record) }]),
    get: async (id) => readRecord<PublishRequestRecord>(records.get(collection, id)),
    list: async (status) =>
      readRecords<PublishRequestRecord>(records, collection)
        .filter((request) => status === undefined || request.status === status)
        .sort((a, b) => Date.parse(b.requestedAt) - Date.parse(a.requestedAt)),
    async decide(id, decision) {
      const stored = readRecord<PublishRequestRecord>(records.get(collection, id));
      if (stored?.status !== "pending") return false;
      await records.write([{ collection, key: id, value: recordValue({ ...stored, ...decision }) }]);
      return true;
    },
  };
}
