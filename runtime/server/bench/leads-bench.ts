/**
 * The leads benchmark (`npm run bench:leads`, docs/benchmarks.md#leads):
 *
 * 1. **Turns with deliveries and counters on vs off**: the reference flow walked by 40
 *    concurrent visitors through the conversation service on the embedded store (fsync per round
 *    of turns, real crypto) — "off": a synchronous webhook answered at once and no analytics;
 *    "on": the CRM step delivered durably (the worker running, sending to a receiver that takes
 *    everything at once) and the analytics counting. Interleaved slices, so the drift of a shared
 *    machine spreads over both. Target: on ≥ 90 % of off.
 * 2. **Draining a backlog**: 100,000 deliveries stored (`--store lowdb|postgres|both`), then
 *    sent by one worker (64 in flight) over HTTPS (SSRF-checked, the receiver allow-listed) to a
 *    receiver on this machine, in its own process, which counts what arrives: a delivery sent
 *    twice shows. Target: ≥ 500 deliveries/s.
 * 3. **Analytics of 1,000,000 turns**: the counts of a million turns over 30 days and 3 versions,
 *    then the report of that flow. Target: ≤ 200 ms.
 *
 * Each part prints the load average and the share of the machine other processes took while it ran.
 *
 * Options: --slice 3 (seconds per slice) --rounds 5 --backlog 100000 --store both --turns 1000000 --only turns|drain|analytics
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { pino } from "pino";
import { Analytics } from "../../app/analytics/analytics.ts";
import { openSealedJson, sealJson } from "../../app/crypto/sealing.ts";
import { type DeliveryRequest, deliveryContext } from "../../app/deliveries/deliveries.ts";
import { DeliveryWorker } from "../../app/deliveries/delivery-worker.ts";
import { deliverOverHttps } from "../../integrations/webhook/deliver-webhook.ts";
import { MemoryStore } from "../../stores/embedded/memory-store.ts";
import { LowdbStore } from "../../stores/embedded/lowdb-store.ts";
import type { Store } from "../../stores/ports/store.ts";
import { createTestRuntime, durableCallbackFlow, referenceFlow, testKeys, type TestRuntime } from "../../testing/create-test-runtime.ts";
import { openTestStore, testDatabaseUrl } from "../../testing/open-test-store.ts";
import { processCpuSeconds, startForeignCpuMeter } from "./foreign-cpu.ts";
import { interleavedSlices, load, median } from "./callback-slices.ts";
import { startLeadReceiver } from "./lead-receiver.ts";
import { postgresPidsFor } from "./postgres-backends.ts";

const { values } = parseArgs({
  options: {
    slice: { type: "string", default: "3" },
    rounds: { type: "string", default: "5" },
    backlog: { type: "string", default: "100000" },
    store: { type: "string", default: "both" },
    turns: { type: "string", default: "1000000" },
    only: { type: "string" },
  },
});


async function runtimeFor(on: boolean, dataDir: string): Promise<TestRuntime> {
  return createTestRuntime({
    store: await LowdbStore.open({ dataDir }),
    flows: [{ id: "callback-request", yaml: on ? durableCallbackFlow.replace("flow: callback-durable ", "flow: callback-request ") : referenceFlow }],
    logLevel: "silent",
    countAnalytics: on,
    deliveryOptions: { autoStart: on },
  });
}




async function turnsOnOff(): Promise<void> {
  const directory = await mkdtemp(join(tmpdir(), "botschaft-leads-bench-"));
  const off = await runtimeFor(false, join(directory, "off"));
  const on = await runtimeFor(true, join(directory, "on"));
  const seconds = Number(values.slice);
  const { rates, cpu, foreign } = await interleavedSlices(off, on, seconds, Number(values.rounds));
  const offRate = median(rates.off);
  const onRate = median(rates.on);
  await on.deliveryWorker.drain();
  const counts = await on.store.deliveries.counts();
  console.log(`turns with durable deliveries and counters on vs off, ${rates.off.length} interleaved slices of ${seconds} s each; other processes took ${(foreign * 100).toFixed(0)} % of the machine, load ${load()}`);
  console.log(`turns/s off: median ${offRate.toFixed(0)} (${rates.off.map((rate) => rate.toFixed(0)).join(", ")})`);
  console.log(`turns/s on:  median ${onRate.toFixed(0)} (${rates.on.map((rate) => rate.toFixed(0)).join(", ")}); deliveries sent: ${on.deliveryAttempts.length}, left: ${counts.pending}`);
  console.log(`on/off: ${((onRate / offRate) * 100).toFixed(1)} % (target ≥ 90 %) ${onRate / offRate >= 0.9 ? "MET" : "MISSED"}`);
  const [cpuOff, cpuOn] = [median(cpu.off), median(cpu.on)];
  console.log(`CPU ms per turn (this process, worker and counters included, medians): off ${cpuOff.toFixed(3)}, on ${cpuOn.toFixed(3)}: off/on ${((cpuOff / cpuOn) * 100).toFixed(1)} %`);
  await off.close();
  await on.close();
  await rm(directory, { recursive: true, force: true });
}

async function drainOn(kind: "lowdb" | "postgres"): Promise<void> {
  const directory = await mkdtemp(join(tmpdir(), "botschaft-drain-bench-"));
  const receiver = await startLeadReceiver(directory);
  const { port } = receiver;
  const schema = `botschaft_bench_drain_${Date.now().toString(36)}`;
  const store: Store = await openTestStore(kind, kind === "lowdb" ? { dataDir: join(directory, "data") } : { schema });
  const backlog = Number(values.backlog);
  const now = new Date().toISOString();
  const giveUpAt = new Date(Date.now() + 86_400_000).toISOString();
  const filling = performance.now();
  for (let start = 0; start < backlog; start += 1000) {
    await store.deliveries.add(
      Array.from({ length: Math.min(1000, backlog - start) }, (_, index) => {
        const id = `bench-${start + index}`;
        const sealedRequest = sealJson({ url: `https://127.0.0.1:${port}/leads`, body: { name: `Kundin ${start + index}`, phone: "030123456" }, timeoutMs: 10_000 }, testKeys.stateEncryption, deliveryContext(id));
        return { id, kind: "webhook", survivesErasure: true, host: `127.0.0.1:${port}`, sealedRequest, createdAt: now, nextAttemptAt: now, giveUpAt };
      }),
    );
  }
  const filled = (performance.now() - filling) / 1000;
  const worker = new DeliveryWorker({
    store: store.deliveries,
    sealer: { open: async (sealed, context) => openSealedJson(sealed, testKeys.stateEncryption, context) as DeliveryRequest | undefined },
    send: deliverOverHttps({ userAgent: "Botschaft-bench/1", allowHosts: [`127.0.0.1:${port}`], trustedCa: receiver.cert }),
    signingSecret: async () => "bench-secret",
    clock: () => new Date(),
    logger: pino({ level: "silent" }),
    concurrency: 64,
  });
  const receiverPid = receiver.pid;
  const databasePids = kind === "postgres" ? await postgresPidsFor(testDatabaseUrl, [process.pid]) : [];
  const meter = startForeignCpuMeter([receiverPid, ...databasePids]);
  const cpu = () => ({ own: processCpuSeconds(process.pid), receiver: processCpuSeconds(receiverPid), database: databasePids.reduce((sum, pid) => sum + cpuOr0(pid), 0) });
  const cpuBefore = cpu();
  const started = performance.now();
  worker.start();
  // Ask the receiver (cheap) until everything arrived, then the store until every finish is
  // stored: counting a large table five times a second would cost the store more than the drain.
  while ((await receiver.arrived()).distinct < backlog) await new Promise((resolve) => setTimeout(resolve, 200));
  while ((await store.deliveries.counts()).pending > 0) await new Promise((resolve) => setTimeout(resolve, 50));
  const seconds = (performance.now() - started) / 1000;
  const foreign = meter.share();
  const cpuAfter = cpu();
  const perDelivery = (key: "own" | "receiver" | "database") => (((cpuAfter[key] - cpuBefore[key]) * 1000) / backlog).toFixed(2);
  await worker.stop();
  const { failed } = await store.deliveries.counts();
  const arrived = await receiver.arrived();
  const rate = backlog / seconds;
  console.log(
    `drain on ${kind}: backlog of ${backlog} (stored in ${filled.toFixed(1)} s) drained in ${seconds.toFixed(1)} s = ${rate.toFixed(0)} deliveries/s (target ≥ 500/s) ${rate >= 500 ? "MET" : "MISSED"}; ` +
      `receiver got ${arrived.received} requests for ${arrived.distinct} keys, failed: ${failed}; CPU ms per delivery: worker ${perDelivery("own")}, receiver ${perDelivery("receiver")}` +
      `${kind === "postgres" ? `, PostgreSQL ${perDelivery("database")}` : ""}; other processes took ${(foreign * 100).toFixed(0)} % of the machine, load ${load()}`,
  );
  await store.close();
  receiver.stop();
  if (kind === "postgres") {
    const admin = new (await import("pg")).default.Client({ connectionString: testDatabaseUrl });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
  await rm(directory, { recursive: true, force: true });
}

function cpuOr0(pid: number): number {
  try {
    return processCpuSeconds(pid);
  } catch {
    return 0;
  }
}

async function drain(): Promise<void> {
  const kinds = values.store === "both" ? (["lowdb", "postgres"] as const) : values.store === "postgres" ? (["postgres"] as const) : (["lowdb"] as const);
  for (const kind of kinds) await drainOn(kind);
}

async function analyticsReport(): Promise<void> {
  const store = new MemoryStore();
  let day = Date.parse("2026-10-01T10:00:00Z");
  const analytics = new Analytics(store.analytics, () => new Date(day), { flushMs: 60_000 });
  const turns = Number(values.turns);
  const nodes = ["welcome", "main", "consent-callback", "ask-name", "ask-phone", "send-crm", "thanks", "done", "hours", "no-consent"];
  for (let turn = 0; turn < turns; turn++) {
    if (turn % Math.ceil(turns / 30) === 0) {
      await analytics.flush();
      day += 86_400_000;
    }
    const counter = analytics.turn("callback-request", `sha256:v${turn % 3}`);
    const node = nodes[turn % nodes.length] as string;
    counter.observe({ type: "enter", node, from: nodes[(turn + 1) % nodes.length] as string });
    if (turn % 7 === 0) counter.observe({ type: "consent", purpose: "Rückruf zu Ihrem Anliegen", decision: turn % 2 === 0 ? "accept" : "decline" });
    if (turn % 11 === 0) counter.observe({ type: "retry", node: "ask-phone" });
    if (turn % 5 === 0) counter.started();
    if (turn % 9 === 0) counter.observe({ type: "completed" });
    counter.commit();
  }
  await analytics.flush();
  const times: number[] = [];
  for (let run = 0; run < 5; run++) {
    const started = performance.now();
    await analytics.report("callback-request");
    times.push(performance.now() - started);
  }
  const best = Math.min(...times);
  const rows = (await store.analytics.counts("callback-request")).length;
  console.log(`analytics of ${turns} turns (${rows} counters): report in ${best.toFixed(1)} ms (median ${times.sort((a, b) => a - b)[2]?.toFixed(1)} ms; target ≤ 200 ms) ${best <= 200 ? "MET" : "MISSED"}`);
}

if (!values.only || values.only === "turns") await turnsOnOff();
if (!values.only || values.only === "drain") await drain();
if (!values.only || values.only === "analytics") await analyticsReport();
process.exit(0);
