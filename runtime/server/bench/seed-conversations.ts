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
import { LowdbStore } from "../../stores/embedded/lowdb-store.ts";
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
  dataDir: string;
  flowFile: string;
  count: number;
  /** The server's `BOTSCHAFT_SECRET`: the seeded states must open under its keys. */
  secret: string;
}

async function seedConversations(options: SeedOptions): Promise<{ count: number; seconds: number; dataBytes: number }> {
  const started = performance.now();
  const store = await LowdbStore.open({ dataDir: options.dataDir });
  try {
    const catalog = new FlowCatalog(store.flowVersions, () => new Date());
    // The same content the server publishes from its flows directory, so the same version.
    const published = await catalog.publish(flowIdFromFileName(basename(options.flowFile)), await readFile(options.flowFile, "utf8"));
    const runnable = await catalog.latest(published.flow);
    const keys = deriveRuntimeKeys(options.secret);
    // A small cache: the seeder never reads a key back.
    const dataKeys = new DataKeys(store.dataKeys, keys.dataKeyWrapping, () => new Date(), { cacheSize: 1 });
    const now = Date.now();
    // Batches of concurrent creates share journal rounds (group commit) without holding all records at once.
    const batchSize = 2000;
    for (let first = 0; first < options.count; first += batchSize) {
      const last = Math.min(first + batchSize, options.count);
      const batch: Promise<unknown>[] = [];
      for (let index = first; index < last; index++) {
        const { record, stored } = conversationRecord(runnable, keys, dataKeys, index, now);
        batch.push(stored, store.conversations.create(record));
      }
      await Promise.all(batch);
    }
  } finally {
    // Folds the journal into the shard files, so the server starts as it would after a clean stop.
    await store.close();
  }
  return {
    count: options.count,
    seconds: (performance.now() - started) / 1000,
    dataBytes: await directoryBytes(join(options.dataDir, "lowdb")),
  };
}

const { values } = parseArgs({
  options: {
    "data-dir": { type: "string" },
    "flow-file": { type: "string" },
    count: { type: "string" },
    secret: { type: "string" },
  },
});
const count = Number(values.count);
if (!values["data-dir"] || !values["flow-file"] || !values.secret || !Number.isInteger(count) || count < 0) {
  process.stderr.write("usage: seed-conversations.ts --data-dir DIR --flow-file FILE --count N --secret SECRET\n");
  process.exit(2);
}
const summary = await seedConversations({ dataDir: values["data-dir"], flowFile: values["flow-file"], count, secret: values.secret });
process.stdout.write(`${JSON.stringify(summary)}\n`);
