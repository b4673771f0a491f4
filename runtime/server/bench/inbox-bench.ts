/**
 * The live-chat benchmark (`npm run bench:inbox`, docs/benchmarks.md#live-chat): 500 visitors in
 * a handover at once and 20 agents. Every visitor follows its event stream (SSE over `fetch`, as
 * the widget does) and writes a message every 2 s; every agent follows the inbox's nudges, reads
 * what is new and answers each visitor message. Each message carries its send time, so the
 * receiving side measures visitor → agent latency (message sent until the agent has read it)
 * and agent → visitor latency (reply sent until it arrived on the visitor's stream), and counts
 * what never arrived or arrived twice.
 *
 * Runs on lowdb (one instance) and on PostgreSQL with two instances on one database (visitors on
 * the first, agents on the second, so every message crosses instances through LISTEN/NOTIFY, or
 * Redis with --redis). Each server is `botschaft serve` in a process of its own, as `npm start`
 * runs it (compiled when `npm run build:runtime` is current); this process is only the load.
 * Agents sign in with API tokens of the role `agent`. A benchmark, not a test: it exits 0 when
 * a target is missed. BENCH_CPU_PROF=<dir> writes a V8 CPU profile of each server process there.
 *
 * Options: --visitors 500  --agents 20  --seconds 30 (measured)  --interval 2000 (ms between a
 *          visitor's messages)  --stores lowdb,postgres  --redis (PostgreSQL's signals through
 *          BOTSCHAFT_TEST_REDIS_URL or redis://127.0.0.1:6379)
 */
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { parseArgs } from "node:util";
import pg from "pg";
import { openEventStreamClient, type EventStreamClient } from "../../testing/event-stream-client.ts";
import { helpdeskFlow } from "../../testing/live-chat-fixtures.ts";
import { testDatabaseUrl } from "../../testing/open-test-store.ts";
import { botschaftBin, type ServerProcess, startServerProcess } from "../../testing/server-process.ts";
import { processCpuSeconds, startForeignCpuMeter } from "./foreign-cpu.ts";

const { values } = parseArgs({
  options: {
    visitors: { type: "string", default: "500" },
    agents: { type: "string", default: "20" },
    seconds: { type: "string", default: "30" },
    interval: { type: "string", default: "2000" },
    stores: { type: "string", default: "lowdb,postgres" },
    redis: { type: "boolean", default: false },
  },
});
const visitorCount = Number(values.visitors);
const agentCount = Number(values.agents);
const measuredMs = Number(values.seconds) * 1000;
const intervalMs = Number(values.interval);

const targets = { p99OneInstanceMs: 100, p99TwoInstancesMs: 250 };

interface Instance {
  server: ServerProcess;
  base: string;
}

const adminToken = "inbox-bench-admin-token-0123456789";

/** `botschaft serve` in a process of its own, on the helpdesk flow, with the rate limits raised so they do not cap the load. */
async function serve(directory: string, env: Record<string, string>): Promise<Instance> {
  const flows = join(directory, "flows");
  await mkdir(flows, { recursive: true });
  await writeFile(join(flows, "helpdesk.yaml"), helpdeskFlow);
  const profile = process.env.BENCH_CPU_PROF;
  const server = await startServerProcess({
    args: [...(profile ? ["--cpu-prof", `--cpu-prof-dir=${profile}`] : []), botschaftBin, "serve"],
    env: {
      BOTSCHAFT_FLOWS_DIR: flows,
      BOTSCHAFT_ADMIN_TOKEN: adminToken,
      BOTSCHAFT_RATE_MESSAGES: "100000",
      BOTSCHAFT_RATE_CONVERSATIONS: "100000",
      LOG_LEVEL: "warn",
      ...env,
    },
    readyPath: "/healthz",
    readyTimeoutMs: 120_000,
  });
  return { server, base: server.url };
}

