/**
 * Where the embedded stores keep data keys: apart from the conversations, their journal and
 * their shard files, so that destroying a key rewrites the few small files that held it and
 * nothing else (docs/privacy.md#erasure-by-destroying-keys). The memory store keeps them in a
 * map (`MemoryKeyVault`), the lowdb store in key files of their own (`key-files.ts`).
 *
 * Like `StoreState`, a vault answers reads from memory and applies `create` and `destroy` to
 * memory synchronously, at the call, so that a caller may check and change in one synchronous
 * stretch; the promise resolves once the change is durable.
 */
import { createHash } from "node:crypto";
import type { DataKeyKind, DataKeyRecord, ErasureRecord } from "../ports/data-keys.ts";

export interface KeyVault {
  get(id: string): DataKeyRecord | undefined;
  /** The keys of a kind, oldest first. */
  list(kind: DataKeyKind): DataKeyRecord[];
  /** Every stored key's id. */
  ids(): Iterable<string>;
  /** False, changing nothing, when the id has a key. */
  create(record: DataKeyRecord): Promise<boolean>;
  /**
   * Destroys the keys of `ids` (ids without one are fine) and notes the `erased` conversations
   * in the erasure log; resolves once no file of the vault holds the keys any more.
   */
  destroy(ids: readonly string[], erased: readonly string[]): Promise<void>;
  erasures(): Promise<ErasureRecord[]>;
  close(): Promise<void>;
}

/** The erasure log's digest of an id (see `ErasureRecord`). */
export function erasureDigest(id: string): string {
  return createHash("sha256").update(id, "utf8").digest("hex");
}

/** Oldest first, then by id. Times as `toISOString` writes them compare as text, without parsing. */
export function byAge(a: DataKeyRecord, b: DataKeyRecord): number {
  const sameForm = a.createdAt.length === b.createdAt.length && a.createdAt.endsWith("Z") && b.createdAt.endsWith("Z");
  const time = sameForm ? (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0) : Date.parse(a.createdAt) - Date.parse(b.createdAt);
  return time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** For the memory store: "durable" means applied. */
export class MemoryKeyVault implements KeyVault {
  readonly #keys = new Map<string, DataKeyRecord>();
  readonly #erasures: ErasureRecord[] = [];

  get(id: string): DataKeyRecord | undefined {
    return this.#keys.get(id);
  }

  list(kind: DataKeyKind): DataKeyRecord[] {
    return [...this.#keys.values()].filter((record) => record.kind === kind).sort(byAge);
  }

  ids(): Iterable<string> {
    return this.#keys.keys();
  }

  async create(record: DataKeyRecord): Promise<boolean> {
    if (this.#keys.has(record.id)) return false;
    this.#keys.set(record.id, record);
    return true;
  }

  async destroy(ids: readonly string[], erased: readonly string[]): Promise<void> {
    const erasedAt = new Date().toISOString();
    for (const id of ids) this.#keys.delete(id);
    for (const id of erased) this.#erasures.push({ digest: erasureDigest(id), erasedAt });
  }

  async erasures(): Promise<ErasureRecord[]> {
    return this.#erasures.map((entry) => ({ ...entry }));
  }

  async close(): Promise<void> {}
}
