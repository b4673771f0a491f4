/** Store role: the privacy desk over the embedded record collections (index by conversation, requests by id). */
import type { PrivacyDeskStore, PrivacyRequestRecord } from "../ports/privacy-desk.ts";
import { type EmbeddedRecords, readRecord, readRecords, recordValue } from "./embedded-records.ts";

const indexCollection = "blind-index";
const requestCollection = "privacy-requests";

function link(map: Map<string, Set<string>>, token: string, id: string): void {
  const ids = map.get(token) ?? new Set<string>();
  ids.add(id);
  map.set(token, ids);
}

export function embeddedPrivacyDesk(records: EmbeddedRecords): PrivacyDeskStore {
  // The embedded stores serve one process: a token → conversations map is rebuilt on first use and kept in step.
  let byToken: Map<string, Set<string>> | undefined;
  const tokenMap = () => {
    if (!byToken) {
      byToken = new Map();
      for (const [id, value] of records.all(indexCollection)) {
        for (const token of (value as unknown as { tokens: string[] }).tokens) link(byToken, token, id);
      }
    }
    return byToken;
  };
  const unlink = (id: string) => {
    const stored = records.get(indexCollection, id) as unknown as { tokens: string[] } | undefined;
    for (const token of stored?.tokens ?? []) tokenMap().get(token)?.delete(id);
  };
  return {
    async index(conversationId, tokens) {
      unlink(conversationId);
      await records.write([
        tokens.length === 0
          ? { collection: indexCollection, key: conversationId, delete: true as const }
          : { collection: indexCollection, key: conversationId, value: recordValue({ tokens: [...tokens] }) },
      ]);
      for (const token of tokens) link(tokenMap(), token, conversationId);
    },
    async find(token) {
      return [...(tokenMap().get(token) ?? [])];
    },
    async forget(conversationIds) {
      const known = conversationIds.filter((id) => records.get(indexCollection, id) !== undefined);
      for (const id of known) unlink(id);
      await records.write(known.map((id) => ({ collection: indexCollection, key: id, delete: true as const })));
    },
    saveRequest: (record) => records.write([{ collection: requestCollection, key: record.id, value: recordValue(record) }]),
    getRequest: async (id) => readRecord<PrivacyRequestRecord>(records.get(requestCollection, id)),
    listRequests: async () =>
      readRecords<PrivacyRequestRecord>(records, requestCollection).sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
  };
}
