/** Store role: the proof ledger over the embedded record collections (insertion order is chain order). */
import type { LedgerCheckpoint, LedgerDraft, LedgerEntry, LedgerStatus, ProofLedgerStore } from "../ports/proof-ledger.ts";
import { type EmbeddedRecords, type RecordValue, type RecordWrite, recordValue } from "./embedded-records.ts";

const entriesCollection = "proof-ledger";
const metaCollection = "proof-ledger-meta";
const heldCollection = "proof-ledger-held";

/** Keys sort like the numbers they hold, so a listing by key is chain order too. */
const keyOf = (seq: number) => String(seq).padStart(16, "0");

/** A meta record (head, checkpoint, halted: flat objects of strings and numbers) as a copy; a spread is a full copy of those, and much cheaper than structuredClone on every append. */
function metaRecord<T extends object>(value: RecordValue | undefined): T | undefined {
  return value === undefined ? undefined : ({ ...(value as object) } as T);
}

export function embeddedProofLedger(records: EmbeddedRecords): ProofLedgerStore {
  const head = () => metaRecord<{ seq: number; hash: string }>(records.get(metaCollection, "head"));
  const sameHead = (after: { seq: number; hash: string } | undefined) => {
    const current = head();
    return current === undefined ? after === undefined : after !== undefined && current.seq === after.seq && current.hash === after.hash;
  };
  const entryWrites = (entries: readonly LedgerEntry[]): RecordWrite[] => {
    const last = entries.at(-1);
    return [
      ...entries.map((entry) => ({ collection: entriesCollection, key: keyOf(entry.seq), value: recordValue(entry) })),
      ...(last ? [{ collection: metaCollection, key: "head", value: recordValue({ seq: last.seq, hash: last.hash }) }] : []),
    ];
  };
  let heldCounter = 0;
  return {
    async append(entries, after) {
      if (!sameHead(after)) return false;
      await records.write(entryWrites(entries));
      return true;
    },
    async read(query) {
      const found: LedgerEntry[] = [];
      let from = query.fromSeq ?? 0;
      const limit = query.limit ?? Number.POSITIVE_INFINITY;
      if (query.person === undefined) {
        // Pages of a long chain: look entries up by key instead of scanning from the start each
        // time; a missing key (the end, a gap) falls back to the scan below from there on.
        const first = records.all(entriesCollection).values().next().value as LedgerEntry | undefined;
        for (let seq = Math.max(from, first?.seq ?? 0); found.length < limit; seq++) {
          const stored = records.get(entriesCollection, keyOf(seq));
          if (stored === undefined) break;
          // Entries are flat: a spread is a full copy, and much cheaper than structuredClone.
          found.push({ ...(stored as unknown as LedgerEntry) });
          from = seq + 1;
        }
        if (found.length >= limit) return found;
      }
      for (const stored of records.all(entriesCollection).values()) {
        const entry = stored as unknown as LedgerEntry;
        if (entry.seq < from || (query.person !== undefined && entry.person !== query.person)) continue;
        found.push({ ...entry });
        if (found.length >= limit) break;
      }
      return found;
    },
    async status() {
      const status: LedgerStatus = {};
      const current = head();
      if (current) status.head = current;
      const checkpoint = metaRecord<LedgerCheckpoint>(records.get(metaCollection, "checkpoint"));
      if (checkpoint) status.checkpoint = checkpoint;
      const halted = metaRecord<{ since: string; reason: string }>(records.get(metaCollection, "halted"));
      if (halted) status.halted = halted;
      return status;
    },
    async prune(before, at) {
      const limit = Date.parse(before);
      const removed: LedgerEntry[] = [];
      for (const stored of records.all(entriesCollection).values()) {
        const entry = stored as unknown as LedgerEntry;
        if (Date.parse(entry.time) >= limit) break;
        removed.push(entry);
      }
      const last = removed.at(-1);
      if (!last) return 0;
      await records.write([
        ...removed.map((entry) => ({ collection: entriesCollection, key: keyOf(entry.seq), delete: true as const })),
        { collection: metaCollection, key: "checkpoint", value: recordValue({ seq: last.seq, hash: last.hash, at }) },
      ]);
      return removed.length;
    },
    async halt(reason, since) {
      if (records.get(metaCollection, "halted") !== undefined) return;
      await records.write([{ collection: metaCollection, key: "halted", value: recordValue({ reason, since }) }]);
    },
    async hold(drafts) {
      const writes = drafts.map((draft) => {
        heldCounter += 1;
        return { collection: heldCollection, key: `${Date.now().toString(36).padStart(10, "0")}-${String(heldCounter).padStart(8, "0")}`, value: recordValue(draft) };
      });
      await records.write(writes);
    },
    async held() {
      return [...records.all(heldCollection).values()].map((value) => structuredClone(value) as unknown as LedgerDraft);
    },
    async release(entries, after, releasedHeld) {
      if (!sameHead(after)) return false;
      const heldKeys = [...records.all(heldCollection).keys()].slice(0, releasedHeld);
      await records.write([
        ...entryWrites(entries),
        ...heldKeys.map((key) => ({ collection: heldCollection, key, delete: true as const })),
        { collection: metaCollection, key: "halted", delete: true as const },
      ]);
      return true;
    },
  };
}
