/**
 * The benchmark's setup step: fills a data directory with conversations that the server will
 * find on start, through the store API — as if earlier users had chatted. Each one is walked
 * through the real engine to a different point of the flow (just started, asked for consent,
 * declined, giving their name, their phone number, finished with the CRM call done), with its
 * own name and number, then sealed under a data key of its own, token-hashed and stored exactly
 * as `ConversationService` does, key beside record. So the stored states and keys have their
 * real size and the server can open every one of them.
 *
 *   node --import tsx runtime/server/bench/seed-conversations.ts --data-dir D --flow-file F --count 10000 --secret S
 *
 * With `--database-url` and `--schema` it seeds PostgreSQL instead (`--store postgres` of the
 * benchmark): the first `templateCount` conversations as above, through the store API; the rest
 * in one statement (generate_series) as byte copies of those under new random ids, with copies
 * of their data keys. So the tables and their indexes have the size and shape of that many real
 * conversations, but a copy does not open (its state is sealed for another id) — nothing in the
 * benchmark opens a seeded conversation. A schema seeded before with the same count (give or
 * take the conversations a benchmark run added) is kept: seeding a million takes minutes.
 *
 *   node --import tsx runtime/server/bench/seed-conversations.ts --database-url URL --schema S --flow-file F --count 1000000 --secret S
 *
 * Runs in its own process, so the benchmark's load generator does not carry the seeded heap.
 * Prints one JSON line: `{ count, seconds, dataBytes }`.
 */
import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import {
  type ConversationState,
  deleteAfter,
  type EngineContext,
  type EngineEvent,
  flowIdFromFileName,
  type RunnableFlow,
  startConversation,
  step,
  type StepResult,
} from "../../core/index.ts";
import type { NewConversationRecord } from "../../stores/ports/store.ts";
import type { Store } from "../../stores/ports/store.ts";
import { LowdbStore } from "../../stores/embedded/lowdb-store.ts";
import { PostgresStore } from "../../stores/postgres/postgres-store.ts";
import pg from "pg";
import { generateBearerToken, hashBearerToken } from "../../app/crypto/bearer-token.ts";
import { DataKeys } from "../../app/crypto/data-keys.ts";
import { deriveRuntimeKeys, type RuntimeKeys } from "../../app/crypto/keys.ts";
import { FlowCatalog } from "../../app/flows/flow-catalog.ts";

const firstNames = ["Erika", "Max", "Aylin", "Jonas", "Mehmet", "Sophie", "Lukas", "Marie", "Noah", "Leonie"];
const lastNames = ["Mustermann", "Schmidt", "Yılmaz", "Müller", "Weber", "Schneider", "Fischer", "Becker", "Hoffmann", "Wagner"];

/** The user's answers along the reference flow, different for every conversation. */
function answers(index: number): EngineEvent[] {
  const name = `${firstNames[index % firstNames.length]} ${lastNames[Math.floor(index / firstNames.length) % lastNames.length]}`;
  const phone = `+49 151 ${String(10_000_000 + ((index * 7919) % 90_000_000)).padStart(8, "0")}`;
  // Every third user declines once before accepting, so a third of the consent logs hold two decisions.
  const declinedFirst: EngineEvent[] =
    index % 3 === 0
      ? [
          { type: "choice", value: "decline" },
          { type: "choice", value: "Rückruf anfordern" },
        ]
      : [];
  return [
    { type: "choice", value: "Rückruf anfordern" },
    ...declinedFirst,
    { type: "choice", value: "accept" },
    { type: "text", text: name },
    { type: "text", text: phone },
  ];
}

/** How far conversation `index` got: 0 (just started) to every answer given (finished). */
function depth(index: number, answerCount: number): number {
  return index % (answerCount + 1);
}

const dayMs = 24 * 60 * 60 * 1000;

