/**
 * The runtime benchmark (`npm run bench:runtime`): drives Botschaft's web chat API over HTTP
 * with autocannon — 50 connections, each a user walking the reference flow
 * (`examples/callback-request.yaml`, see `walks.ts`) — against 1k, 10k and 100k conversations
 * stored beforehand (`seed-conversations.ts`), and in the same run, with the same autocannon
 * settings, (a) a bare Express 5 JSON echo (`echo-server.ts`) and (b) the same flow on
 * Microsoft's Bot Framework SDK (`botbuilder-peer-server.ts`). Prints turns/s, p50/p99
 * latency and each server's RSS, then a verdict per target. Beside the figures: how much of the
 * machine other processes used, and how long the disk took to sync (`disk-probe.ts`), because
 * Botschaft's latency includes one journal sync per round of turns.
 *
 * Every server runs in its own process (`server-process.ts`), so its RSS is its own. All of
 * them are started up front and measured in interleaved slices (round 1: echo, peer, 1k, 10k,
 * 100k; round 2 in rotated order; …): the speed of a shared two-core machine drifts by 10% and
 * more within a minute, and interleaving spreads that drift over all targets instead of
 * letting it decide a ratio. Only one server is under load at a time; the others sit idle, so
 * each slice is one continuous load of an unmeasured run-in and the measured window.
 * Botschaft runs as `npm start` does (`botschaft serve`, request log at LOG_LEVEL, fsync per
 * turn), with the rate limits raised so that they do not cap the load.
 *
 * A benchmark, not a test: it exits 0 when a target is missed, and 1 only when a measurement
 * failed (a server did not start, or replies were wrong).
 *
 * Options: --sizes 1000,10000,100000  --rounds 5  --slice 2 (measured seconds per target and round)
 *          --run-in 1 (unmeasured seconds before each slice)  --warmup 3  --connections 50  --log-level info
 *          --profile 10000 (afterwards, profile Botschaft at that size with --cpu-prof)
 *          --baseline <checkout> (also measure the Botschaft of another checkout, e.g. a worktree of
 *          main with its dependencies installed, seeded by its own seeder, in the same interleaved
 *          slices, and print this one against it)
 */
import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join, resolve as resolvePath } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs, promisify } from "node:util";
import autocannon from "autocannon";
import { summariseCpuProfile } from "./cpu-profile-summary.ts";
import { type DiskProbe, startDiskProbe } from "./disk-probe.ts";
import { type ForeignCpuMeter, processCpuSeconds, startForeignCpuMeter } from "./foreign-cpu.ts";
import { botschaftBin, type ProcessMemory, type ServerProcess, startServerProcess, typeScriptEntry } from "../../testing/server-process.ts";
import { botFrameworkWalk, echoWalk, type Walk, webChatWalk } from "./walks.ts";

/** The targets of issue 3, "Durability and speed". */
const targets = {
  shareOfExpressAt10k: 0.4,
  timesPeerAt10k: 1.3,
  p99MsAt10k: 50,
  shareOfExpressAt100k: 0.35,
};

const flowFile = fileURLToPath(new URL("../../../examples/callback-request.yaml", import.meta.url));
const flowId = "callback-request";
const secret = "bench-secret-bench-secret-bench-secret-0123";
const adminToken = "bench-admin-token-0123456789";
/** The highest values the configuration accepts: the bench measures the runtime, not its limiter. */
const unlimited = "100000";
/** "Other CPU" above this share of the machine makes a figure unreliable. */
const disturbanceThreshold = 0.05;
/** A local disk syncs 4 KiB in about a millisecond; a p99 above this means the disk was busy with others' I/O. */
const slowSyncMs = 10;

interface BenchOptions {
  sizes: number[];
  rounds: number;
  sliceSeconds: number;
  runInSeconds: number;
  warmupSeconds: number;
  connections: number;
  logLevel: string;
  profileSize: number | undefined;
  /** Root of another checkout whose Botschaft is measured beside this one. */
  baseline: string | undefined;
}

function wholeNumber(text: string, option: string, minimum: number): number {
  const value = Number(text.replaceAll("_", ""));
  if (!Number.isInteger(value) || value < minimum) throw new Error(`--${option} expects a whole number ≥ ${minimum}, got "${text}".`);
  return value;
}

