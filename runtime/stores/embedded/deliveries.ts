/**
 * Store role: deliveries, over the embedded record collections. Claims live in memory: one
 * process owns a single-process store, so no other process can hold one, and a restarted
 * process starts without any (what a dead instance held is due again at once).
 */
import type { DeliveryRecord, DeliveryStore, NewDeliveryRecord } from "../ports/deliveries.ts";
import type { EmbeddedRecords, RecordValue, RecordWrite } from "./embedded-records.ts";

const collection = "deliveries";

/**
 * A delivery record is flat (strings, numbers, booleans), so a copy of its defined fields is a
 * safe stored value and a safe copy to hand out — far cheaper per delivery than a JSON round trip
 * or `structuredClone` of a record that carries a sealed request.
 */
function flatCopy<T extends object>(record: T): T {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) if (value !== undefined) copy[key] = value;
  return copy as T;
}

function storedValue(record: DeliveryRecord): RecordValue {
  return flatCopy(record) as unknown as RecordValue;
}

/** The writes that add `deliveries` (ids stored already are left out), for storing them with a conversation change. */
export function deliveryWrites(records: EmbeddedRecords, deliveries: readonly NewDeliveryRecord[] | undefined): RecordWrite[] {
  const writes: RecordWrite[] = [];
  const seen = new Set<string>();
  for (const delivery of deliveries ?? []) {
    if (seen.has(delivery.id) || records.get(collection, delivery.id) !== undefined) continue;
    seen.add(delivery.id);
    const record: DeliveryRecord = { ...delivery, status: "pending", attempts: 0 };
    writes.push({ collection, key: delivery.id, value: storedValue(record) });
  }
  return writes;
}

/** The writes that remove the deliveries of erased conversations, except those that survive erasure. */
export function erasedDeliveryWrites(records: EmbeddedRecords, conversationIds: readonly string[]): RecordWrite[] {
  if (conversationIds.length === 0) return [];
  const erased = new Set(conversationIds);
  const writes: RecordWrite[] = [];
  for (const [key, value] of records.all(collection)) {
    const record = value as unknown as DeliveryRecord;
    if (!record.survivesErasure && record.conversationId !== undefined && erased.has(record.conversationId)) writes.push({ collection, key, delete: true });
  }
  return writes;
}

export function embeddedDeliveries(records: EmbeddedRecords): DeliveryStore {
  const claims = new Map<string, { owner: string; until: number }>();
  const stored = (id: string) => {
    const value = records.get(collection, id) as unknown as DeliveryRecord | undefined;
    return value === undefined ? undefined : flatCopy(value);
  };
  const put = (record: DeliveryRecord) => records.write([{ collection, key: record.id, value: storedValue(record) }]);
  // The stored values themselves, not a copy: a claim touches only the first due ones of a large backlog.
  const all = () => records.all(collection).values() as unknown as IterableIterator<DeliveryRecord>;
  return {
    add: (deliveries) => records.write(deliveryWrites(records, deliveries)),
    get: async (id) => stored(id),
    async claimDue(owner, now, until, limit) {
      const nowMs = Date.parse(now);
      const untilMs = Date.parse(until);
      const due: DeliveryRecord[] = [];
      // Insertion order: a delivery keeps its place when it is rescheduled, so older ones come first.
      for (const record of all()) {
        if (due.length >= limit) break;
        if (record.status !== "pending" || Date.parse(record.nextAttemptAt) > nowMs) continue;
        // A live claim keeps a delivery from everyone, its owner too: the owner is sending it.
        const held = claims.get(record.id);
        if (held && held.until > nowMs) continue;
        claims.set(record.id, { owner, until: untilMs });
        due.push(flatCopy(record));
      }
      return due;
    },
    async nextDue() {
      let earliest: number | undefined;
      let text: string | undefined;
      for (const record of all()) {
        if (record.status !== "pending") continue;
        const at = Date.parse(record.nextAttemptAt);
        if (earliest === undefined || at < earliest) {
          earliest = at;
          text = record.nextAttemptAt;
        }
      }
      return text;
    },
    async reschedule(id, attempts, nextAttemptAt, lastError) {
      const record = stored(id);
      if (!record) return false;
      claims.delete(id);
      await put({ ...record, attempts, nextAttemptAt, lastError });
      return true;
    },
    async finish(id) {
      claims.delete(id);
      if (records.get(collection, id) === undefined) return false;
      await records.write([{ collection, key: id, delete: true }]);
      return true;
    },
    async fail(id, attempts, failedAt, lastError) {
      const record = stored(id);
      if (!record) return false;
      claims.delete(id);
      await put({ ...record, status: "failed", attempts, failedAt, lastError });
      return true;
    },
    failed: async (limit) =>
      [...all()]
        .filter((record) => record.status === "failed")
        .sort((a, b) => Date.parse(b.failedAt ?? "") - Date.parse(a.failedAt ?? "") || (a.id < b.id ? -1 : 1))
        .slice(0, limit)
        .map(flatCopy),
    retrying: async (limit) =>
      [...all()]
        .filter((record) => record.status === "pending" && record.attempts > 0)
        .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || (a.id < b.id ? -1 : 1))
        .slice(0, limit)
        .map(flatCopy),
    async retry(id, nextAttemptAt, giveUpAt) {
      const record = stored(id);
      if (record?.status !== "failed") return false;
      const { failedAt: _failedAt, ...rest } = record;
      await put({ ...rest, status: "pending", attempts: 0, nextAttemptAt, giveUpAt });
      return true;
    },
    async counts() {
      let pending = 0;
      let failed = 0;
      for (const record of all()) {
        if (record.status === "pending") pending++;
        else failed++;
      }
      return { pending, failed };
    },
  };
}