/** An API token with the role `agent`, as a script or another client would use. */
async function agentToken(instance: Instance, index: number): Promise<string> {
  const response = await fetch(`${instance.base}/api/v1/tokens`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${adminToken}` },
    body: JSON.stringify({ name: `agent-${index}-${randomBytes(3).toString("hex")}`, roles: ["agent"] }),
  });
  if (response.status !== 201) throw new Error(`no agent token: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

function percentile(sorted: number[], share: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] as number;
}

interface Tally {
  /** Message key → send time; removed when it arrives. */
  pending: Map<string, number>;
  seen: Set<string>;
  latencies: number[];
  duplicates: number;
  sent: number;
}

const tally = (): Tally => ({ pending: new Map(), seen: new Set(), latencies: [], duplicates: 0, sent: 0 });

function arrived(into: Tally, key: string, sentAt: number, measuring: boolean): void {
  if (into.seen.has(key)) {
    into.duplicates += 1;
    return;
  }
  into.seen.add(key);
  into.pending.delete(key);
  if (measuring) into.latencies.push(performance.now() - sentAt);
}

let failedRequests = 0;
const failureCauses = new Map<string, number>();

/** A POST, tried once more when the connection broke; failures are counted (what they carried then counts as lost). */
async function post(url: string, headers: Record<string, string>, body?: unknown): Promise<Response | undefined> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    } catch (error) {
      if (attempt === 2) {
        failedRequests += 1;
        const cause = String((error as { cause?: { code?: string; message?: string } }).cause?.code ?? (error as { cause?: { message?: string } }).cause?.message ?? error);
        failureCauses.set(cause, (failureCauses.get(cause) ?? 0) + 1);
        return undefined;
      }
    }
  }
}