function readOptions(): BenchOptions {
  const { values } = parseArgs({
    options: {
      sizes: { type: "string", default: "1000,10000,100000" },
      rounds: { type: "string", default: "5" },
      slice: { type: "string", default: "2" },
      "run-in": { type: "string", default: "1" },
      warmup: { type: "string", default: "3" },
      connections: { type: "string", default: "50" },
      "log-level": { type: "string", default: "info" },
      profile: { type: "string" },
      baseline: { type: "string" },
    },
  });
  return {
    sizes: values.sizes.split(",").map((size) => wholeNumber(size.trim(), "sizes", 0)),
    rounds: wholeNumber(values.rounds, "rounds", 1),
    sliceSeconds: wholeNumber(values.slice, "slice", 1),
    runInSeconds: wholeNumber(values["run-in"], "run-in", 1),
    warmupSeconds: wholeNumber(values.warmup, "warmup", 0),
    connections: wholeNumber(values.connections, "connections", 1),
    logLevel: values["log-level"],
    profileSize: values.profile === undefined ? undefined : wholeNumber(values.profile, "profile", 0),
    baseline: values.baseline === undefined ? undefined : resolvePath(values.baseline),
  };
}

// Servers ---------------------------------------------------------------------------------------

interface Target {
  name: string;
  /** Conversations stored before the run (Botschaft only). */
  stored: number | undefined;
  server: ServerProcess;
  /** From spawning the server to its first answer: loading the store, for Botschaft. */
  startSeconds: number;
  walk: () => Walk;
}

async function startTarget(name: string, stored: number | undefined, start: () => Promise<ServerProcess>, walk: () => Walk): Promise<Target> {
  process.stdout.write(`  starting ${describeTarget({ name, stored })}… `);
  const startedAt = performance.now();
  const server = await start();
  const startSeconds = (performance.now() - startedAt) / 1000;
  process.stdout.write(`ready after ${oneDecimal.format(startSeconds)} s\n`);
  return { name, stored, server, startSeconds, walk };
}

function startBotschaft(dataDir: string, flowsDir: string, logLevel: string, nodeOptions: string[] = [], bin = botschaftBin) {
  return () =>
    startServerProcess({
      args: [...nodeOptions, bin, "serve"],
      env: {
        BOTSCHAFT_DATA_DIR: dataDir,
        BOTSCHAFT_FLOWS_DIR: flowsDir,
        BOTSCHAFT_SECRET: secret,
        BOTSCHAFT_ADMIN_TOKEN: adminToken,
        BOTSCHAFT_RATE_MESSAGES: unlimited,
        BOTSCHAFT_RATE_CONVERSATIONS: unlimited,
        LOG_LEVEL: logLevel,
      },
      readyPath: "/healthz",
    });
}

function startBenchServer(file: string) {
  return () => startServerProcess({ args: typeScriptEntry(fileURLToPath(new URL(file, import.meta.url))), readyPath: "/healthz" });
}

const run = promisify(execFile);
const seederPath = fileURLToPath(new URL("./seed-conversations.ts", import.meta.url));

/** The seeder of another checkout, which seeds the way that checkout stores conversations. */
function baselineSeeder(checkout: string): string {
  return join(checkout, "runtime", "server", "bench", "seed-conversations.ts");
}

async function seed(dataDir: string, count: number, seeder = seederPath): Promise<void> {
  process.stdout.write(`  seeding ${integer.format(count)} conversations${seeder === seederPath ? "" : " (baseline)"}… `);
  const { stdout } = await run(
    process.execPath,
    [...typeScriptEntry(seeder), "--data-dir", dataDir, "--flow-file", flowFile, "--count", String(count), "--secret", secret],
    { maxBuffer: 1024 * 1024 },
  );
  // The seeder is this benchmark's own code: its last line is its summary.
  const summary: { seconds: number; dataBytes: number } = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}");
  process.stdout.write(`${oneDecimal.format(summary.seconds)} s, ${mebibytes(summary.dataBytes)} MiB on disk\n`);
}

// Measuring -------------------------------------------------------------------------------------

