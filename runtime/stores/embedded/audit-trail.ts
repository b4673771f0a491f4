/** Store role: the audit trail, over the embedded record collections (insertion order is time order). */
import type { AuditEntry, AuditTrailStore } from "../ports/audit-trail.ts";
import { type EmbeddedRecords, recordValue } from "./embedded-records.ts";

export function embeddedAuditTrail(records: EmbeddedRecords): AuditTrailStore {
  const collection = "audit-trail";
  return {
    append: (entry) => records.write([{ collection, key: entry.id, value: recordValue(entry) }]),
    async list(query) {
      const from = query.from === undefined ? Number.NEGATIVE_INFINITY : Date.parse(query.from);
      const to = query.to === undefined ? Number.POSITIVE_INFINITY : Date.parse(query.to);
      const found: AuditEntry[] = [];
      for (const stored of records.all(collection).values()) {
        const entry = stored as unknown as AuditEntry;
        const time = Date.parse(entry.time);
        if (time < from || time > to) continue;
        if (query.after !== undefined && entry.id <= query.after) continue;
        if (query.actor !== undefined && entry.actor !== query.actor) continue;
        if (query.action !== undefined && entry.action !== query.action) continue;
        if (query.target !== undefined && entry.target !== query.target) continue;
        found.push(structuredClone(entry));
        if (query.limit !== undefined && found.length >= query.limit) break;
      }
      return found;
    },
    async deleteBefore(before) {
      const limit = Date.parse(before);
      const keys: string[] = [];
      for (const [key, stored] of records.all(collection)) if (Date.parse((stored as unknown as AuditEntry).time) < limit) keys.push(key);
      await records.write(keys.map((key) => ({ collection, key, delete: true as const })));
      return keys.length;
    },
  };
}
