/**
 * Opens a store backend by name, so a test or benchmark picks the backend it runs on without
 * importing a store implementation itself (the layer rule keeps implementations to the
 * composition roots). PostgreSQL gets a fresh schema per store, from `BOTSCHAFT_TEST_DATABASE_URL`
 * or the local server every machine of this project runs.
 */
import { randomBytes } from "node:crypto";
import { LowdbStore, type LowdbStoreOptions } from "../stores/embedded/lowdb-store.ts";
import { MemoryStore } from "../stores/embedded/memory-store.ts";
import { PostgresStore } from "../stores/postgres/postgres-store.ts";
import type { Store } from "../stores/ports/store.ts";

export type StoreKind = "memory" | "lowdb" | "postgres";

export const testDatabaseUrl = process.env.BOTSCHAFT_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export interface TestStoreOptions extends LowdbStoreOptions {
  /** PostgreSQL: the schema to use (default a fresh random one, which the caller drops). */
  schema?: string;
}

export async function openTestStore(kind: StoreKind, options: TestStoreOptions = {}): Promise<Store> {
  if (kind === "memory") return new MemoryStore();
  if (kind === "lowdb") return LowdbStore.open(options);
  const schema = options.schema ?? `botschaft_test_${randomBytes(6).toString("hex")}`;
  return PostgresStore.open({ connectionString: testDatabaseUrl, schema, poolSize: 4, applicationName: schema });
}