/** What one target's measured windows add up to. */
class Tally {
  seconds = 0;
  readonly failures = { non2xx: 0, connectionErrors: 0, wrongReplies: 0 };
  /** Latency of every 2xx answer, in ms: merged over the windows, so the percentiles are exact. */
  readonly latencies: number[] = [];
  /** 2xx answers among `latencies` whose content was wrong: not turns. */
  wrongInLatencies = 0;
  foreignCpuSeconds = 0;
  /** CPU time the server under test used in the windows: unlike turns/s, hardly moved by other processes' load. */
  serverCpuSeconds = 0;
  /** Latency of the disk probe's syncs during the windows, in ms. */
  readonly syncLatencies: number[] = [];

  constructor(
    private readonly serverPids: readonly number[],
    private readonly probeDirectory: string,
    private readonly name: string,
    readonly serverPid: number,
  ) {}

  startMeter(): ForeignCpuMeter {
    return startForeignCpuMeter(this.serverPids);
  }

  startDiskProbe(): Promise<DiskProbe> {
    return startDiskProbe(this.probeDirectory, this.name);
  }

  get turns(): number {
    return this.latencies.length - this.wrongInLatencies;
  }

  get failed(): number {
    return this.failures.non2xx + this.failures.connectionErrors + this.failures.wrongReplies;
  }
}

interface LoadPlan {
  connections: number;
  /** Load before the measured window, for a server that sat idle: caches, heap and connections settle. */
  runInSeconds: number;
  measuredSeconds: number;
}

/**
 * Runs one walk against `url`: the run-in, then the measured window, as one continuous load —
 * a separate run-in would leave up to `connections` abandoned requests queued in the server,
 * and the first requests of the window would wait behind them. Adds the window to the tally;
 * without a tally the whole run is a warm-up.
 */
async function runLoad(url: string, walk: Walk, plan: LoadPlan, tally?: Tally): Promise<void> {
  const windowStart = performance.now() + plan.runInSeconds * 1000;
  let meter: ForeignCpuMeter | undefined;
  let probe: Promise<DiskProbe> | undefined;
  let wrongBefore = 0;
  let serverCpuBefore = 0;
  const windowTimer = setTimeout(() => {
    meter = tally?.startMeter();
    probe = tally?.startDiskProbe();
    wrongBefore = walk.wrongReplies();
    if (tally) serverCpuBefore = processCpuSeconds(tally.serverPid);
  }, plan.runInSeconds * 1000);
  await new Promise<void>((resolve, reject) => {
    const options = {
      url,
      connections: plan.connections,
      pipelining: 1,
      duration: plan.runInSeconds + plan.measuredSeconds,
      timeout: 10,
      requests: walk.requests,
    };
    const instance = autocannon(options, (error: unknown) => (error ? reject(error) : resolve()));
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      if (!tally || performance.now() < windowStart) return;
      if (statusCode >= 200 && statusCode < 300) tally.latencies.push(responseTime);
      else tally.failures.non2xx++;
    });
    instance.on("reqError", () => {
      if (tally && performance.now() >= windowStart) tally.failures.connectionErrors++;
    });
  });
  clearTimeout(windowTimer);
  if (!tally || !meter) return;
  const seconds = (performance.now() - windowStart) / 1000;
  if (probe) tally.syncLatencies.push(...(await (await probe).stop()));
  const wrong = walk.wrongReplies() - wrongBefore;
  tally.failures.wrongReplies += wrong;
  tally.wrongInLatencies += wrong;
  tally.seconds += seconds;
  tally.foreignCpuSeconds += meter.share() * seconds;
  tally.serverCpuSeconds += processCpuSeconds(tally.serverPid) - serverCpuBefore;
}

interface Measurement {
  name: string;
  stored: number | undefined;
  turnsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  failures: Tally["failures"];
  failed: number;
  memory: ProcessMemory;
  startSeconds: number;
  /** Share of the machine used by other processes while this target was measured. */
  foreignCpu: number;
  /** The server's own CPU time per turn, in ms. */
  cpuMsPerTurn: number;
  /** p99 of the disk probe's 4 KiB syncs while this target was measured, in ms. */
  syncP99Ms: number;
}

function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
}

