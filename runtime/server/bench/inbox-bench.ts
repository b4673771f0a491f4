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
 * the first, agents on the second, so every message crosses instances through LISTEN/NOTIFY).
 * Servers and clients share this process and its two cores: the figures include the clients'
 * own work. A benchmark, not a test: it exits 0 when a target is missed.
 *
 * Options: --visitors 500  --agents 20  --seconds 30 (measured)  --interval 2000 (ms between a
 *          visitor's messages)  --stores lowdb,postgres
 */
import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { createTestRuntime, type TestMember, type TestRuntime } from "../../testing/create-test-runtime.ts";
import { openEventStreamClient, type EventStreamClient } from "../../testing/event-stream-client.ts";
import { helpdeskFlow } from "../../testing/live-chat-fixtures.ts";
import { openTestStore, testDatabaseUrl } from "../../testing/open-test-store.ts";

const { values } = parseArgs({
  options: {
    visitors: { type: "string", default: "500" },
    agents: { type: "string", default: "20" },
    seconds: { type: "string", default: "30" },
    interval: { type: "string", default: "2000" },
    stores: { type: "string", default: "lowdb,postgres" },
  },
});
const visitorCount = Number(values.visitors);
const agentCount = Number(values.agents);
const measuredMs = Number(values.seconds) * 1000;
const intervalMs = Number(values.interval);

const targets = { p99OneInstanceMs: 100, p99TwoInstancesMs: 250 };

interface Instance {
  runtime: TestRuntime;
  server: Server;
  base: string;
}

async function listen(runtime: TestRuntime): Promise<Instance> {
  const server = runtime.app.listen(0, "127.0.0.1");
  // Longer than any pause of the clients, so no request meets a keep-alive socket the server is just closing.
  server.keepAliveTimeout = 120_000;
  await new Promise((resolve) => server.once("listening", resolve));
  const address = server.address();
  return { runtime, server, base: `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}` };
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
  const members: TestMember[] = [];
  for (let index = 0; index < agentCount; index++) members.push(await agentSide.runtime.member(["agent"], `agent-${index}-${randomBytes(3).toString("hex")}@muster.example`));
  const lastSeq = new Map<string, number>();
  const reading = new Map<string, Promise<void>>();
  const replies = new Map<string, number>();
  for (const [index, member] of members.entries()) {
    const headers = { cookie: member.cookie, "x-csrf-token": member.csrf };
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
    const nudges = openEventStreamClient(`${agentSide.base}/api/v1/inbox/events`, { cookie: member.cookie });
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
  measuring = true;
  await new Promise((resolve) => setTimeout(resolve, measuredMs));
  measuring = false;
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
  if (failedRequests > 0) console.log(`${label}: ${failedRequests} requests failed twice (their messages count as lost): ${JSON.stringify(Object.fromEntries(failureCauses))}`);
  failedRequests = 0;
  failureCauses.clear();
}

async function lowdb(): Promise<void> {
  const directory = await mkdtemp(join(tmpdir(), "botschaft-inbox-bench-"));
  const runtime = await createTestRuntime({ store: await openTestStore("lowdb", { dataDir: directory }), flows: [{ id: "helpdesk", yaml: helpdeskFlow }], logLevel: "silent" });
  const instance = await listen(runtime);
  try {
    await run("lowdb, one instance", instance, instance, targets.p99OneInstanceMs);
  } finally {
    instance.server.closeAllConnections();
    instance.server.close();
    await runtime.close();
    await rm(directory, { recursive: true, force: true });
  }
}

async function postgres(): Promise<void> {
  const schema = `botschaft_bench_${randomBytes(6).toString("hex")}`;
  const instances: Instance[] = [];
  try {
    for (let index = 0; index < 2; index++) {
      instances.push(await listen(await createTestRuntime({ store: await openTestStore("postgres", { schema }), flows: [{ id: "helpdesk", yaml: helpdeskFlow }], logLevel: "silent" })));
    }
    await run("PostgreSQL, two instances", instances[0] as Instance, instances[1] as Instance, targets.p99TwoInstancesMs);
  } finally {
    for (const instance of instances) {
      instance.server.closeAllConnections();
      instance.server.close();
      await instance.runtime.close().catch(() => undefined);
    }
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
