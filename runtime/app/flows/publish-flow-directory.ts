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

export async function publishFlowDirectory(publishing: Publishing, directory: string, logger: Logger): Promise<string[]> {
  let names: string[];
  try {
    // Knowledge bases (`*.faq.yaml`) are no flows: they are published with the flows that use them.
    names = (await readdir(directory)).filter((name) => /\.ya?ml$/i.test(name) && !isKnowledgeBaseFileName(name)).sort();
  } catch (error) {
    logger.warn({ directory, reason: error instanceof Error ? error.message : String(error) }, "cannot read the flows directory");
    return [];
  }
  const published: string[] = [];
  for (const name of names) {
    const flowId = flowIdFromFileName(name);
    try {
      const text = await readRegularFile(join(directory, name));
      if (text === undefined) continue;
      const outcome = await publishing.publish(flowId, text, "en", { actor: "system" });
      if (outcome.kind === "requested") {
        logger.warn({ flow: outcome.request.flow, version: outcome.request.version }, "flow changed: waiting for approval before it goes live");
        continue;
      }
      const { result } = outcome;
      published.push(result.flow);
      logger.info({ flow: result.flow, version: result.version, new: result.created, warnings: result.warnings.length }, "flow published");
    } catch (error) {
      if (error instanceof NotARegularFile) {
        logger.warn({ file: name }, "flow not published: it is a symbolic link or not a regular file");
        continue;
      }
      if (!(error instanceof AppError)) throw error;
      const problems = (error.problems ?? []).map((problem) => `${name}:${problem.line}:${problem.column}: ${problem.severity} ${problem.rule}`);
      logger.error({ file: name, problems }, "flow not published: it has errors (run `npx botschaft validate` for details)");
    }
  }
  return published;
}