/** Warms every target up, then measures them in `rounds` interleaved slices, rotating the order each round. */
async function measureInterleaved(all: readonly Target[], options: BenchOptions, probeDirectory: string): Promise<Measurement[]> {
  if (options.warmupSeconds > 0) {
    process.stdout.write("  warming up… ");
    const warmUp = { connections: options.connections, runInSeconds: options.warmupSeconds, measuredSeconds: 0 };
    for (const target of all) await runLoad(target.server.url, target.walk(), warmUp);
    process.stdout.write("done\n");
  }
  const pids = all.map((target) => target.server.pid);
  const measured = all.map((target) => ({ target, tally: new Tally(pids, probeDirectory, describeTarget(target), target.server.pid) }));
  const slice = { connections: options.connections, runInSeconds: options.runInSeconds, measuredSeconds: options.sliceSeconds };
  for (let round = 0; round < options.rounds; round++) {
    process.stdout.write(`  round ${round + 1} of ${options.rounds}… `);
    const order = [...measured.slice(round % measured.length), ...measured.slice(0, round % measured.length)];
    for (const { target, tally } of order) await runLoad(target.server.url, target.walk(), slice, tally);
    process.stdout.write("done\n");
  }
  return measured.map(({ target, tally }) => {
    const sorted = tally.latencies.sort((a, b) => a - b);
    return {
      name: target.name,
      stored: target.stored,
      turnsPerSecond: tally.turns / tally.seconds,
      p50Ms: percentile(sorted, 0.5),
      p99Ms: percentile(sorted, 0.99),
      maxMs: sorted.at(-1) ?? Number.NaN,
      failures: tally.failures,
      failed: tally.failed,
      memory: target.server.memory(),
      startSeconds: target.startSeconds,
      foreignCpu: tally.foreignCpuSeconds / tally.seconds,
      cpuMsPerTurn: (tally.serverCpuSeconds * 1000) / tally.turns,
      syncP99Ms: percentile(
        tally.syncLatencies.sort((a, b) => a - b),
        0.99,
      ),
    };
  });
}

// Reporting -------------------------------------------------------------------------------------

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const twoDecimals = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const percent = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 0 });
/** For shares that are held to a target: a rounded 40% could be a missed 39.6%. */
const precisePercent = new Intl.NumberFormat("en-US", { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 });

function mebibytes(bytes: number): string {
  return oneDecimal.format(bytes / 1024 / 1024);
}

function describeTarget(target: { name: string; stored: number | undefined }): string {
  return target.stored === undefined ? target.name : `${target.name} with ${integer.format(target.stored)} stored`;
}

function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join("  ");
  return [line(header), widths.map((width) => "─".repeat(width)).join("  "), ...rows.map(line)].map((text) => `  ${text}`).join("\n");
}

function printTable(measurements: readonly Measurement[]): void {
  console.log(
    formatTable(
      ["target", "stored", "turns/s", "CPU ms/turn", "p50 ms", "p99 ms", "max ms", "failed", "RSS MiB", "peak MiB", "start s", "other CPU", "sync p99 ms"],
      measurements.map((m) => [
        m.name,
        m.stored === undefined ? "–" : integer.format(m.stored),
        integer.format(m.turnsPerSecond),
        twoDecimals.format(m.cpuMsPerTurn),
        oneDecimal.format(m.p50Ms),
        oneDecimal.format(m.p99Ms),
        oneDecimal.format(m.maxMs),
        integer.format(m.failed),
        mebibytes(m.memory.rssBytes),
        mebibytes(m.memory.peakRssBytes),
        oneDecimal.format(m.startSeconds),
        percent.format(m.foreignCpu),
        oneDecimal.format(m.syncP99Ms),
      ]),
    ),
  );
  console.log("\n  stored: conversations in the store before the run; every user walk starts one more.");
  console.log("  CPU ms/turn: the server's own CPU time per turn; unlike turns/s, hardly moved by other processes' load.");
  console.log("  sync p99: a 4 KiB append + fdatasync every 100 ms beside the load; Botschaft replies to a turn only after its journal's sync.");
  const disturbed = measurements.filter((m) => m.foreignCpu > disturbanceThreshold);
  if (disturbed.length > 0) {
    console.log(
      `\n  Other processes used more than ${percent.format(disturbanceThreshold)} of the machine while ` +
        `${disturbed.map(describeTarget).join(", ")} ran: those figures are low by an unknown amount.`,
    );
  }
  const slowDisk = measurements.filter((m) => m.stored !== undefined && m.syncP99Ms > slowSyncMs);
  if (slowDisk.length > 0) {
    console.log(
      `\n  The disk took more than ${slowSyncMs} ms for 1% of syncs while ${slowDisk.map(describeTarget).join(", ")} ran: ` +
        "every turn waiting for such a sync is that much later, so those latency figures are high by up to that much.",
    );
  }
  for (const m of measurements.filter((m) => m.failed > 0)) {
    const { non2xx, connectionErrors, wrongReplies } = m.failures;
    console.log(
      `\n  ${describeTarget(m)}: ${non2xx} non-2xx, ${connectionErrors} connection errors, ${wrongReplies} wrong replies — its figures do not count.`,
    );
  }
}