/** Walks the engine through the first answers, answering a webhook call as the CRM would (success). */
function walk(runnable: RunnableFlow, index: number, startedAt: number): ConversationState {
  const hashText = (text: string) => createHash("sha256").update(text).digest("hex");
  let turn = 0;
  const context = (): EngineContext => ({ now: new Date(startedAt + turn++ * 20_000).toISOString(), hashText });
  let result: StepResult = startConversation(runnable, { channel: "web" }, context());
  const events = answers(index);
  for (const event of events.slice(0, depth(index, events.length))) {
    result = step(runnable, result.state, event, context());
    const call = result.effects.find((effect) => effect.type === "call-webhook");
    if (call) result = step(runnable, result.state, { type: "webhook-result", node: call.node, result: { ok: true, json: {} } }, context());
  }
  return result.state;
}

/** A conversation's record, sealed under the key `create` makes for it; `stored` resolves once the key is. */
function conversationRecord(runnable: RunnableFlow, keys: RuntimeKeys, dataKeys: DataKeys, index: number, now: number): { record: NewConversationRecord; stored: Promise<boolean> } {
  const id = createHash("sha256").update(`seeded-${index}`).digest("base64url").slice(0, 22);
  // Last activity spread over the past 60 days: inside the flow's 90-day retention, so the
  // server's sweeper keeps them all.
  const state = walk(runnable, index, now - ((index * 7_919) % (60 * dayMs)));
  const { key, stored } = dataKeys.create(id, "conversation");
  const record: NewConversationRecord = {
    id,
    tokenHash: hashBearerToken(keys.token.current.key, generateBearerToken()),
    flow: state.flow,
    version: state.version,
    sealedState: dataKeys.seal(state, key, id),
    channel: state.channel,
    lastActivityAt: state.lastActivityAt,
    expiresAt: deleteAfter(runnable.flow.privacy.retention, state.lastActivityAt),
  };
  return { record, stored };
}