async function run(label: string, visitorSide: Instance, agentSide: Instance, target: number): Promise<void> {
  const toAgent = tally();
  const toVisitor = tally();
  let measuring = false;
  let stopping = false;
  const streams: EventStreamClient[] = [];
  const timers: NodeJS.Timeout[] = [];

  // The visitors: each reaches the handover and follows its stream.
  const visitors: { id: string; token: string; agent: number }[] = [];
  for (let index = 0; index < visitorCount; index++) {
    const response = await post(`${visitorSide.base}/api/v1/conversations`, {}, { flow: "helpdesk" });
    if (!response?.ok) throw new Error(`a visitor could not start: ${response?.status ?? "no connection"}`);
    const started = (await response.json()) as { id: string; token: string };
    await post(`${visitorSide.base}/api/v1/conversations/${started.id}/messages`, { authorization: `Bearer ${started.token}` }, { choice: "rechnung" });
    visitors.push({ ...started, agent: index % agentCount });
  }
  for (const visitor of visitors) {
    const stream = openEventStreamClient(`${visitorSide.base}/api/v1/conversations/${visitor.id}/events`, { authorization: `Bearer ${visitor.token}` });
    stream.onEvent = (event) => {
      const text = (event.data as { text?: string }).text ?? "";
      const match = /^a:(\S+):(\d+):([\d.]+)$/.exec(text);
      if (match) arrived(toVisitor, `${match[1]}:${match[2]}`, Number(match[3]), measuring);
    };
    streams.push(stream);
  }
  await Promise.all(streams.map((stream) => stream.opened));

  // The agents: each claims its share and answers every visitor message it reads.
  const members: string[] = [];
  for (let index = 0; index < agentCount; index++) members.push(await agentToken(agentSide, index));
  const lastSeq = new Map<string, number>();
  const reading = new Map<string, Promise<void>>();
  const replies = new Map<string, number>();
  for (const [index, member] of members.entries()) {
    const headers = { authorization: `Bearer ${member}` };
    const mine = visitors.filter((visitor) => visitor.agent === index);
    for (const visitor of mine) {
      await post(`${agentSide.base}/api/v1/inbox/${visitor.id}/claim`, headers);
      lastSeq.set(visitor.id, (await (await fetch(`${agentSide.base}/api/v1/inbox/${visitor.id}`, { headers })).json() as { messages: { seq: number }[] }).messages.at(-1)?.seq ?? 0);
    }
    const ids = new Set(mine.map((visitor) => visitor.id));
    const read = async (conversation: string) => {
      const view = (await (await fetch(`${agentSide.base}/api/v1/inbox/${conversation}?after=${lastSeq.get(conversation) ?? 0}`, { headers })).json()) as { messages: { seq: number; from: string; message: { text?: string } }[] };
      for (const message of view.messages) {
        lastSeq.set(conversation, Math.max(lastSeq.get(conversation) ?? 0, message.seq));
        if (message.from !== "visitor") continue;
        const match = /^v:(\S+):(\d+):([\d.]+)$/.exec(message.message.text ?? "");
        if (!match) continue;
        arrived(toAgent, `${match[1]}:${match[2]}`, Number(match[3]), measuring);
        if (stopping) continue;
        const number = (replies.get(conversation) ?? 0) + 1;
        replies.set(conversation, number);
        const key = `${conversation}:${number}`;
        const sentAt = performance.now();
        toVisitor.pending.set(key, sentAt);
        toVisitor.sent += 1;
        void post(`${agentSide.base}/api/v1/inbox/${conversation}/messages`, headers, { text: `a:${conversation}:${number}:${sentAt}` });
      }
    };
    const nudges = openEventStreamClient(`${agentSide.base}/api/v1/inbox/events`, headers);
    nudges.onEvent = (event) => {
      const signal = event.data as { kind: string; conversation: string };
      if (event.event !== "message" || !ids.has(signal.conversation)) return;
      // One read at a time per conversation; a nudge during a read reads again afterwards.
      const previous = reading.get(signal.conversation) ?? Promise.resolve();
      reading.set(signal.conversation, previous.then(() => read(signal.conversation)).catch(() => undefined));
    };
    streams.push(nudges);
  }
  await Promise.all(streams.map((stream) => stream.opened));

  // Every visitor writes every `intervalMs`, spread over the interval.
  const counters = new Map<string, number>();
  for (const [index, visitor] of visitors.entries()) {
    const send = () => {
      if (stopping) return;
      const number = (counters.get(visitor.id) ?? 0) + 1;
      counters.set(visitor.id, number);
      const key = `${visitor.id}:${number}`;
      const sentAt = performance.now();
      toAgent.pending.set(key, sentAt);
      toAgent.sent += 1;
      void post(`${visitorSide.base}/api/v1/conversations/${visitor.id}/messages`, { authorization: `Bearer ${visitor.token}` }, { text: `v:${visitor.id}:${number}:${sentAt}` });
    };
    timers.push(
      setTimeout(() => {
        send();
        timers.push(setInterval(send, intervalMs));
      }, (index * intervalMs) / visitorCount),
    );
  }
  // A run-in of one interval, then the measured window, then time for the last messages to arrive.
  await new Promise((resolve) => setTimeout(resolve, intervalMs));
  // Where the time goes while measuring: each server's CPU, this load generator's CPU and event-loop delay, and the other processes' share of the machine.
  const pids = [...new Set([visitorSide.server.pid, agentSide.server.pid])];
  const serverCpuBefore = pids.map((pid) => processCpuSeconds(pid));
  const ownCpuBefore = process.cpuUsage();
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const foreign = startForeignCpuMeter(pids);
  const sentBefore = toAgent.sent + toVisitor.sent;
  measuring = true;
  await new Promise((resolve) => setTimeout(resolve, measuredMs));
  measuring = false;
  loopDelay.disable();
  const serverCpu = pids.map((pid, index) => processCpuSeconds(pid) - (serverCpuBefore[index] as number));
  const sentMeanwhile = toAgent.sent + toVisitor.sent - sentBefore;
  const ownCpu = process.cpuUsage(ownCpuBefore);
  const where = {
    serverCpuShare: serverCpu.map((seconds) => `${((100 * seconds) / (measuredMs / 1000)).toFixed(0)} %`).join(" + "),
    loadGeneratorCpuShare: `${((100 * (ownCpu.user + ownCpu.system)) / 1000 / measuredMs).toFixed(0)} %`,
    loadGeneratorLoopDelayP99: `${(loopDelay.percentile(99) / 1e6).toFixed(1)} ms`,
    otherProcessesShareOfMachine: `${(100 * foreign.share()).toFixed(0)} %`,
    // The figure least moved by other processes' load: what one message (either way) costs the servers.
    serverCpuPerMessage: `${((1000 * serverCpu.reduce((sum, seconds) => sum + seconds, 0)) / Math.max(1, sentMeanwhile)).toFixed(2)} ms`,
  };
  stopping = true;
  for (const timer of timers) clearInterval(timer);
  // Up to 60 s for what is still on its way: what arrives then is late, not lost.
  const lateBefore = { toAgent: toAgent.pending.size, toVisitor: toVisitor.pending.size };
  for (let waited = 0; waited < 60_000 && toAgent.pending.size + toVisitor.pending.size > 0; waited += 500) await new Promise((resolve) => setTimeout(resolve, 500));
  for (const stream of streams) stream.close();

  const report = (name: string, into: Tally, pendingAtStop: number) => {
    const sorted = [...into.latencies].sort((a, b) => a - b);
    const p50 = percentile(sorted, 0.5);
    const p99 = percentile(sorted, 0.99);
    console.log(
      `${label.padEnd(28)} ${name.padEnd(18)} sent ${String(into.sent).padStart(6)}  measured ${String(sorted.length).padStart(6)}  p50 ${p50.toFixed(1).padStart(6)} ms  p99 ${p99.toFixed(1).padStart(6)} ms  still on the way at the end ${pendingAtStop}, lost ${into.pending.size}  duplicated ${into.duplicates}  ${p99 <= target && into.pending.size === 0 && into.duplicates === 0 ? "meets" : "MISSES"} p99 ≤ ${target} ms, none lost or twice`,
    );
  };
  report("visitor → agent", toAgent, lateBefore.toAgent);
  report("agent → visitor", toVisitor, lateBefore.toVisitor);
  console.log(`${label.padEnd(28)} while measured: server CPU (of one core) ${where.serverCpuShare}, ${where.serverCpuPerMessage} per message; load generator CPU ${where.loadGeneratorCpuShare}, its event-loop delay p99 ${where.loadGeneratorLoopDelayP99}; other processes ${where.otherProcessesShareOfMachine} of the machine`);
  if (failedRequests > 0) console.log(`${label}: ${failedRequests} requests failed twice (their messages count as lost): ${JSON.stringify(Object.fromEntries(failureCauses))}`);
  failedRequests = 0;
  failureCauses.clear();
}