function verdict(met: boolean | undefined): string {
  return met === undefined ? "NOT MEASURED" : met ? "met" : "MISSED";
}

function printVerdicts(measurements: readonly Measurement[], expressName: string, peerName: string): void {
  const express = measurements.find((m) => m.name === expressName);
  const peer = measurements.find((m) => m.name === peerName);
  const botschaft = (stored: number) => measurements.find((m) => m.name === "Botschaft" && m.stored === stored);
  const shareOfExpress = (m: Measurement | undefined) => (m && express ? m.turnsPerSecond / express.turnsPerSecond : undefined);
  const at10k = botschaft(10_000);
  const share10k = shareOfExpress(at10k);
  const times10k = at10k && peer ? at10k.turnsPerSecond / peer.turnsPerSecond : undefined;
  const share100k = shareOfExpress(botschaft(100_000));
  const rows: [string, string, boolean | undefined][] = [
    [
      `10k stored: ≥ ${percent.format(targets.shareOfExpressAt10k)} of bare Express`,
      share10k === undefined ? "–" : precisePercent.format(share10k),
      share10k === undefined ? undefined : share10k >= targets.shareOfExpressAt10k,
    ],
    [
      `10k stored: ≥ ${targets.timesPeerAt10k}× the Bot Framework peer`,
      times10k === undefined ? "–" : `${times10k.toFixed(2)}×`,
      times10k === undefined ? undefined : times10k >= targets.timesPeerAt10k,
    ],
    [
      `10k stored: p99 ≤ ${targets.p99MsAt10k} ms`,
      at10k ? `${oneDecimal.format(at10k.p99Ms)} ms` : "–",
      at10k ? at10k.p99Ms <= targets.p99MsAt10k : undefined,
    ],
    [
      `100k stored: ≥ ${percent.format(targets.shareOfExpressAt100k)} of bare Express`,
      share100k === undefined ? "–" : precisePercent.format(share100k),
      share100k === undefined ? undefined : share100k >= targets.shareOfExpressAt100k,
    ],
  ];
  console.log(formatTable(["target", "measured", "verdict"], rows.map(([name, value, met]) => [name, value, verdict(met)])));
}

/** Profiles Botschaft under the same load, apart from the measured run: the profiler slows it down. */
async function profileBotschaft(root: string, flowsDir: string, options: BenchOptions, size: number): Promise<void> {
  const dataDir = join(root, "data-profile");
  const profileDir = join(root, "profile");
  await seed(dataDir, size);
  const profiled = await startTarget(
    "Botschaft, profiled",
    size,
    startBotschaft(dataDir, flowsDir, options.logLevel, ["--cpu-prof", `--cpu-prof-dir=${profileDir}`]),
    () => webChatWalk(flowId),
  );
  try {
    const load = { connections: options.connections, runInSeconds: options.warmupSeconds + options.rounds * options.sliceSeconds, measuredSeconds: 0 };
    await runLoad(profiled.server.url, profiled.walk(), load);
  } finally {
    // The profile is written when the process exits normally.
    await profiled.server.stop("SIGTERM");
  }
  // CPU.<date>.<time>.<pid>.<thread>.<n>.cpuprofile: thread 0 is the main thread, the others the TypeScript loader's.
  const file = (await readdir(profileDir)).find((name) => /\.\d+\.0\.\d+\.cpuprofile$/.test(name));
  if (!file) {
    console.log("  (the server wrote no CPU profile)");
    return;
  }
  const summary = await summariseCpuProfile(join(profileDir, file));
  console.log(`\n  Botschaft's CPU time under load by area (self time, ${integer.format(summary.busyMs)} ms busy):`);
  console.log(formatTable(["area", "ms", "share"], summary.byArea.map((a) => [a.name, integer.format(a.ms), percent.format(a.share)])));
  console.log("\n  …and by function:");
  console.log(formatTable(["function", "ms", "share"], summary.byFunction.map((f) => [f.name, integer.format(f.ms), percent.format(f.share)])));
  const kept = join(tmpdir(), file);
  await copyFile(join(profileDir, file), kept);
  console.log(`\n  Profile (open in Chrome DevTools or speedscope): ${kept}`);
}

