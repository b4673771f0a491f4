/**
 * Webhook intake benchmark (`npm run bench:channels`): deliveries per second through signature
 * check + dedupe + durable enqueue, the part of a webhook that must finish before the platform
 * gets its 200. Processing is held back (a reorder window longer than the run), so the figures
 * are intake alone. The store is the embedded lowdb store with its fsync'd group-commit journal,
 * as `npm start` runs it.
 *
 * Three measurements:
 * 1. in-process: `ChannelHub.intake` called directly with Telegram updates, 64 at a time;
 * 2. HTTP Telegram: autocannon, 50 connections, every request a new `update_id` from 5,000 chats;
 * 3. HTTP WhatsApp: the same with HMAC-SHA256-signed Cloud API payloads (signed by the client).
 * For the HTTP runs the server runs in a child process of its own (this file with `--serve`), so
 * the load generator's CPU is not counted against it, and gets 2 s of unmeasured warm-up load. A benchmark, not a test: it prints
 * figures and exits 0.
 *
 * Options: --duration 5 (seconds per HTTP run)  --deliveries 20000 (in-process)  --connections 50;
 * BENCH_CPU_PROF=<dir> writes a V8 CPU profile of each HTTP server process there.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import type { ChannelHub } from "../../app/messaging/channel-hub.ts";
import { createTestRuntime, metaAppSecret, phoneNumberId, type TestRuntime, telegramSecret } from "../../testing/create-test-runtime.ts";
import { openTestStore } from "../../testing/open-test-store.ts";
import { signMeta } from "../verify-signature.ts";

const { values } = parseArgs({
  options: { duration: { type: "string", default: "5" }, deliveries: { type: "string", default: "20000" }, connections: { type: "string", default: "50" }, serve: { type: "boolean", default: false } },
});
const duration = Number(values.duration);
const total = Number(values.deliveries);
const connections = Number(values.connections);
const target = 2000;

let updateId = 1;
function telegramUpdate(): string {
  const id = updateId++;
  const chat = 100_000 + (id % 5000);
  return JSON.stringify({
    update_id: id,
    message: { message_id: id, date: Math.floor(Date.now() / 1000), from: { id: chat, is_bot: false, first_name: "Bench" }, chat: { id: chat, type: "private" }, text: "Öffnungszeiten bitte" },
  });
}

let wamid = 1;
function whatsappPayload(): string {
  const id = wamid++;
  const from = String(4915100000000 + (id % 5000));
  return JSON.stringify({
    object: "whatsapp_business_account",
    entry: [{ id: "WABA", changes: [{ field: "messages", value: { messaging_product: "whatsapp", metadata: { display_phone_number: "4930123456", phone_number_id: phoneNumberId }, contacts: [{ profile: { name: "Bench" }, wa_id: from }], messages: [{ from, id: `wamid.bench${id}`, timestamp: String(Math.floor(Date.now() / 1000)), type: "text", text: { body: "Grüße 🙂" } }] } }] }],
  });
}

async function withHarness<T>(run: (harness: TestRuntime & { hub: ChannelHub }) => Promise<T>): Promise<T> {
  const dataDir = await mkdtemp(join(tmpdir(), "botschaft-intake-bench-"));
  const store = await openTestStore("lowdb", { dataDir });
  const harness = await createTestRuntime({ store, logLevel: "warn", messengers: { telegramBase: "http://127.0.0.1:9", graphBase: "http://127.0.0.1:9/v26.0" }, hub: { reorderWindowMs: 10 * 60_000 } });
  const { hub } = harness;
  try {
    if (!hub) throw new Error("the test runtime has no messenger hub");
    return await run({ ...harness, hub });
  } finally {
    await harness.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function inProcess(): Promise<number> {
  return withHarness(async ({ hub }) => {
    const headers = { "x-telegram-bot-api-secret-token": telegramSecret, "content-type": "application/json" };
    const bodies = Array.from({ length: total }, () => Buffer.from(telegramUpdate()));
    const started = performance.now();
    for (let offset = 0; offset < bodies.length; offset += 64) {
      const results = await Promise.all(bodies.slice(offset, offset + 64).map((body) => hub.intake("telegram", body, headers)));
      if (results.some((result) => result.status !== 200)) throw new Error("intake refused a genuine delivery");
    }
    return total / ((performance.now() - started) / 1000);
  });
}

/** Child mode: serve the webhook routes until stdin closes, printing the port. */
async function serveForBench(): Promise<void> {
  await withHarness(async ({ app }) => {
    const server: Server = await new Promise((resolve) => {
      const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
    });
    console.log(`port ${(server.address() as AddressInfo).port}`);
    process.stdin.resume();
    await once(process.stdin, "end");
    await new Promise((resolve) => server.close(resolve));
  });
}

async function overHttp(channel: "telegram" | "whatsapp"): Promise<autocannon.Result> {
  const child = spawn(process.execPath, [...(process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []), "--import", "tsx", fileURLToPath(import.meta.url), "--serve"], { stdio: ["pipe", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      const match = /port (\d+)/.exec(chunk.toString());
      if (match) resolve(Number(match[1]));
    });
    child.once("exit", () => reject(new Error("the bench server exited")));
  });
  const load = (seconds: number) =>
    new Promise<autocannon.Result>((resolve, reject) => {
      autocannon(
        {
          url: `http://127.0.0.1:${port}/channels/${channel}/webhook`,
          connections,
          duration: seconds,
          requests: [
            {
              method: "POST",
              setupRequest: (request) => {
                const body = channel === "telegram" ? telegramUpdate() : whatsappPayload();
                const auth = channel === "telegram" ? { "x-telegram-bot-api-secret-token": telegramSecret } : { "x-hub-signature-256": signMeta(body, metaAppSecret) };
                return { ...request, body, headers: { "content-type": "application/json", ...auth } };
              },
            },
          ],
        },
        (error: unknown, result: autocannon.Result) => (error ? reject(error) : resolve(result)),
      );
    });
  try {
    // Unmeasured: the fresh process compiles and optimises its hot paths first.
    await load(2);
    return await load(duration);
  } finally {
    child.stdin.end();
    await once(child, "exit");
  }
}

function verdict(rate: number): string {
  return rate >= target ? `meets ≥ ${target}/s` : `MISSES ${target}/s`;
}

if (values.serve) {
  await serveForBench();
  process.exit(0);
}
const inProcessRate = await inProcess();
console.log(`in-process intake (Telegram, lowdb, ${total} deliveries): ${Math.round(inProcessRate)} deliveries/s — ${verdict(inProcessRate)}`);
for (const channel of ["telegram", "whatsapp"] as const) {
  const result = await overHttp(channel);
  const rate = result.requests.average;
  const refused = result.non2xx + result.errors + result.timeouts;
  console.log(
    `HTTP intake (${channel}, lowdb, ${connections} connections, ${duration} s): ${Math.round(rate)} deliveries/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${refused} not 2xx — ${verdict(rate)}`,
  );
}
