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
 * `--store postgres` runs Botschaft on PostgreSQL (`--database-url`, default the tests' database),
 * each size in a schema of its own seeded by `seed-conversations.ts` (10k and 1M by default), with
 * one instance and with two instances on the same database (`--instances 1,2`): the load is
 * split evenly between the two ports, half the connections each, as a round-robin proxy would
 * split it but without a proxy's process on the two cores. The CPU time of the PostgreSQL
 * backends serving the instances counts as the target's (`DB CPU ms/turn`), not as other load.
 *
 * Leads (issue "Leads that never get lost"): at `--leads` stored conversations (default 10k on the
 * embedded store), two more Botschaft targets whose users also give their phone number, so every
 * walk sends a lead to the CRM step — at a CRM stand-in on this machine in its own process
 * (`lead-receiver.ts`, HTTPS, allow-listed, trusted through NODE_EXTRA_CA_CERTS): "leads off"
 * calls it synchronously within the turn with the analytics counters off
 * (`BOTSCHAFT_ANALYTICS=off`); "leads on" stores the lead with the turn as a durable delivery
 * that the server's worker sends in the background, and counts. Target: on ≥ 90 % of off's
 * turns/s. Afterwards the receiver's count shows that no lead was lost or sent twice.
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
 *          --store embedded|postgres  --instances 1,2  --database-url postgres://…
 *          --leads 10000|none (stored conversations of the two leads targets; default none on PostgreSQL)
 */
import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join, resolve as resolvePath } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs, promisify } from "node:util";
import autocannon from "autocannon";
import { summariseCpuProfile } from "./cpu-profile-summary.ts";
import { type DiskProbe, startDiskProbe } from "./disk-probe.ts";
import { type ForeignCpuMeter, processCpuSeconds, startForeignCpuMeter } from "./foreign-cpu.ts";
import { botschaftBin, type ProcessMemory, type ServerProcess, startServerProcess, typeScriptEntry } from "../../testing/server-process.ts";
import { postgresPidsFor } from "./postgres-backends.ts";
import { botFrameworkWalk, echoWalk, type Walk, webChatWalk } from "./walks.ts";
import { type LeadReceiver, startLeadReceiver } from "./lead-receiver.ts";

/** The targets of issue 3, "Durability and speed" (embedded store), and of issue 18 (PostgreSQL). */
const embeddedTargets = {
  shareOfExpressAt10k: 0.4,
  timesPeerAt10k: 1.3,
  p99MsAt10k: 50,
  largeSize: 100_000,
  /** At the large size: at least this share of the echo… */
  shareOfExpressLarge: 0.35 as number | undefined,
  /** …or at least this share of the 10k figure. */
  shareOf10kLarge: undefined as number | undefined,
};
const postgresTargets: typeof embeddedTargets = {
  shareOfExpressAt10k: 0.3,
  timesPeerAt10k: 1.5,
  p99MsAt10k: 100,
  largeSize: 1_000_000,
  shareOfExpressLarge: undefined,
  shareOf10kLarge: 0.85,
};

const flowFile = fileURLToPath(new URL("../../../examples/callback-request.yaml", import.meta.url));
const flowId = "callback-request";
/** The same flow with its CRM step delivered durably (`delivery: durable`). */
const durableFlowFile = fileURLToPath(new URL("../../../examples/callback-durable.yaml", import.meta.url));
const durableFlowId = "callback-durable";
/** The CRM step's address in both flows, replaced by the lead receiver's. */
const crmUrl = "https://crm.muster.example/api/callbacks";
const noticesUrl = "https://crm.muster.example/api/gdpr";
/** Issue "Leads that never get lost": durable deliveries and counters on keep this share of off's turns/s. */
const leadsOnShareOfOff = 0.9;
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
  store: "embedded" | "postgres";
  /** Botschaft instances per size, e.g. [1, 2]: each count is a target of its own. */
  instances: number[];
  databaseUrl: string;
  /** Stored conversations of the leads targets; undefined: none. */
  leads: number | undefined;
}