const baselineName = "Botschaft baseline";

function printAgainstBaseline(measurements: readonly Measurement[]): void {
  const rows = measurements
    .filter((m) => m.name === "Botschaft")
    .flatMap((m) => {
      const base = measurements.find((b) => b.name === baselineName && b.stored === m.stored);
      if (!base) return [];
      const change = m.turnsPerSecond / base.turnsPerSecond - 1;
      const cpuChange = m.cpuMsPerTurn / base.cpuMsPerTurn - 1;
      const signed = (share: number) => `${share >= 0 ? "+" : ""}${precisePercent.format(share)}`;
      return [
        [
          integer.format(m.stored ?? 0),
          integer.format(base.turnsPerSecond),
          integer.format(m.turnsPerSecond),
          signed(change),
          `${twoDecimals.format(base.cpuMsPerTurn)} → ${twoDecimals.format(m.cpuMsPerTurn)}`,
          signed(cpuChange),
          `${oneDecimal.format(base.p99Ms)} → ${oneDecimal.format(m.p99Ms)}`,
          `${oneDecimal.format(base.startSeconds)} → ${oneDecimal.format(m.startSeconds)}`,
        ],
      ];
    });
  console.log(formatTable(["stored", "baseline turns/s", "turns/s", "change", "CPU ms/turn", "change", "p99 ms", "start s"], rows));
}

// Main ------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const options = readOptions();
  const root = await mkdtemp(join(tmpdir(), "botschaft-runtime-bench-"));
  const expressName = "bare Express 5 echo";
  const peerName = "Bot Framework SDK peer";
  const started: Target[] = [];
  try {
    const flowsDir = join(root, "flows");
    await mkdir(flowsDir);
    await copyFile(flowFile, join(flowsDir, `${flowId}.yaml`));
    console.log(
      `Runtime benchmark: ${options.connections} connections; per target ${options.rounds} interleaved slices of ${options.sliceSeconds} s, ` +
        `each after a ${options.runInSeconds} s run-in, after ${options.warmupSeconds} s warm-up; Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "unknown CPU"}; ` +
        `Botschaft LOG_LEVEL=${options.logLevel}.`,
    );
    console.log("Each user: start → Rückruf anfordern → decline → Rückruf anfordern → accept → name (6 turns), then a new conversation.\n");
    for (const size of options.sizes) await seed(join(root, `data-${size}`), size);
    started.push(await startTarget(expressName, undefined, startBenchServer("./echo-server.ts"), echoWalk));
    started.push(await startTarget(peerName, undefined, startBenchServer("./botbuilder-peer-server.ts"), botFrameworkWalk));
    for (const size of options.sizes) {
      const start = startBotschaft(join(root, `data-${size}`), flowsDir, options.logLevel);
      started.push(await startTarget("Botschaft", size, start, () => webChatWalk(flowId)));
    }
    if (options.baseline) {
      const bin = join(options.baseline, "runtime", "cli", "bin", "botschaft.js");
      for (const size of options.sizes) {
        await seed(join(root, `baseline-${size}`), size, baselineSeeder(options.baseline));
        started.push(await startTarget(baselineName, size, startBotschaft(join(root, `baseline-${size}`), flowsDir, options.logLevel, [], bin), () => webChatWalk(flowId)));
      }
    }
    const measurements = await measureInterleaved(started, options, root);
    await Promise.all(started.splice(0).map((target) => target.server.stop()));
    console.log();
    printTable(measurements);
    console.log();
    printVerdicts(measurements, expressName, peerName);
    if (options.baseline) {
      console.log(`\n  Against the baseline (${options.baseline}), measured in the same interleaved slices:`);
      printAgainstBaseline(measurements);
    }
    if (options.profileSize !== undefined) await profileBotschaft(root, flowsDir, options, options.profileSize);
    return measurements.some((m) => m.failed > 0) ? 1 : 0;
  } finally {
    await Promise.all(started.map((target) => target.server.stop()));
    await rm(root, { recursive: true, force: true });
  }
}

process.exitCode = await main();