async function lowdb(): Promise<void> {
  const directory = await mkdtemp(join(tmpdir(), "botschaft-inbox-bench-"));
  const instance = await serve(directory, { BOTSCHAFT_DATA_DIR: join(directory, "data") });
  try {
    await run("lowdb, one instance", instance, instance, targets.p99OneInstanceMs);
  } finally {
    await instance.server.stop("SIGTERM");
    await rm(directory, { recursive: true, force: true });
  }
}

async function postgres(): Promise<void> {
  const schema = `botschaft_bench_${randomBytes(6).toString("hex")}`;
  const directory = await mkdtemp(join(tmpdir(), "botschaft-inbox-bench-"));
  const instances: Instance[] = [];
  const redis: Record<string, string> = values.redis ? { REDIS_URL: process.env.BOTSCHAFT_TEST_REDIS_URL ?? "redis://127.0.0.1:6379" } : {};
  try {
    // One after the other: the first creates the tables.
    for (let index = 0; index < 2; index++) {
      instances.push(
        await serve(join(directory, String(index)), {
          DATABASE_URL: testDatabaseUrl,
          BOTSCHAFT_DATABASE_SCHEMA: schema,
          BOTSCHAFT_SECRET: "inbox-bench-secret-0123456789abcdef0123",
          BOTSCHAFT_DATA_DIR: join(directory, String(index), "data"),
          ...redis,
        }),
      );
    }
    await run(`PostgreSQL, two instances${values.redis ? ", Redis" : ""}`, instances[0] as Instance, instances[1] as Instance, targets.p99TwoInstancesMs);
  } finally {
    for (const instance of instances) await instance.server.stop("SIGTERM");
    await rm(directory, { recursive: true, force: true });
    const admin = new pg.Client({ connectionString: testDatabaseUrl });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
}

console.log(`live chat: ${visitorCount} visitors in a handover, ${agentCount} agents, a visitor message every ${intervalMs} ms each, ${measuredMs / 1000} s measured`);
const stores = String(values.stores).split(",");
if (stores.includes("lowdb")) await lowdb();
if (stores.includes("postgres")) await postgres();
