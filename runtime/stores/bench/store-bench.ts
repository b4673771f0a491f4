/**
 * Store benchmark: throughput and latency of `updateConversation` with 50 concurrent writers
 * at 1k, 10k and 100k stored conversations, plus the process's RSS.
 *
 *   npx tsx runtime/stores/bench/store-bench.ts [--sizes 1000,10000,100000] [--variants journal,shards-64,single-file]
 *     [--writers 50] [--updates 80000] [--seconds 30]
 *
 * Variants: `journal` is `LowdbStore` as the runtime uses it (`journal-N`: with N shard files
 * instead of the default); `shards-N` and `single-file` are `ShardRewriteStore`, the
 * alternative it was chosen over. 80,000 updates write more journal than half of 100k
 * conversations' data, so every size pays for at least one checkpoint during the run.
 *
 * Each measurement runs in its own process. The journal store is filled by one process and
 * measured by the next, so the RSS shown is that of a runtime started on existing data; the
 * alternatives are built in the measuring process, so their RSS includes building them.
 */
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { ConversationRecord } from "../ports/store.ts";
import { LowdbStore } from "../embedded/lowdb-store.ts";
import { ShardRewriteStore, type UpdateTarget } from "./shard-rewrite-store.ts";

interface Measurement {
  variant: string;
  size: number;
  updates: number;
  conflicts: number;
  seconds: number;
  p50: number;
  p99: number;
  max: number;
  rssMiB: number;
  dataMiB: number;
  /** Null for the alternatives, which are built rather than opened (NaN does not survive JSON). */
  openSeconds: number | null;
  closeSeconds: number;
}

/** An engine state of typical size (~600 bytes of JSON, ~900 sealed), like a contact flow midway. */
function sealedState(_id: string, turn: number): string {
  const state = {
    node: `node-${turn % 12}`,
    turn,
    answers: { name: "Erika Mustermann", email: "erika@example.org", phone: "+49 170 1234567", topic: "x".repeat(120) },
    consents: [
      { purpose: "answer-request", decision: "accepted", at: "2026-03-01T10:00:00.000Z", textHash: "h".repeat(43) },
      { purpose: "newsletter", decision: "declined", at: "2026-03-01T10:01:00.000Z", textHash: "h".repeat(43) },
    ],
    retries: { "ask-email": 1 },
    history: ["welcome", "menu", "ask-name", "ask-email", "confirm"],
  };
  // The store never reads a sealed state, so opaque bytes of the sealed size stand in for it:
  // the JSON plus AES-GCM's 12-byte nonce and 16-byte tag, base64url with a key id in front.
  return `k1.${randomBytes(JSON.stringify(state).length + 28).toString("base64url")}`;
}

/** Random-looking but reproducible, so the measuring process finds what the filling process stored. */
function conversationId(index: number): string {
  return createHash("sha256").update(`bench-${index}`).digest("base64url").slice(0, 22);
}

function conversation(index: number): ConversationRecord {
  const id = conversationId(index);
  const telegram = index % 3 === 0;
  return {
    id,
    tokenHash: randomBytes(32).toString("base64url"),
    flow: "contact",
    version: "c".repeat(64),
    sealedState: sealedState(id, 0),
    channel: telegram ? "telegram" : "web",
    channelUser: telegram ? randomBytes(32).toString("base64url") : undefined,
    revision: 0,
    lastActivityAt: new Date().toISOString(),
    expiresAt: new Date(Date.now() + 90 * 86_400_000).toISOString(),
  };
}

