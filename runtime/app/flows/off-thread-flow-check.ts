/**
 * Checks large flows on a worker thread, so that publishing a multi-megabyte flow does not stall
 * chats and health checks for a second (docs/running.md#publishing-a-flow). Small flows are
 * checked in place: below `offThreadMinBytes` the check takes less than a worker's round trip.
 * One worker serves every check in turn; it starts on the first large flow and stops after a
 * minute without work, so a runtime that never sees a large flow never starts one.
 *
 * The worker file sits next to this module with the same extension: `.ts` when the runtime runs
 * from source (tests, `npm start` through tsx, which the worker then registers for itself), `.js`
 * when it runs compiled.
 *
 * @example
 * const checker = new OffThreadFlowCheck();
 * const { flow, problems, runnable } = await checker.check(yaml, { fileName: "callback-request.yaml" }, contentVersion(yaml));
 * await checker.close();
 */
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { type CheckSourceOptions, type CheckSourceResult, checkFlowSource, type RunnableFlow } from "../../core/index.ts";
import type { FlowCheckRequest } from "./flow-check-worker.ts";

/**
 * Flows from this size on go to the worker. Measured on the generated benchmark flows: 170 KB
 * check in about 35 ms in place, 860 KB in about 180 ms; a round trip to a running worker costs
 * about 10 ms plus copying the text and the result.
 */
export const offThreadMinBytes = 256 * 1024;
const idleMs = 60_000;

/** The check's result; from the worker, a flow without errors comes prepared for the engine too. */
export type OffThreadCheckResult = CheckSourceResult & { runnable?: RunnableFlow };

type Reply = { id: number; result: OffThreadCheckResult } | { id: number; error: string };

function workerEntry(): { url: URL; fromSource: boolean } {
  const extension = extname(fileURLToPath(import.meta.url));
  return { url: new URL(`./flow-check-worker${extension}`, import.meta.url), fromSource: extension === ".ts" };
}

/** Starts the worker; from source, it first registers tsx's loader, which Node does not pass on to workers. */
function startWorker(): Worker {
  const { url, fromSource } = workerEntry();
  if (!fromSource) return new Worker(url);
  const loader = import.meta.resolve("tsx/esm/api");
  const bootstrap = `(async () => { const { register } = await import(${JSON.stringify(loader)}); register(); await import(${JSON.stringify(url.href)}); })().catch((error) => { throw error; });`;
  return new Worker(bootstrap, { eval: true });
}

export class OffThreadFlowCheck {
  #worker: Worker | undefined;
  #nextId = 0;
  readonly #pending = new Map<number, { resolve: (result: OffThreadCheckResult) => void; reject: (error: Error) => void }>();
  #idleTimer: NodeJS.Timeout | undefined;

  constructor(private readonly minBytes = offThreadMinBytes) {}

  /**
   * The core's `checkFlowSource`, on the worker for a large source (which also prepares a flow
   * without errors as `version`), in place for a small one.
   */
  check(source: string, options: CheckSourceOptions, version: string): Promise<OffThreadCheckResult> {
    if (source.length < this.minBytes) return Promise.resolve(checkFlowSource(source, options));
    const worker = this.#running();
    clearTimeout(this.#idleTimer);
    const id = this.#nextId++;
    return new Promise<OffThreadCheckResult>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      const request: FlowCheckRequest = { id, source, options, version };
      worker.postMessage(request);
    });
  }

  /** Ends the worker, if one runs; checks still waiting fail. */
  async close(): Promise<void> {
    clearTimeout(this.#idleTimer);
    const worker = this.#worker;
    this.#worker = undefined;
    this.#failAll(new Error("the flow check worker was stopped"));
    await worker?.terminate();
  }

  #running(): Worker {
    if (this.#worker) return this.#worker;
    const worker = startWorker();
    // A waiting worker must not keep the process alive; while a check runs, its promise is awaited anyway.
    worker.unref();
    worker.on("message", (reply: Reply) => this.#settle(reply));
    const failed = (error: Error) => {
      if (this.#worker === worker) this.#worker = undefined;
      this.#failAll(error);
    };
    worker.on("error", failed);
    worker.on("exit", (code) => failed(new Error(`the flow check worker exited with code ${code}`)));
    this.#worker = worker;
    return worker;
  }

  #settle(reply: Reply): void {
    const waiting = this.#pending.get(reply.id);
    if (!waiting) return;
    this.#pending.delete(reply.id);
    if ("error" in reply) waiting.reject(new Error(reply.error));
    else waiting.resolve(reply.result);
    if (this.#pending.size === 0) {
      this.#idleTimer = setTimeout(() => void this.close(), idleMs);
      this.#idleTimer.unref();
    }
  }

  #failAll(error: Error): void {
    for (const waiting of this.#pending.values()) waiting.reject(error);
    this.#pending.clear();
  }
}
