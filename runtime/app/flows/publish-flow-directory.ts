/**
 * Publishes every flow file of a directory at start-up, so `npm start` serves `flows/` with no
 * other step. A file with errors is skipped with its problems logged; the others still go live.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "pino";
import { flowIdFromFileName } from "../../core/index.ts";
import { AppError } from "../app-error.ts";
import type { FlowCatalog } from "./flow-catalog.ts";

export async function publishFlowDirectory(catalog: FlowCatalog, directory: string, logger: Logger): Promise<string[]> {
  let names: string[];
  try {
    names = (await readdir(directory)).filter((name) => /\.ya?ml$/i.test(name)).sort();
  } catch (error) {
    logger.warn({ directory, reason: error instanceof Error ? error.message : String(error) }, "cannot read the flows directory");
    return [];
  }
  const published: string[] = [];
  for (const name of names) {
    const flowId = flowIdFromFileName(name);
    try {
      const result = await catalog.publish(flowId, await readFile(join(directory, name), "utf8"));
      published.push(result.flow);
      logger.info({ flow: result.flow, version: result.version, new: result.created, warnings: result.warnings.length }, "flow published");
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      const problems = (error.problems ?? []).map((problem) => `${name}:${problem.line}:${problem.column}: ${problem.severity} ${problem.rule}`);
      logger.error({ file: name, problems }, "flow not published: it has errors (run `npx botschaft validate` for details)");
    }
  }
  return published;
}