async function directoryBytes(directory: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(directory, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? Number.NaN;
}

function journalShardCount(variant: string): number | undefined {
  return variant === "journal" ? undefined : Number(variant.replace("journal-", ""));
}

/** Stores `size` conversations in a `LowdbStore` under `directory` and closes it. */
async function fill(variant: string, size: number, directory: string): Promise<void> {
  const store = await LowdbStore.open({ dataDir: directory, shardCount: journalShardCount(variant) });
  for (let start = 0; start < size; start += 2000) {
    const batch = Array.from({ length: Math.min(2000, size - start) }, (_, offset) => conversation(start + offset));
    await Promise.all(batch.map(({ revision: _, ...record }) => store.conversations.create(record)));
  }
  await store.close();
}

async function openTarget(
  variant: string,
  size: number,
  directory: string,
): Promise<{ store: UpdateTarget; openSeconds: number | null }> {
  if (variant.startsWith("journal")) {
    const opening = performance.now();
    const store = await LowdbStore.open({ dataDir: directory });
    return { store, openSeconds: (performance.now() - opening) / 1000 };
  }
  const shardCount = variant === "single-file" ? 1 : Number(variant.replace("shards-", ""));
  const records = Array.from({ length: size }, (_, index) => conversation(index));
  return { store: await ShardRewriteStore.create(directory, shardCount, records), openSeconds: null };
}

async function measure(
  variant: string,
  size: number,
  directory: string,
  limits: { writers: number; updates: number; seconds: number },
): Promise<Measurement> {
  const { store, openSeconds } = await openTarget(variant, size, directory);
  const ids = Array.from({ length: size }, (_, index) => conversationId(index));
  const latencies: number[] = [];
  let conflicts = 0;
  let started = 0;
  const start = performance.now();
  const deadline = start + limits.seconds * 1000;
  const writer = async () => {
    while (started < limits.updates && performance.now() < deadline) {
      started += 1;
      const id = ids[Math.floor(Math.random() * ids.length)] ?? "";
      const current = await store.conversations.get(id);
      if (!current) throw new Error(`${id} is missing`);
      const next = {
        ...current,
        revision: current.revision + 1,
        sealedState: sealedState(id, current.revision + 1),
        lastActivityAt: new Date().toISOString(),
      };
      const before = performance.now();
      const stored = await store.conversations.update(next);
      latencies.push(performance.now() - before);
      // Two writers that drew the same conversation: the compare-and-set lets one through.
      if (!stored) conflicts += 1;
    }
  };
  await Promise.all(Array.from({ length: limits.writers }, writer));
  const seconds = (performance.now() - start) / 1000;
  const rssMiB = process.memoryUsage().rss / 2 ** 20;
  const closing = performance.now();
  await store.close();
  const closeSeconds = (performance.now() - closing) / 1000;
  // Measured after close: while the store runs, checkpoints create and rename files under it.
  const dataMiB = (await directoryBytes(directory)) / 2 ** 20;
  latencies.sort((a, b) => a - b);
  return {
    variant,
    size,
    updates: latencies.length - conflicts,
    conflicts,
    seconds,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    max: latencies.at(-1) ?? Number.NaN,
    rssMiB,
    dataMiB,
    openSeconds,
    closeSeconds,
  };
}

function runChild(args: readonly string[]): Promise<string> {
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`benchmark child ${args.join(" ")} exited with ${code}`));
    });
  });
}

function row(cells: readonly (string | number)[]): string {
  return cells.map((cell, index) => String(cell).padStart(index === 0 ? 12 : 10)).join(" ");
}

function fixed(value: number | null, digits = 1): string {
  return value === null || Number.isNaN(value) ? "-" : value.toFixed(digits);
}

const { values } = parseArgs({
  options: {
    fill: { type: "string" },
    measure: { type: "string" },
    sizes: { type: "string", default: "1000,10000,100000" },
    variants: { type: "string", default: "journal,shards-64,single-file" },
    writers: { type: "string", default: "50" },
    updates: { type: "string", default: "80000" },
    seconds: { type: "string", default: "30" },
  },
});
const limits = { writers: Number(values.writers), updates: Number(values.updates), seconds: Number(values.seconds) };
const [firstVariant = "journal"] = values.variants.split(",");
const firstSize = Number(values.sizes.split(",")[0]);

if (values.fill !== undefined) {
  await fill(firstVariant, firstSize, values.fill);
} else if (values.measure !== undefined) {
  process.stdout.write(JSON.stringify(await measure(firstVariant, firstSize, values.measure, limits)));
} else {
  console.log(
    `updateConversation, ${limits.writers} concurrent writers, up to ${limits.updates} updates or ${limits.seconds} s per run`,
  );
  console.log(
    row([
      "variant",
      "stored",
      "updates/s",
      "p50 ms",
      "p99 ms",
      "max ms",
      "conflicts",
      "RSS MiB",
      "data MiB",
      "open s",
      "close s",
    ]),
  );
  for (const size of values.sizes.split(",")) {
    for (const variant of values.variants.split(",")) {
      const directory = await mkdtemp(join(tmpdir(), "botschaft-store-bench-"));
      try {
        const run = ["--variants", variant, "--sizes", size, "--writers", values.writers];
        if (variant.startsWith("journal")) await runChild(["--fill", directory, ...run]);
        const output = await runChild([
          "--measure",
          directory,
          ...run,
          "--updates",
          values.updates,
          "--seconds",
          values.seconds,
        ]);
        const result: Measurement = JSON.parse(output);
        console.log(
          row([
            result.variant,
            result.size,
            fixed(result.updates / result.seconds, 0),
            fixed(result.p50),
            fixed(result.p99),
            fixed(result.max),
            result.conflicts,
            fixed(result.rssMiB, 0),
            fixed(result.dataMiB),
            fixed(result.openSeconds, 2),
            fixed(result.closeSeconds, 2),
          ]),
        );
      } finally {
        await rm(directory, { recursive: true, force: true });
      }
    }
  }
}
