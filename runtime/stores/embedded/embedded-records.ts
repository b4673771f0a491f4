/**
 * What a store role of the embedded stores (memory, lowdb) is built on when it needs nothing
 * but keyed JSON records: one collection per kind of record, writes applied at once and made
 * durable together (one journal line). A role is a file in `embedded/` that turns its port's
 * calls into `get`/`all`/`write`; `state-backed-store.ts` registers it.
 *
 * Reads and writes run on the event loop without a pause between them, so a role may check
 * what is stored and write in the same synchronous stretch: no other call comes in between.
 * Returned values are the stored ones: treat them as read-only and write new values instead.
 */
import type { RecordValue, RecordWrite } from "./store-state.ts";

export type { RecordValue, RecordWrite };

export interface EmbeddedRecords {
  get(collection: string, key: string): RecordValue | undefined;
  /** Every record of a collection, in the order first written. */
  all(collection: string): ReadonlyMap<string, RecordValue>;
  /** Applies the writes at once and resolves once they are durable. */
  write(writes: RecordWrite[]): Promise<void>;
}

/** A role's records are written by the role only, so reading one back as its type is safe; a copy, so callers may change it. */
export function readRecord<T>(value: RecordValue | undefined): T | undefined {
  return value === undefined ? undefined : (structuredClone(value) as T);
}

export function readRecords<T>(records: EmbeddedRecords, collection: string): T[] {
  return [...records.all(collection).values()].map((value) => structuredClone(value) as T);
}

export function recordValue(record: object): RecordValue {
  return JSON.parse(JSON.stringify(record)) as RecordValue;
}

/** Whether the ISO time `a` is at or before `b`. */
export function atOrBefore(a: string, b: string): boolean {
  return Date.parse(a) <= Date.parse(b);
}

export function atOrAfter(a: string, b: string): boolean {
  return Date.parse(a) >= Date.parse(b);
}
