/**
 * Privacy desk benchmark (docs/privacy.md#proof-ledger, #requests-desk):
 *
 * - `ledger verify` of N entries (default 1,000,000) on the chosen store: the entries are chained
 *   with the real keyed hash and appended in batches, then `ProofLedger.verify` reads and checks
 *   them page by page;
 * - a blind-index lookup of one e-mail among N indexed conversations on PostgreSQL (the rows
 *   are generated in the database, then the real `find` is timed).
 *
 * - what ledger appends cost the turns: the callback flow (menu choice, consent given, name,
 *   phone) walked by 40 concurrent visitors through the conversation service on the embedded
 *   store, with the proof ledger recording the consents and without, in interleaved slices
 *   (medians). Target: appends cost ≤ 5 % of the turns/s.
 *
 *   npx tsx runtime/server/bench/privacy-bench.ts [--entries 1000000] [--conversations 1000000] [--store memory|lowdb|postgres]
 *     [--only appends|verify|lookup] [--slice 3] [--rounds 5]
 */
import { createHmac } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { ProofLedger } from "../../app/privacy/proof-ledger.ts";
import { chainEntries, type LedgerDraft } from "../../core/privacy/ledger-chain.ts";
import { openTestStore, testDatabaseUrl } from "../../testing/open-test-store.ts";
import { createTestRuntime, referenceFlow, testKeys } from "../../testing/create-test-runtime.ts";
import { interleavedSlices, load, median } from "./callback-slices.ts";

const { values } = parseArgs({
  options: {
    entries: { type: "string", default: "1000000" },
    conversations: { type: "string", default: "1000000" },
    store: { type: "string", default: "memory" },
    only: { type: "string" },
    slice: { type: "string", default: "3" },
    rounds: { type: "string", default: "5" },
  },
});
const entries = Number(values.entries);
const conversations = Number(values.conversations);
const kind = values.store === "postgres" ? "postgres" : values.store === "lowdb" ? "lowdb" : "memory";






async function appendsOnOff(): Promise<void> {
  const directory = await mkdtemp(join(tmpdir(), "botschaft-ledger-bench-"));
  const runtimeFor = async (on: boolean) =>
    createTestRuntime({ store: await openTestStore("lowdb", { dataDir: join(directory, on ? "on" : "off") }), flows: [{ id: "callback-request", yaml: referenceFlow }], logLevel: "silent", recordLedger: on });
  const off = await runtimeFor(false);
  const on = await runtimeFor(true);
  const seconds = Number(values.slice);
  const { rates, cpu, foreign } = await interleavedSlices(off, on, seconds, Number(values.rounds));
  await on.ledger.settled();
  const recorded = (await on.ledger.status()).head?.seq ?? 0;
  const verified = await on.ledger.verify();
  const [offRate, onRate] = [median(rates.off), median(rates.on)];
  const cost = 1 - onRate / offRate;
  console.log(`ledger appends on vs off (lowdb, 40 visitors, ${rates.off.length} interleaved slices of ${seconds} s; other processes took ${(foreign * 100).toFixed(0)} % of the machine, load ${load()})`);
  console.log(`turns/s off: median ${offRate.toFixed(0)} (${rates.off.map((rate) => rate.toFixed(0)).join(", ")})`);
  console.log(`turns/s on:  median ${onRate.toFixed(0)} (${rates.on.map((rate) => rate.toFixed(0)).join(", ")}); ledger entries recorded: ${recorded}, verify ${verified.ok ? "ok" : "BROKEN"}`);
  console.log(`appends cost ${(cost * 100).toFixed(1)} % of the turns/s (target ≤ 5 %) ${cost <= 0.05 ? "MET" : "MISSED"}`);
  const [cpuOff, cpuOn] = [median(cpu.off), median(cpu.on)];
  console.log(`CPU ms per turn (this process, medians): off ${cpuOff.toFixed(3)}, on ${cpuOn.toFixed(3)}: appends cost ${((1 - cpuOff / cpuOn) * 100).toFixed(1)} % of the CPU time`);
  await off.close();
  await on.close();
  await rm(directory, { recursive: true, force: true });
}

