/**
 * The PostgreSQL store against a real server: the shared contract, plus what only a shared
 * database has to keep — several instances on the same tables. Every store opened here gets a
 * schema of its own, dropped afterwards.
 *
 * The server comes from BOTSCHAFT_TEST_DATABASE_URL, by default the local one every machine
 * of this project runs (127.0.0.1:5432, trust authentication, database `test`). The tests do
 * not skip when it is missing: they fail and say where they looked.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { Store } from "../ports/store.ts";
import { PostgresStore } from "./postgres-store.ts";
import { newConversation, nextRevision, storeContract } from "../contracts/store-contract.ts";
import { signalsContract } from "../contracts/signals.contract.ts";

const connectionString = process.env.BOTSCHAFT_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const schemas = new Set<string>();
const schemaOf = new Map<Store, string>();

async function openIn(schema: string): Promise<PostgresStore> {
  schemas.add(schema);
  try {
    const store = await PostgresStore.open({ connectionString, schema, poolSize: 4, applicationName: schema });
    schemaOf.set(store, schema);
    return store;
  } catch (error) {
    throw new Error(`PostgreSQL is not reachable at ${connectionString} (set BOTSCHAFT_TEST_DATABASE_URL): ${(error as Error).message}`);
  }
}

function freshSchema(): string {
  return `botschaft_test_${randomBytes(6).toString("hex")}`;
}

afterAll(async () => {
  const admin = new pg.Client({ connectionString });
  await admin.connect();
  try {
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await admin.end();
  }
  // Dozens of schemas with every role's tables: seconds on a quiet machine, more on a busy one.
}, 120_000);

storeContract("postgres", {
  open: () => openIn(freshSchema()),
  reopen: async (store) => {
    const schema = schemaOf.get(store);
    if (!schema) throw new Error("reopen of a store this subject did not open");
    await store.close();
    return openIn(schema);
  },
});

const signalStores: PostgresStore[] = [];
signalsContract("postgres LISTEN/NOTIFY", {
  open: async (count) => {
    const schema = freshSchema();
    const instances: PostgresStore[] = [];
    // One after the other: the first creates the tables.
    for (let index = 0; index < count; index++) instances.push(await openIn(schema));
    signalStores.push(...instances);
    return instances.map((instance) => instance.signals);
  },
  interrupt: async (instances) => {
    const first = signalStores.find((store) => store.signals === instances[0]);
    if (!first) throw new Error("interrupt of signals this subject did not open");
    // The listening connections of this deployment's instances, as a restarted database server would.
    const admin = new pg.Client({ connectionString });
    await admin.connect();
    try {
      const ended = await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", [`${schemaOf.get(first)} (signals)`]);
      expect(ended.rowCount).toBe(instances.length);
    } finally {
      await admin.end();
    }
  },
  close: async () => {
    const closed = signalStores.splice(0);
    for (const store of closed) await store.close();
    // Dropped here rather than with all the others at the end, which takes long enough already.
    const dropped = new Set(closed.map((store) => schemaOf.get(store) as string));
    const admin = new pg.Client({ connectionString });
    await admin.connect();
    try {
      for (const schema of dropped) {
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        schemas.delete(schema);
      }
    } finally {
      await admin.end();
    }
  },
});

describe("postgres store, several instances on one database", () => {
  const opened: Store[] = [];
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });

  async function twoInstances(): Promise<[PostgresStore, PostgresStore]> {
    const schema = freshSchema();
    // Started together: the migration lock makes them take turns creating the tables.
    const pair = await Promise.all([openIn(schema), openIn(schema)]);
    opened.push(...pair);
    return pair;
  }

  it("sees on one instance what the other wrote", async () => {
    const [left, right] = await twoInstances();
    const record = newConversation({ channelUser: "pseudonym" });
    await left.conversations.create(record);
    expect(await right.conversations.get(record.id)).toEqual({ ...record, revision: 0 });
    expect(await right.conversations.findByChannelUser("web", "pseudonym")).toEqual({ ...record, revision: 0 });
  });

  it("lets exactly one of two instances' updates from the same revision win", async () => {
    const [left, right] = await twoInstances();
    const record = newConversation();
    await left.conversations.create(record);
    const stored = { ...record, revision: 0 };
    for (let round = 0; round < 20; round++) {
      const current = (await left.conversations.get(record.id)) ?? stored;
      const results = await Promise.all([
        left.conversations.update(nextRevision(current, { sealedState: `left-${round}` })),
        right.conversations.update(nextRevision(current, { sealedState: `right-${round}` })),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
    }
    expect((await right.conversations.get(record.id))?.revision).toBe(20);
  });

  it("erases each expired conversation once when both instances sweep at the same time", async () => {
    const [left, right] = await twoInstances();
    const ids: string[] = [];
    for (let index = 0; index < 60; index++) {
      const record = newConversation({ expiresAt: `2026-01-01T00:${String(index).padStart(2, "0")}:00.000Z` });
      await left.conversations.create(record);
      ids.push(record.id);
    }
    const now = "2026-02-01T00:00:00.000Z";
    const swept = await Promise.all([left.conversations.deleteExpired(now, 25), right.conversations.deleteExpired(now, 25), left.conversations.deleteExpired(now), right.conversations.deleteExpired(now)]);
    const all = swept.flat();
    expect(new Set(all).size).toBe(all.length);
    expect(all.sort()).toEqual([...ids].sort());
    for (const batch of swept) {
      // Earliest first within each caller's batch.
      const order = batch.map((id) => ids.indexOf(id));
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
  });

  it("gives an outbox entry to exactly one of two instances claiming it at once", async () => {
    const [left, right] = await twoInstances();
    await left.inbox.accept({ channel: "telegram", key: "k", conversationKey: "p", order: 1, sealedDelivery: "sealed", receivedAt: "2026-03-01T10:00:00.000Z" });
    const outbox = Array.from({ length: 10 }, (_, index) => ({
      id: `k:${index}`,
      channel: "telegram",
      conversationKey: "p",
      sealedCall: "sealed",
      attempts: 0,
      nextAttemptAt: "2026-03-01T10:00:00.000Z",
    }));
    expect(await right.inbox.complete({ channel: "telegram", key: "k", conversation: [], outbox })).toBe("completed");
    for (const entry of outbox) {
      const claims = await Promise.all([
        left.outbox.claim(entry.id, "left", "2026-03-01T10:00:00.000Z", "2026-03-01T10:01:00.000Z"),
        right.outbox.claim(entry.id, "right", "2026-03-01T10:00:00.000Z", "2026-03-01T10:01:00.000Z"),
      ]);
      expect(claims.filter(Boolean)).toHaveLength(1);
    }
  });

  it("reports a broken connection as store-failed and keeps serving once it is back", async () => {
    const schema = freshSchema();
    const store = await openIn(schema);
    opened.push(store);
    const record = newConversation();
    await store.conversations.create(record);
    const admin = new pg.Client({ connectionString });
    await admin.connect();
    try {
      // Cut every connection of this store's pool, as a database restart would.
      await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
        [schema],
      );
    } finally {
      await admin.end();
    }
    const outcome = await store.conversations.get(record.id).then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    if ("error" in outcome) expect(outcome.error).toMatchObject({ code: "store-failed" });
    // The pool replaces dead connections: the next call works and nothing was lost.
    expect(await store.conversations.get(record.id)).toEqual({ ...record, revision: 0 });
  });

  it("upgrades a database of schema 1: adds the key tables and forgets the pseudonyms of processed deliveries", async () => {
    const schema = freshSchema();
    const first = await openIn(schema);
    await first.inbox.accept({ channel: "telegram", key: "done", conversationKey: "pseudonym-1", order: 1, sealedDelivery: "sealed", receivedAt: "2026-03-01T10:00:00.000Z" });
    await first.inbox.complete({ channel: "telegram", key: "done", conversation: [], outbox: [] });
    await first.inbox.accept({ channel: "telegram", key: "waiting", conversationKey: "pseudonym-1", order: 2, sealedDelivery: "sealed", receivedAt: "2026-03-01T10:00:00.000Z" });
    await first.close();
    const admin = new pg.Client({ connectionString });
    await admin.connect();
    try {
      // Schema 1 as it was: no key tables, and processed deliveries kept the pseudonym.
      await admin.query(`DROP TABLE ${schema}.data_keys, ${schema}.erasures`);
      await admin.query(`UPDATE ${schema}.inbox SET conversation_key = 'pseudonym-1'`);
      await admin.query(`ALTER TABLE ${schema}.inbox ALTER COLUMN conversation_key SET NOT NULL`);
      await admin.query(`UPDATE ${schema}.schema_version SET version = 1`);
      const upgraded = await openIn(schema);
      opened.push(upgraded);
      const { rows } = await admin.query<{ key: string; conversation_key: string | null }>(`SELECT key, conversation_key FROM ${schema}.inbox ORDER BY key`);
      expect(rows).toEqual([
        { key: "done", conversation_key: null },
        { key: "waiting", conversation_key: "pseudonym-1" },
      ]);
      expect((await admin.query(`SELECT version FROM ${schema}.schema_version`)).rows).toEqual([{ version: 7 }]);
      expect(await upgraded.unansweredQuestions.list({})).toEqual([]);
      expect(await upgraded.dataKeys.create({ id: "k", kind: "conversation", wrapped: "w", createdAt: "2026-03-01T10:00:00.000Z" })).toBe(true);
      expect((await upgraded.inbox.pending()).map((record) => record.key)).toEqual(["waiting"]);
    } finally {
      await admin.end();
    }
  });

  it("refuses a database written by a newer version", async () => {
    const schema = freshSchema();
    const first = await openIn(schema);
    await first.close();
    const admin = new pg.Client({ connectionString });
    await admin.connect();
    await admin.query(`UPDATE ${schema}.schema_version SET version = 999`);
    await admin.end();
    await expect(PostgresStore.open({ connectionString, schema })).rejects.toMatchObject({ code: "store-failed", message: expect.stringMatching(/newer/) });
  });
});
