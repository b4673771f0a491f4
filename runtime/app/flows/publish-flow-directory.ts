/**
 * Publishes every flow file of a directory at start-up, so `npm start` serves `flows/` with no
 * other step. A file with errors is skipped with its problems logged; the others still go live.
 * With four-eyes publishing on, a changed file becomes a publish request instead (by `system`).
 * A symbolic link is skipped too: it could point anywhere the process can read.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "pino";
import { flowIdFromFileName, isKnowledgeBaseFileName } from "../../core/index.ts";
import { AppError } from "../app-error.ts";
import type { Publishing } from "./publishing.ts";
import { NotARegularFile, readRegularFile } from "./read-regular-file.ts";

/** Flows published at the same time at start-up. */
const publishConcurrency = 16;

export async function publishFlowDirectory(publishing: Publishing, directory: string, logger: Logger): Promise<string[]> {
  let names: string[];
  try {
    // Knowledge bases (`*.faq.yaml`) are no flows: they are published with the flows that use them.
    names = (await readdir(directory)).filter((name) => /\.ya?ml$/i.test(name) && !isKnowledgeBaseFileName(name)).sort();
  } catch (error) {
    logger.warn({ directory, reason: error instanceof Error ? error.message : String(error) }, "cannot read the flows directory");
    return [];
  }
  type Outcome = { kind: "published"; flow: string } | { kind: "skipped" };
  const publishOne = async (name: string): Promise<{ outcome: Outcome; log: () => void }> => {
    const flowId = flowIdFromFileName(name);
    try {
      const text = await readRegularFile(join(directory, name));
      if (text === undefined) return { outcome: { kind: "skipped" }, log: () => {} };
      const outcome = await publishing.publish(flowId, text, "en", { actor: "system" });
      if (outcome.kind === "requested") {
        return { outcome: { kind: "skipped" }, log: () => logger.warn({ flow: outcome.request.flow, version: outcome.request.version }, "flow changed: waiting for approval before it goes live") };
      }
      const { result } = outcome;
      return {
        outcome: { kind: "published", flow: result.flow },
        log: () => logger.info({ flow: result.flow, version: result.version, new: result.created, warnings: result.warnings.length }, "flow published"),
      };
    } catch (error) {
      if (error instanceof NotARegularFile) {
        return { outcome: { kind: "skipped" }, log: () => logger.warn({ file: name }, "flow not published: it is a symbolic link or not a regular file") };
      }
      if (!(error instanceof AppError)) throw error;
      const problems = (error.problems ?? []).map((problem) => `${name}:${problem.line}:${problem.column}: ${problem.severity} ${problem.rule}`);
      return { outcome: { kind: "skipped" }, log: () => logger.error({ file: name, problems }, "flow not published: it has errors (run `npx botschaft validate` for details)") };
    }
  };
  // A few at a time: each publish waits for its store write to be durable (the embedded store's
  // journal sync, a PostgreSQL commit), and concurrent writes share one sync. One at a time, a
  // directory of 1,000 flows took 8 s to start on a busy disk (docs/benchmarks.md#server-start).
  // Logged in file-name order all the same.
  const published: string[] = [];
  for (let first = 0; first < names.length; first += publishConcurrency) {
    const results = await Promise.all(names.slice(first, first + publishConcurrency).map(publishOne));
    for (const { outcome, log } of results) {
      log();
      if (outcome.kind === "published") published.push(outcome.flow);
    }
  }
  return published;
}
