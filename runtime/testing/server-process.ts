/**
 * An HTTP server under test in its own Node process, for the runtime benchmark and the
 * durability test: started on a free port, ready once a GET on its readiness path answers 200,
 * stopped by a signal. Its own process, so that its RSS is its own and a SIGKILL hits only it.
 *
 * @example
 * ```ts
 * const server = await startServerProcess({ args: [botschaftBin, "serve"], env: { BOTSCHAFT_DATA_DIR: dir }, readyPath: "/healthz" });
 * const reply = await fetch(`${server.url}/healthz`);
 * console.log(server.memory());
 * await server.stop();
 * ```
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

/** `botschaft serve` as `npm start` runs it. */
export const botschaftBin = fileURLToPath(new URL("../cli/bin/botschaft.js", import.meta.url));

/** Node arguments that run a TypeScript entry file, as the benchmark's own servers are. */
export function typeScriptEntry(path: string): string[] {
  return ["--import", import.meta.resolve("tsx"), path];
}

/**
 * A port that was free a moment ago: bound on port 0, read and released. The server is then told
 * the number, because `PORT=0` would leave the caller without a documented way to learn it.
 */
export async function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => (port > 0 ? resolve(port) : reject(new Error("no port was assigned"))));
    });
  });
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Resident memory of a running process, in bytes: now and its peak so far. */
export interface ProcessMemory {
  rssBytes: number;
  peakRssBytes: number;
}

/** VmRSS and VmHWM from /proc (Linux): the child's own figures, without asking it. */
export function processMemory(pid: number): ProcessMemory {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kibibytes = (field: string): number => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
    if (!match?.[1]) throw new Error(`/proc/${pid}/status has no ${field}`);
    return Number(match[1]) * 1024;
  };
  return { rssBytes: kibibytes("VmRSS"), peakRssBytes: kibibytes("VmHWM") };
}

export interface ServerProcessOptions {
  /** Arguments to `node`, starting with any Node options. */
  args: string[];
  /** Added to the parent's environment; `PORT` and `HOST` are set here. */
  env?: Record<string, string>;
  /** A GET path that answers 200 once the server takes requests. */
  readyPath: string;
  /** How long the start may take (a store of 100k conversations takes seconds to load). Default 120 s. */
  readyTimeoutMs?: number;
  /** Where the child's stdout goes: its request log, kept out of the parent's output. Default: discarded. */
  stdout?: "ignore" | "capture";
}

export interface ServerProcess {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** Resolves when the process has ended, however it ended. */
  readonly exited: Promise<ProcessExit>;
  /** Everything the process wrote to stderr (and stdout, when captured) so far. */
  output(): string;
  memory(): ProcessMemory;
  /** Sends `signal` and resolves once the process has ended; SIGKILL after `graceMs` if it has not. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<ProcessExit>;
}

function exitOf(child: ChildProcess): Promise<ProcessExit> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
    else {
      child.once("exit", (code, signal) => resolve({ code, signal }));
      // A process that could not be spawned emits no "exit".
      child.once("error", () => resolve({ code: child.exitCode, signal: child.signalCode }));
    }
  });
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Servers still running. Should this process end without stopping them (a crash, Ctrl-C), they go with it. */
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/** Starts `node <args>` with `PORT` set to a free port and waits until the readiness path answers. */
export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const host = "127.0.0.1";
  const port = await freePort(host);
  const child = spawn(process.execPath, options.args, {
    env: { ...process.env, ...options.env, PORT: String(port), HOST: host },
    stdio: ["ignore", options.stdout === "capture" ? "pipe" : "ignore", "pipe"],
  });
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk.toString("utf8");
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  running.add(child);
  const exited = exitOf(child);
  void exited.then(() => running.delete(child));
  const url = `http://${host}:${port}`;
  const server: ServerProcess = {
    url,
    port,
    pid: child.pid ?? -1,
    exited,
    output: () => output,
    memory: () => processMemory(child.pid ?? -1),
    stop: async (signal = "SIGTERM", graceMs = 30_000) => {
      child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };

  let ended: ProcessExit | undefined;
  void exited.then((exit) => {
    ended = exit;
  });
  const deadline = Date.now() + (options.readyTimeoutMs ?? 120_000);
  while (Date.now() < deadline) {
    if (ended) {
      throw new Error(`The server process ended before it was ready (exit ${ended.code ?? ended.signal}):\n${output}`);
    }
    try {
      const response = await fetch(`${url}${options.readyPath}`);
      await response.arrayBuffer();
      if (response.ok) return server;
    } catch {
      // Not listening yet: try again shortly.
    }
    await pause(100);
  }
  await server.stop("SIGKILL");
  throw new Error(`The server process was not ready after ${options.readyTimeoutMs ?? 120_000} ms:\n${output}`);
}