function wholeNumber(text: string, option: string, minimum: number): number {
  const value = Number(text.replaceAll("_", ""));
  if (!Number.isInteger(value) || value < minimum) throw new Error(`--${option} expects a whole number ≥ ${minimum}, got "${text}".`);
  return value;
}

function readOptions(): BenchOptions {
  const { values } = parseArgs({
    options: {
      sizes: { type: "string" },
      rounds: { type: "string", default: "5" },
      slice: { type: "string", default: "2" },
      "run-in": { type: "string", default: "1" },
      warmup: { type: "string", default: "3" },
      connections: { type: "string", default: "50" },
      "log-level": { type: "string", default: "info" },
      profile: { type: "string" },
      baseline: { type: "string" },
      store: { type: "string", default: "embedded" },
      instances: { type: "string" },
      "database-url": { type: "string", default: process.env.BOTSCHAFT_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test" },
      leads: { type: "string" },
    },
  });
  const store = values.store;
  if (store !== "embedded" && store !== "postgres") throw new Error(`--store expects embedded or postgres, got "${store}".`);
  const sizes = values.sizes ?? (store === "postgres" ? "10000,1000000" : "1000,10000,100000");
  const instances = values.instances ?? (store === "postgres" ? "1,2" : "1");
  const leads = values.leads ?? (store === "postgres" ? "none" : "10000");
  return {
    sizes: sizes.split(",").map((size) => wholeNumber(size.trim(), "sizes", 0)),
    rounds: wholeNumber(values.rounds, "rounds", 1),
    sliceSeconds: wholeNumber(values.slice, "slice", 1),
    runInSeconds: wholeNumber(values["run-in"], "run-in", 1),
    warmupSeconds: wholeNumber(values.warmup, "warmup", 0),
    connections: wholeNumber(values.connections, "connections", 1),
    logLevel: values["log-level"],
    profileSize: values.profile === undefined ? undefined : wholeNumber(values.profile, "profile", 0),
    baseline: values.baseline === undefined ? undefined : resolvePath(values.baseline),
    store,
    instances: instances.split(",").map((count) => wholeNumber(count.trim(), "instances", 1)),
    databaseUrl: values["database-url"],
    leads: leads === "none" ? undefined : wholeNumber(leads, "leads", 0),
  };
}

// Servers ---------------------------------------------------------------------------------------

interface Target {
  name: string;
  /** Conversations stored before the run (Botschaft only). */
  stored: number | undefined;
  /** One server, or several instances sharing the load evenly. */
  servers: ServerProcess[];
  /**
   * PostgreSQL's processes serving these servers, found again at the start of every measured
   * window: an idle pool closes its connections after 10 s, and the next load opens new ones.
   */
  databasePids: number[];
  findDatabasePids?: () => Promise<number[]>;
  /** From spawning the server to its first answer: loading the store, for Botschaft. */
  startSeconds: number;
  walk: () => Walk;
}

async function startTarget(name: string, stored: number | undefined, start: () => Promise<ServerProcess>, walk: () => Walk, instances = 1): Promise<Target> {
  process.stdout.write(`  starting ${describeTarget({ name, stored })}… `);
  const servers: ServerProcess[] = [];
  let startSeconds = 0;
  // One after another, so that each start time is its own and not two starts sharing the cores.
  for (let instance = 0; instance < instances; instance++) {
    const startedAt = performance.now();
    servers.push(await start());
    startSeconds = Math.max(startSeconds, (performance.now() - startedAt) / 1000);
  }
  process.stdout.write(`ready after ${oneDecimal.format(startSeconds)} s\n`);
  return { name, stored, servers, databasePids: [], startSeconds, walk };
}

/** Where a Botschaft target keeps its conversations: a data directory, or a schema on PostgreSQL. */
type Storage = { dataDir: string } | { databaseUrl: string; schema: string; dataDir: string };

function startBotschaft(storage: Storage, flowsDir: string, logLevel: string, nodeOptions: string[] = [], bin = botschaftBin, extraEnv: Record<string, string> = {}) {
  const database: Record<string, string> = "databaseUrl" in storage ? { DATABASE_URL: storage.databaseUrl, BOTSCHAFT_DATABASE_SCHEMA: storage.schema } : {};
  return () =>
    startServerProcess({
      args: [...nodeOptions, bin, "serve"],
      env: {
        ...database,
        BOTSCHAFT_DATA_DIR: storage.dataDir,
        BOTSCHAFT_FLOWS_DIR: flowsDir,
        BOTSCHAFT_SECRET: secret,
        BOTSCHAFT_ADMIN_TOKEN: adminToken,
        BOTSCHAFT_RATE_MESSAGES: unlimited,
        BOTSCHAFT_RATE_CONVERSATIONS: unlimited,
        LOG_LEVEL: logLevel,
        ...extraEnv,
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

async function seed(storage: Storage, count: number, seeder = seederPath, flow = flowFile): Promise<void> {
  process.stdout.write(`  seeding ${integer.format(count)} conversations${seeder === seederPath ? "" : " (baseline)"}${"schema" in storage ? ` in PostgreSQL schema ${storage.schema}` : ""}… `);
  const where = "databaseUrl" in storage ? ["--database-url", storage.databaseUrl, "--schema", storage.schema] : ["--data-dir", storage.dataDir];
  const { stdout } = await run(process.execPath, [...typeScriptEntry(seeder), ...where, "--flow-file", flow, "--count", String(count), "--secret", secret], {
    maxBuffer: 1024 * 1024,
  });
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
  /** CPU time of the PostgreSQL processes serving it in the windows. */
  databaseCpuSeconds = 0;
  /** Latency of the disk probe's syncs during the windows, in ms. */
  readonly syncLatencies: number[] = [];

  constructor(
    private readonly allServerPids: readonly number[],
    private readonly probeDirectory: string,
    private readonly name: string,
    readonly target: Target,
  ) {}

  startMeter(): ForeignCpuMeter {
    return startForeignCpuMeter([...this.allServerPids, ...this.target.databasePids]);
  }

  serverCpu(): number {
    return sum(this.target.servers.map((server) => processCpuSeconds(server.pid)));
  }

  databaseCpu(): number {
    return sum(this.target.databasePids.map((pid) => processCpuSecondsOr0(pid)));
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
async function runLoad(target: Target, plan: LoadPlan, tally?: Tally): Promise<void> {
  const windowStart = performance.now() + plan.runInSeconds * 1000;
  // One walk per instance; with several, the connections are split evenly among them.
  const walks = target.servers.map(() => target.walk());
  const wrongReplies = () => sum(walks.map((walk) => walk.wrongReplies()));
  let meter: ForeignCpuMeter | undefined;
  let probe: Promise<DiskProbe> | undefined;
  let wrongBefore = 0;
  let serverCpuBefore = 0;
  let databaseCpuBefore = 0;
  let windowOpened: Promise<void> = Promise.resolve();
  const windowTimer = setTimeout(() => {
    windowOpened = (async () => {
      if (tally && target.findDatabasePids) target.databasePids = await target.findDatabasePids();
      meter = tally?.startMeter();
      probe = tally?.startDiskProbe();
      wrongBefore = wrongReplies();
      serverCpuBefore = tally?.serverCpu() ?? 0;
      databaseCpuBefore = tally?.databaseCpu() ?? 0;
    })();
  }, plan.runInSeconds * 1000);
  await Promise.all(
    target.servers.map(
      (server, index) =>
        new Promise<void>((resolve, reject) => {
          const share = Math.floor(plan.connections / target.servers.length) + (index < plan.connections % target.servers.length ? 1 : 0);
          const options = {
            url: server.url,
            connections: share,
            pipelining: 1,
            duration: plan.runInSeconds + plan.measuredSeconds,
            timeout: 10,
            requests: walks[index]?.requests ?? [],
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
        }),
    ),
  );
  clearTimeout(windowTimer);
  await windowOpened;
  if (!tally || !meter) return;
  const seconds = (performance.now() - windowStart) / 1000;
  if (probe) tally.syncLatencies.push(...(await (await probe).stop()));
  const wrong = wrongReplies() - wrongBefore;
  tally.failures.wrongReplies += wrong;
  tally.wrongInLatencies += wrong;
  tally.seconds += seconds;
  tally.foreignCpuSeconds += meter.share() * seconds;
  tally.serverCpuSeconds += tally.serverCpu() - serverCpuBefore;
  tally.databaseCpuSeconds += tally.databaseCpu() - databaseCpuBefore;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/** A backend that ended meanwhile has no /proc entry any more: its time is lost, not an error. */
function processCpuSecondsOr0(pid: number): number {
  try {
    return processCpuSeconds(pid);
  } catch {
    return 0;
  }
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
  /** The server's own CPU time per turn, in ms (all instances). */
  cpuMsPerTurn: number;
  /** PostgreSQL's CPU time per turn for this target, in ms; undefined on the embedded store. */
  databaseCpuMsPerTurn: number | undefined;
  instances: number;
  /** p99 of the disk probe's 4 KiB syncs while this target was measured, in ms. */
  syncP99Ms: number;
}

function sumMemory(memories: readonly ProcessMemory[]): ProcessMemory {
  return { rssBytes: sum(memories.map((m) => m.rssBytes)), peakRssBytes: sum(memories.map((m) => m.peakRssBytes)) };
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
    for (const target of all) await runLoad(target, warmUp);
    process.stdout.write("done\n");
  }
  if (options.store === "postgres") {
    for (const target of all) {
      if (target.stored !== undefined) target.findDatabasePids = () => postgresPidsFor(options.databaseUrl, target.servers.map((server) => server.pid));
    }
  }
  const pids = all.flatMap((target) => target.servers.map((server) => server.pid));
  const measured = all.map((target) => ({ target, tally: new Tally(pids, probeDirectory, describeTarget(target), target) }));
  const slice = { connections: options.connections, runInSeconds: options.runInSeconds, measuredSeconds: options.sliceSeconds };
  for (let round = 0; round < options.rounds; round++) {
    process.stdout.write(`  round ${round + 1} of ${options.rounds}… `);
    const order = [...measured.slice(round % measured.length), ...measured.slice(0, round % measured.length)];
    for (const { target, tally } of order) await runLoad(target, slice, tally);
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
      memory: sumMemory(target.servers.map((server) => server.memory())),
      startSeconds: target.startSeconds,
      foreignCpu: tally.foreignCpuSeconds / tally.seconds,
      cpuMsPerTurn: (tally.serverCpuSeconds * 1000) / tally.turns,
      databaseCpuMsPerTurn: target.databasePids.length > 0 ? (tally.databaseCpuSeconds * 1000) / tally.turns : undefined,
      instances: target.servers.length,
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

/** "Botschaft", or "Botschaft ×2" for two instances sharing the load. */
function instanceName(name: string, instances: number): string {
  return instances === 1 ? name : `${name} ×${instances}`;
}

function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join("  ");
  return [line(header), widths.map((width) => "─".repeat(width)).join("  "), ...rows.map(line)].map((text) => `  ${text}`).join("\n");
}

function printTable(measurements: readonly Measurement[]): void {
  const onPostgres = measurements.some((m) => m.databaseCpuMsPerTurn !== undefined);
  console.log(
    formatTable(
      ["target", "stored", "turns/s", "CPU ms/turn", ...(onPostgres ? ["DB CPU ms/turn"] : []), "p50 ms", "p99 ms", "max ms", "failed", "RSS MiB", "peak MiB", "start s", "other CPU", "sync p99 ms"],
      measurements.map((m) => [
        m.name,
        m.stored === undefined ? "–" : integer.format(m.stored),
        integer.format(m.turnsPerSecond),
        twoDecimals.format(m.cpuMsPerTurn),
        ...(onPostgres ? [m.databaseCpuMsPerTurn === undefined ? "–" : twoDecimals.format(m.databaseCpuMsPerTurn)] : []),
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
  console.log("  CPU ms/turn: the server's own CPU time per turn (all its instances); unlike turns/s, hardly moved by other processes' load.");
  if (onPostgres) {
    console.log("  DB CPU ms/turn: PostgreSQL's, in the backends serving the instances and its WAL writer, checkpointer and background writer.");
    console.log("  ×2: two instances on one database, each taking half the connections; RSS is both instances' together.");
  }
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

function printVerdicts(measurements: readonly Measurement[], expressName: string, peerName: string, options: BenchOptions): void {
  const targets = options.store === "postgres" ? postgresTargets : embeddedTargets;
  const express = measurements.find((m) => m.name === expressName);
  const peer = measurements.find((m) => m.name === peerName);
  const rows: [string, string, boolean | undefined][] = [];
  // The targets hold for one instance; two instances on two cores are reported, not judged.
  const botschaft = (stored: number) => measurements.find((m) => m.name === "Botschaft" && m.instances === 1 && m.stored === stored);
  const shareOfExpress = (m: Measurement | undefined) => (m && express ? m.turnsPerSecond / express.turnsPerSecond : undefined);
  const at10k = botschaft(10_000);
  const share10k = shareOfExpress(at10k);
  const times10k = at10k && peer ? at10k.turnsPerSecond / peer.turnsPerSecond : undefined;
  const large = botschaft(targets.largeSize);
  const largeLabel = `${integer.format(targets.largeSize / 1000)}k stored`;
  rows.push(
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
    [`10k stored: p99 ≤ ${targets.p99MsAt10k} ms`, at10k ? `${oneDecimal.format(at10k.p99Ms)} ms` : "–", at10k ? at10k.p99Ms <= targets.p99MsAt10k : undefined],
  );
  if (targets.shareOfExpressLarge !== undefined) {
    const share = shareOfExpress(large);
    rows.push([`${largeLabel}: ≥ ${percent.format(targets.shareOfExpressLarge)} of bare Express`, share === undefined ? "–" : precisePercent.format(share), share === undefined ? undefined : share >= targets.shareOfExpressLarge]);
  }
  if (targets.shareOf10kLarge !== undefined) {
    const share = large && at10k ? large.turnsPerSecond / at10k.turnsPerSecond : undefined;
    rows.push([
      `${largeLabel}: within ${percent.format(1 - targets.shareOf10kLarge)} of the 10k figure`,
      share === undefined ? "–" : precisePercent.format(share),
      share === undefined ? undefined : share >= targets.shareOf10kLarge,
    ]);
  }
  const leadsOff = measurements.find((m) => m.name === leadsOffName);
  const leadsOn = measurements.find((m) => m.name === leadsOnName);
  if (leadsOff && leadsOn) {
    const share = leadsOn.turnsPerSecond / leadsOff.turnsPerSecond;
    rows.push([`leads: deliveries and counters on ≥ ${percent.format(leadsOnShareOfOff)} of off`, precisePercent.format(share), share >= leadsOnShareOfOff]);
  }
  console.log(formatTable(["target", "measured", "verdict"], rows.map(([name, value, met]) => [name, value, verdict(met)])));
  for (const several of measurements.filter((m) => m.instances > 1)) {
    const one = measurements.find((m) => m.name === "Botschaft" && m.instances === 1 && m.stored === several.stored);
    if (one) {
      console.log(
        `  ${describeTarget(several)}: ${precisePercent.format(several.turnsPerSecond / one.turnsPerSecond)} of one instance's turns/s ` +
          `(${cpus().length} cores; Botschaft CPU ms/turn ${twoDecimals.format(one.cpuMsPerTurn)} → ${twoDecimals.format(several.cpuMsPerTurn)}, ` +
          `PostgreSQL ${one.databaseCpuMsPerTurn === undefined ? "–" : twoDecimals.format(one.databaseCpuMsPerTurn)} → ${several.databaseCpuMsPerTurn === undefined ? "–" : twoDecimals.format(several.databaseCpuMsPerTurn)}).`,
      );
    }
  }
}

/** Profiles Botschaft under the same load, apart from the measured run: the profiler slows it down. */
async function profileBotschaft(root: string, flowsDir: string, options: BenchOptions, size: number): Promise<void> {
  const profileDir = join(root, "profile");
  const storage = storageFor(root, options, size, "profile");
  await seed(storage, size);
  const profiled = await startTarget(
    "Botschaft, profiled",
    size,
    startBotschaft(storage, flowsDir, options.logLevel, ["--cpu-prof", `--cpu-prof-dir=${profileDir}`]),
    () => webChatWalk(flowId),
  );
  try {
    const load = { connections: options.connections, runInSeconds: options.warmupSeconds + options.rounds * options.sliceSeconds, measuredSeconds: 0 };
    await runLoad(profiled, load);
  } finally {
    // The profile is written when the process exits normally.
    await Promise.all(profiled.servers.map((server) => server.stop("SIGTERM")));
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

// Leads -----------------------------------------------------------------------------------------

const leadsOffName = "Botschaft, leads off";
const leadsOnName = "Botschaft, leads on";

interface LeadsRun {
  targets: Target[];
  receiver: LeadReceiver;
  /** Leads the walks saw thanked for, per target name (warm-up and run-in included, like the receiver's count). */
  thanked: Map<string, number>;
}

/** The CRM stand-in and the two leads targets, each seeded with `stored` conversations of its flow. */
async function startLeads(root: string, options: BenchOptions, stored: number): Promise<LeadsRun> {
  const receiverDir = join(root, "lead-receiver");
  await mkdir(receiverDir);
  const receiver = await startLeadReceiver(receiverDir);
  const thanked = new Map<string, number>();
  const targets: Target[] = [];
  // A host name, not a literal loopback address: the seeder publishes the flow without the allow-list.
  const crm = `https://localhost:${receiver.port}`;
  const env = { BOTSCHAFT_WEBHOOK_ALLOW_HOSTS: `localhost:${receiver.port}`, NODE_EXTRA_CA_CERTS: receiver.caFile };
  for (const [name, file, id, counters] of [
    [leadsOffName, flowFile, flowId, "off"],
    [leadsOnName, durableFlowFile, durableFlowId, "on"],
  ] as const) {
    const flowsDir = join(root, `flows-${counters}`);
    await mkdir(flowsDir);
    const yaml = (await readFile(file, "utf8")).replace(crmUrl, `${crm}/leads`).replace(noticesUrl, `${crm}/notices`);
    await writeFile(join(flowsDir, `${id}.yaml`), yaml);
    const storage = storageFor(root, options, stored, `leads-${counters}`);
    await seed(storage, stored, seederPath, join(flowsDir, `${id}.yaml`));
    thanked.set(name, 0);
    const start = startBotschaft(storage, flowsDir, options.logLevel, [], botschaftBin, { ...env, BOTSCHAFT_ANALYTICS: counters });
    targets.push(await startTarget(name, stored, start, () => webChatWalk(id, { lead: true, onLead: () => thanked.set(name, (thanked.get(name) ?? 0) + 1) })));
  }
  return { targets, receiver, thanked };
}

/** Waits until the "leads on" server has sent every stored lead (at most a minute), then prints what the receiver got. */
async function printLeadsArrival(run: LeadsRun): Promise<void> {
  const on = run.targets.find((target) => target.name === leadsOnName)?.servers[0];
  let pending = -1;
  for (const end = Date.now() + 60_000; Date.now() < end; ) {
    const response = await fetch(`${on?.url}/api/v1/admin/deliveries`, { headers: { authorization: `Bearer ${adminToken}` } });
    pending = ((await response.json()) as { pending: number }).pending;
    if (pending === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const arrived = await run.receiver.arrived();
  const thanked = sum([...run.thanked.values()]);
  console.log(
    `  Leads: the walks were thanked for ${integer.format(thanked)} leads (${[...run.thanked].map(([name, count]) => `${name}: ${integer.format(count)}`).join(", ")}); ` +
      `the receiver got ${integer.format(arrived.received)} requests under ${integer.format(arrived.distinct)} idempotency keys` +
      `${pending > 0 ? `, ${integer.format(pending)} still pending after a minute` : ""}. ` +
      `${arrived.distinct >= thanked ? "None lost" : `${integer.format(thanked - arrived.distinct)} LOST`}, ` +
      `${arrived.received === arrived.distinct ? "none sent twice" : `${integer.format(arrived.received - arrived.distinct)} SENT TWICE`} ` +
      "(a turn cut off by the end of a slice may have been stored without its reply being counted: keys ≥ thanked).",
  );
}

// Main ------------------------------------------------------------------------------------------

/** The data directory, or on PostgreSQL the schema, of one size (`kind` tells the baseline's and the profile's apart). */
function storageFor(root: string, options: BenchOptions, size: number, kind = "data"): Storage {
  const dataDir = join(root, `${kind}-${size}`);
  if (options.store === "embedded") return { dataDir };
  return { dataDir, databaseUrl: options.databaseUrl, schema: `botschaft_bench_${kind === "data" ? "" : `${kind}_`}${size}` };
}

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
        `Botschaft LOG_LEVEL=${options.logLevel}, ${options.store === "postgres" ? `on PostgreSQL (${new URL(options.databaseUrl).host})` : "on the embedded store"}.`,
    );
    console.log("Each user: start → Rückruf anfordern → decline → Rückruf anfordern → accept → name (6 turns), then a new conversation.\n");
    for (const size of options.sizes) await seed(storageFor(root, options, size), size);
    started.push(await startTarget(expressName, undefined, startBenchServer("./echo-server.ts"), echoWalk));
    started.push(await startTarget(peerName, undefined, startBenchServer("./botbuilder-peer-server.ts"), botFrameworkWalk));
    for (const size of options.sizes) {
      // The embedded store is one process's: several instances need PostgreSQL.
      for (const instances of options.store === "postgres" ? options.instances : [1]) {
        const start = startBotschaft(storageFor(root, options, size), flowsDir, options.logLevel);
        started.push(await startTarget(instanceName("Botschaft", instances), size, start, () => webChatWalk(flowId), instances));
      }
    }
    const leads = options.leads === undefined ? undefined : await startLeads(root, options, options.leads);
    if (leads) started.push(...leads.targets);
    if (options.baseline) {
      const bin = join(options.baseline, "runtime", "cli", "bin", "botschaft.js");
      for (const size of options.sizes) {
        const storage = storageFor(root, options, size, "baseline");
        await seed(storage, size, baselineSeeder(options.baseline));
        started.push(await startTarget(baselineName, size, startBotschaft(storage, flowsDir, options.logLevel, [], bin), () => webChatWalk(flowId)));
      }
    }
    const measurements = await measureInterleaved(started, options, root);
    if (leads) {
      console.log();
      await printLeadsArrival(leads);
      leads.receiver.stop();
    }
    await Promise.all(started.splice(0).flatMap((target) => target.servers.map((server) => server.stop())));
    console.log();
    printTable(measurements);
    console.log();
    printVerdicts(measurements, expressName, peerName, options);
    if (options.baseline) {
      console.log(`\n  Against the baseline (${options.baseline}), measured in the same interleaved slices:`);
      printAgainstBaseline(measurements);
    }
    if (options.profileSize !== undefined) await profileBotschaft(root, flowsDir, options, options.profileSize);
    return measurements.some((m) => m.failed > 0) ? 1 : 0;
  } finally {
    await Promise.all(started.flatMap((target) => target.servers.map((server) => server.stop())));
    await rm(root, { recursive: true, force: true });
  }
}

process.exitCode = await main();
