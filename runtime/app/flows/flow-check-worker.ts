/**
 * The worker thread that checks large flows for `OffThreadFlowCheck`: it runs the core's
 * `checkFlowSource` on each request and, for a flow without errors, prepares it for the engine
 * too (that costs a tenth of the check), then posts the result back. Nothing else happens here.
 */
import { parentPort } from "node:worker_threads";
import { type CheckSourceOptions, checkFlowSource, hasErrors, prepareFlow } from "../../core/index.ts";

export interface FlowCheckRequest {
  id: number;
  source: string;
  options: CheckSourceOptions;
  /** The version to prepare a valid flow as. */
  version: string;
}

const port = parentPort;
if (!port) throw new Error("flow-check-worker.ts runs only as a worker thread");
port.on("message", (request: FlowCheckRequest) => {
  try {
    const result = checkFlowSource(request.source, request.options);
    const runnable = result.flow && !hasErrors(result.problems) ? prepareFlow(result.flow, request.version, result.knowledgeBases) : undefined;
    // One message, so the runnable flow and the flow it holds arrive as one object graph.
    port.postMessage({ id: request.id, result: runnable ? { ...result, runnable } : result });
  } catch (error) {
    port.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) });
  }
});