/** Bytes of the files under `directory`, the data keys' included. */
async function directoryBytes(directory: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(directory, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}

interface SeedOptions {
  /** The embedded store's data directory, or… */
  dataDir?: string;
  /** …PostgreSQL and the schema to seed. */
  database?: { url: string; schema: string };
  flowFile: string;
  count: number;
  /** The server's `BOTSCHAFT_SECRET`: the seeded states must open under its keys. */
  secret: string;
}

/** PostgreSQL: conversations sealed one by one; the rest are copies of these. */
const templateCount = 10_000;

/** Creates conversations `first`…`last - 1` through the store API, in batches that share commits. */
async function createConversations(store: Store, flowFile: string, secret: string, first: number, last: number): Promise<void> {
  const catalog = new FlowCatalog(store.flowVersions, () => new Date());
  // The same content the server publishes from its flows directory, so the same version.
  const published = await catalog.publish(flowIdFromFileName(basename(flowFile)), await readFile(flowFile, "utf8"));
  const runnable = await catalog.latest(published.flow);
  const keys = deriveRuntimeKeys(secret);
  // A small cache: the seeder never reads a key back.
  const dataKeys = new DataKeys(store.dataKeys, keys.dataKeyWrapping, () => new Date(), { cacheSize: 1 });
  const now = Date.now();
  // Batches of concurrent creates share journal rounds (group commit) without holding all records at once.
  const batchSize = 2000;
  for (let start = first; start < last; start += batchSize) {
    const end = Math.min(start + batchSize, last);
    const batch: Promise<unknown>[] = [];
    for (let index = start; index < end; index++) {
      const { record, stored } = conversationRecord(runnable, keys, dataKeys, index, now);
      batch.push(stored, store.conversations.create(record));
    }
    await Promise.all(batch);
  }
}

async function seedEmbedded(dataDir: string, options: SeedOptions): Promise<number> {
  const store = await LowdbStore.open({ dataDir });
  try {
    await createConversations(store, options.flowFile, options.secret, 0, options.count);
  } finally {
    // Folds the journal into the shard files, so the server starts as it would after a clean stop.
    await store.close();
  }
  return directoryBytes(join(dataDir, "lowdb"));
}

/** A random-looking 22-character base64url id for copy `g`, like the real ones (so the index is shaped alike). */
const copyId = (g: string) => `substr(translate(encode(sha256(convert_to('seeded-copy-' || ${g}, 'UTF8')), 'base64'), '+/', '-_'), 1, 22)`;

async function seedPostgres(url: string, schema: string, options: SeedOptions): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const conversations = async () => {
      const exists = await client.query<{ present: boolean }>("SELECT to_regclass($1) IS NOT NULL AS present", [`${schema}.conversations`]);
      if (!exists.rows[0]?.present) return 0;
      return Number((await client.query<{ count: string }>(`SELECT count(*) FROM ${schema}.conversations`)).rows[0]?.count ?? 0);
    };
    const found = await conversations();
    // A benchmark run adds a few thousand conversations: a store within 5% of the count is reused.
    const reusable = options.count > templateCount && found >= options.count && found <= options.count * 1.05;
    if (!reusable) {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      const store = await PostgresStore.open({ connectionString: url, schema, poolSize: 8 });
      try {
        await createConversations(store, options.flowFile, options.secret, 0, Math.min(options.count, templateCount));
      } finally {
        await store.close();
      }
      if (options.count > templateCount) {
        // Copies of the templates, template `g % templateCount` for copy `g`, keys beside them.
        await client.query(`CREATE TEMPORARY TABLE templates AS
          SELECT row_number() OVER (ORDER BY c.id) - 1 AS n, c.*, k.kind, k.wrapped, k.created_at, k.created_time
          FROM ${schema}.conversations c JOIN ${schema}.data_keys k ON k.id = c.id`);
        const copies = `FROM generate_series(${templateCount}, ${options.count - 1}) AS g JOIN templates t ON t.n = g % ${templateCount}`;
        await client.query(`INSERT INTO ${schema}.data_keys (id, kind, wrapped, created_at, created_time)
          SELECT ${copyId("g")}, t.kind, t.wrapped, t.created_at, t.created_time ${copies}`);
        await client.query(`INSERT INTO ${schema}.conversations (id, token_hash, flow, version, sealed_state, channel, channel_user, revision, last_activity_at, last_activity_time, expires_at, expires_time)
          SELECT ${copyId("g")}, t.token_hash, t.flow, t.version, t.sealed_state, t.channel, t.channel_user, t.revision, t.last_activity_at, t.last_activity_time, t.expires_at, t.expires_time ${copies}`);
      }
      await client.query(`VACUUM ANALYZE ${schema}.conversations`);
      await client.query(`VACUUM ANALYZE ${schema}.data_keys`);
    }
    const size = await client.query<{ bytes: string }>(
      `SELECT (pg_total_relation_size('${schema}.conversations') + coalesce((SELECT sum(pg_total_relation_size(inhrelid)) FROM pg_inherits WHERE inhparent = '${schema}.data_keys'::regclass), 0))::bigint AS bytes`,
    );
    return Number(size.rows[0]?.bytes ?? 0);
  } finally {
    await client.end();
  }
}

async function seedConversations(options: SeedOptions): Promise<{ count: number; seconds: number; dataBytes: number }> {
  const started = performance.now();
  const dataBytes = options.database ? await seedPostgres(options.database.url, options.database.schema, options) : await seedEmbedded(options.dataDir ?? "data", options);
  return { count: options.count, seconds: (performance.now() - started) / 1000, dataBytes };
}

const { values } = parseArgs({
  options: {
    "data-dir": { type: "string" },
    "database-url": { type: "string" },
    schema: { type: "string" },
    "flow-file": { type: "string" },
    count: { type: "string" },
    secret: { type: "string" },
  },
});
const count = Number(values.count);
const database = values["database-url"] && values.schema ? { url: values["database-url"], schema: values.schema } : undefined;
if ((!values["data-dir"] && !database) || !values["flow-file"] || !values.secret || !Number.isInteger(count) || count < 0) {
  process.stderr.write("usage: seed-conversations.ts (--data-dir DIR | --database-url URL --schema NAME) --flow-file FILE --count N --secret SECRET\n");
  process.exit(2);
}
const summary = await seedConversations({ ...(values["data-dir"] ? { dataDir: values["data-dir"] } : {}), ...(database ? { database } : {}), flowFile: values["flow-file"], count, secret: values.secret });
process.stdout.write(`${JSON.stringify(summary)}\n`);
