/**
 * "Leads that never get lost" (docs/deliveries.md), on the real server in its own process and a
 * fake CRM over real HTTPS: leads are taken while the CRM is down, the server is killed with
 * SIGKILL while deliveries are in flight, restarted on the same data directory, and every lead
 * still arrives — signed, under one idempotency key each. The CRM's certificate is trusted
 * through NODE_EXTRA_CA_CERTS and reached through BOTSCHAFT_WEBHOOK_ALLOW_HOSTS, as an
 * on-premises CRM would be.
 *
 * Over the network on purpose (CONTRIBUTING.md#tests): the subject is the process and its death.
 */
import { createHmac } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestCertificate } from "../integrations/webhook/create-test-certificate.ts";
import { type HttpsTestServer, startHttpsTestServer } from "../integrations/webhook/start-https-test-server.ts";
import { botschaftBin, type ServerProcess, startServerProcess } from "../testing/server-process.ts";

const flowId = "callback-durable";
const flowFile = fileURLToPath(new URL("../../examples/callback-durable.yaml", import.meta.url));
const adminToken = "delivery-durability-admin-token-0123";

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function call(baseUrl: string, method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(20_000),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** A visitor leaves name and number; resolves once the bot thanked them (the lead is stored). */
async function lead(baseUrl: string, name: string): Promise<void> {
  const started = await call(baseUrl, "POST", "/conversations", { flow: flowId });
  const { id, token } = started.json as { id: string; token: string };
  let last = started;
  for (const body of [{ choice: "Rückruf anfordern" }, { choice: "accept" }, { text: name }, { text: "030 123456" }]) {
    last = await call(baseUrl, "POST", `/conversations/${id}/messages`, body, token);
    if (last.status !== 200) throw new Error(`turn answered ${last.status}`);
  }
  expect(JSON.stringify(last.json)).toContain(`Danke, ${name}!`);
}

describe("durable deliveries across kill -9", () => {
  let directory: string;
  let env: Record<string, string>;
  let crm: HttpsTestServer;
  const running: ServerProcess[] = [];

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), "botschaft-deliveries-"));
    const certificate = await createTestCertificate();
    crm = await startHttpsTestServer(certificate);
    await writeFile(join(directory, "crm-ca.pem"), certificate.cert);
    const flowsDir = join(directory, "flows");
    await mkdir(flowsDir);
    const flow = (await readFile(flowFile, "utf8")).replace("https://crm.muster.example/api/callbacks", `https://localhost:${crm.port}/leads`);
    await writeFile(join(flowsDir, `${flowId}.yaml`), flow);
    env = {
      BOTSCHAFT_DATA_DIR: join(directory, "data"),
      BOTSCHAFT_FLOWS_DIR: flowsDir,
      BOTSCHAFT_SECRET: "delivery-durability-secret-0123456789abcdef",
      BOTSCHAFT_ADMIN_TOKEN: adminToken,
      BOTSCHAFT_RATE_CONVERSATIONS: "100000",
      BOTSCHAFT_RATE_MESSAGES: "100000",
      BOTSCHAFT_WEBHOOK_ALLOW_HOSTS: `localhost:${crm.port}`,
      NODE_EXTRA_CA_CERTS: join(directory, "crm-ca.pem"),
      LOG_LEVEL: "warn",
    };
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((server) => server.stop("SIGKILL")));
    await crm.close();
    await rm(directory, { recursive: true, force: true });
  });

  const start = async () => {
    const server = await startServerProcess({ args: [botschaftBin, "serve"], env, readyPath: "/healthz", readyTimeoutMs: 30_000 });
    running.push(server);
    return server;
  };

  it("delivers every lead taken while the CRM was down, although the server was killed with deliveries in flight", async () => {
    /** The CRM: down (503), then slow (answers after 400 ms), then well; it keeps what it took by idempotency key. */
    let mode: "down" | "slow" | "up" = "down";
    const taken = new Map<string, { name: string; signature: string; body: string }>();
    let answered503 = 0;
    let inFlight = 0;
    crm.route("/leads", (response, request) => {
      const key = String(request.headers["idempotency-key"]);
      if (mode === "down") {
        answered503++;
        response.writeHead(503).end();
        return;
      }
      const take = () => {
        inFlight--;
        taken.set(key, { name: (JSON.parse(request.body) as { name: string }).name, signature: String(request.headers["x-botschaft-signature"]), body: request.body });
        response.writeHead(200, { "content-type": "application/json" }).end("{}");
      };
      inFlight++;
      if (mode === "slow") setTimeout(take, 400);
      else take();
    });

    const first = await start();
    const names = Array.from({ length: 60 }, (_, index) => `Kundin Nummer ${index}`);
    for (let batch = 0; batch < names.length; batch += 10) await Promise.all(names.slice(batch, batch + 10).map((name) => lead(first.url, name)));
    const secret = (await call(first.url, "GET", "/admin/delivery-secret", undefined, adminToken)).json.secret as string;
    // Every lead was tried once at once and refused.
    await until(() => answered503 >= names.length, 10_000, "the first attempts");

    // The CRM comes back, slowly; the first retries (within 5 s) are in flight when the server dies.
    mode = "slow";
    await until(() => inFlight >= 5, 15_000, "deliveries in flight");
    await first.stop("SIGKILL");
    expect(taken.size).toBeLessThan(names.length);

    mode = "up";
    const second = await start();
    await until(() => taken.size >= names.length, 45_000, "every lead to arrive");
    const pending = await call(second.url, "GET", "/admin/deliveries", undefined, adminToken);
    expect(pending.json).toMatchObject({ failed: 0 });
    expect([...taken.values()].map((lead) => lead.name).sort()).toEqual([...names].sort());
    for (const lead of taken.values()) expect(lead.signature).toBe(`sha256=${createHmac("sha256", secret).update(lead.body).digest("hex")}`);
  }, 90_000);

  it("counts nothing with BOTSCHAFT_ANALYTICS=off, and counts again without it, while every lead is delivered", async () => {
    const taken = new Set<string>();
    crm.route("/leads", (response, request) => {
      taken.add(String(request.headers["idempotency-key"]));
      response.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
    const report = async (server: ServerProcess) => (await call(server.url, "GET", `/admin/analytics/${flowId}`, undefined, adminToken)).json.versions as { totals: Record<string, unknown> }[];

    env = { ...env, BOTSCHAFT_ANALYTICS: "off" };
    const off = await start();
    for (let index = 0; index < 5; index++) await lead(off.url, `Kunde ${index}`);
    expect(await report(off)).toEqual([]);
    await until(() => taken.size >= 5, 15_000, "the leads taken without counters");
    await off.stop("SIGTERM");
    running.splice(0);

    const { BOTSCHAFT_ANALYTICS: _, ...counting } = env;
    env = counting;
    const on = await start();
    for (let index = 5; index < 10; index++) await lead(on.url, `Kunde ${index}`);
    const versions = await report(on);
    expect(versions).toHaveLength(1);
    expect(versions[0]?.totals).toMatchObject({ started: 5, completed: 5 });
    await until(() => taken.size >= 10, 15_000, "every lead");
  }, 60_000);
});