async function ledgerVerify(): Promise<void> {
  const schema = `botschaft_bench_ledger_${Date.now().toString(36)}`;
  const store = await openTestStore(kind, { schema });
  const mac = (text: string) => createHmac("sha256", testKeys.ledgerChain.current.key).update(text).digest("hex");
  const batch = 10_000;
  let head: { seq: number; hash: string } | undefined;
  const started = performance.now();
  for (let done = 0; done < entries; done += batch) {
    const drafts: LedgerDraft[] = Array.from({ length: Math.min(batch, entries - done) }, (_, index) => ({
      time: new Date(Date.UTC(2026, 0, 1) + (done + index) * 1000).toISOString(),
      type: "consent",
      decision: "given",
      purpose: "Rückruf zu Ihrem Anliegen",
      flow: "callback-request",
      flowVersion: "sha256:0123456789abcdef",
      channel: "web",
      person: `person-${done + index}`,
      textHash: "a".repeat(64),
    }));
    const chained = chainEntries(drafts, head, mac);
    if (!(await store.proofLedger.append(chained, head))) throw new Error("append lost");
    const last = chained.at(-1);
    head = last && { seq: last.seq, hash: last.hash };
  }
  const filled = performance.now();
  const ledger = new ProofLedger({ store: store.proofLedger, chainKey: testKeys.ledgerChain.current.key, personKey: testKeys.ledgerPerson.current.key, clock: () => new Date() });
  const cpuBefore = process.cpuUsage();
  const result = await ledger.verify();
  const verified = performance.now();
  const cpu = process.cpuUsage(cpuBefore);
  console.log(
    `ledger on ${kind}: ${entries} entries chained and appended in ${((filled - started) / 1000).toFixed(1)} s; verify ${result.ok ? "ok" : "BROKEN"} over ${result.entries} entries in ${((verified - filled) / 1000).toFixed(2)} s ` +
      `(this process's CPU time ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s; target ≤ 10 s; load ${load()})`,
  );
  await store.close();
  if (kind === "postgres") {
    const admin = new pg.Client({ connectionString: testDatabaseUrl });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
}

async function blindIndexLookup(): Promise<void> {
  const schema = `botschaft_bench_${Date.now().toString(36)}`;
  const store = await openTestStore("postgres", { schema });
  const admin = new pg.Client({ connectionString: testDatabaseUrl });
  await admin.connect();
  try {
    const started = performance.now();
    // Two tokens per conversation (an e-mail and a phone), as base64url HMACs look.
    await admin.query(
      `INSERT INTO ${schema}.blind_index (token, conversation)
       SELECT encode(sha256(('email:' || i)::bytea), 'base64'), 'c' || i FROM generate_series(1, $1) AS i
       UNION ALL SELECT encode(sha256(('phone:' || i)::bytea), 'base64'), 'c' || i FROM generate_series(1, $1) AS i`,
      [conversations],
    );
    await admin.query(`ANALYZE ${schema}.blind_index`);
    const filled = performance.now();
    const wanted = (await admin.query<{ token: string }>(`SELECT encode(sha256(('email:' || $1::text)::bytea), 'base64') AS token`, [String(Math.floor(conversations / 2))])).rows[0]?.token ?? "";
    const times: number[] = [];
    for (let run = 0; run < 50; run++) {
      const before = performance.now();
      const found = await store.privacyDesk.find(run % 2 === 0 ? wanted : `missing-${run}`);
      times.push(performance.now() - before);
      if (run % 2 === 0 && found.length !== 1) throw new Error(`found ${found.length}`);
    }
    times.sort((a, b) => a - b);
    console.log(
      `blind index on PostgreSQL: ${conversations} conversations (${2 * conversations} rows) filled in ${((filled - started) / 1000).toFixed(1)} s; lookup p50 ${times[25]?.toFixed(2)} ms, p99 ${times[49]?.toFixed(2)} ms, max ${times.at(-1)?.toFixed(2)} ms`,
    );
  } finally {
    await store.close();
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  }
}

if (!values.only || values.only === "appends") await appendsOnOff();
if (!values.only || values.only === "verify") await ledgerVerify();
if ((!values.only || values.only === "lookup") && conversations > 0) await blindIndexLookup();
process.exit(0);
