/**
 * Server start with many flows (`npm run bench:start`): writes `--flows` copies of the reference
 * flow (each with its own id) into a fresh flows directory and measures `botschaft serve` as
 * `npm start` runs it, from spawning the process to the first 200 on /healthz, which answers only
 * once every flow is published. Three starts each: the first publishes every flow (new
 * versions stored), the next two find them unchanged. Embedded store by default, or PostgreSQL
 * with `--database-url` (a fresh schema). Target (issue 18): under 10 s with 1,000 flows.
 *
 * Options: --flows 1000  --starts 3  --database-url postgres://…
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import pg from "pg";
import { botschaftBin, startServerProcess } from "../../testing/server-process.ts";

const { values } = parseArgs({ options: { flows: { type: "string", default: "1000" }, starts: { type: "string", default: "3" }, "database-url": { type: "string" } } });
const flowCount = Number(values.flows);
const starts = Number(values.starts);
const databaseUrl = values["database-url"];
const schema = "botschaft_bench_start";
const reference = await readFile(fileURLToPath(new URL("../../../examples/callback-request.yaml", import.meta.url)), "utf8");

const root = await mkdtemp(join(tmpdir(), "botschaft-start-bench-"));
try {
  const flowsDir = join(root, "flows");
  await mkdir(flowsDir);
  const width = String(flowCount).length;
  for (let index = 1; index <= flowCount; index++) {
    const id = `callback-request-${String(index).padStart(width, "0")}`;
    await writeFile(join(flowsDir, `${id}.yaml`), reference.replace(/^flow: callback-request\b/m, `flow: ${id}`));
  }
  if (databaseUrl) {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }
  console.log(`Start of \`botschaft serve\` with ${flowCount} flows in flows/, ${databaseUrl ? "on PostgreSQL" : "on the embedded store"}; Node ${process.version}.`);
  for (let start = 1; start <= starts; start++) {
    const startedAt = performance.now();
    const server = await startServerProcess({
      args: [botschaftBin, "serve"],
      env: {
        BOTSCHAFT_DATA_DIR: join(root, "data"),
        BOTSCHAFT_FLOWS_DIR: flowsDir,
        BOTSCHAFT_SECRET: "bench-secret-bench-secret-bench-secret-0123",
        LOG_LEVEL: "warn",
        ...(databaseUrl ? { DATABASE_URL: databaseUrl, BOTSCHAFT_DATABASE_SCHEMA: schema } : {}),
      },
      readyPath: "/healthz",
    });
    const seconds = (performance.now() - startedAt) / 1000;
    const memory = server.memory();
    await server.stop();
    console.log(`  start ${start} (${start === 1 ? "publishes every flow" : "flows unchanged"}): ${seconds.toFixed(2)} s to ready, peak RSS ${(memory.peakRssBytes / 2 ** 20).toFixed(0)} MiB`);
  }
} finally {
  await rm(root, { recursive: true, force: true });
}
