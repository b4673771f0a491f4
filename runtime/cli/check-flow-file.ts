import { basename } from "node:path";
import { type CheckSourceOptions, checkFlowSource, type Language, maxFlowBytes } from "../core/index.ts";
import type { FileReport } from "./file-report.ts";
import { inputProblem } from "./input-problem.ts";
import { readFlowBytes } from "./read-flow-bytes.ts";

function describeInternalError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Reads and checks one flow file. Never throws: the core reports bad input as problems, and a
 * bug that throws anyway becomes an error for this file only, so the other files still get checked.
 */
export async function checkFlowFile(file: string, lang: Language, options: Pick<CheckSourceOptions, "channels" | "webhookAllowHosts"> = {}): Promise<FileReport> {
  try {
    const read = await readFlowBytes(file, maxFlowBytes);
    if (read.issue) return { file, problems: [inputProblem(read.issue, lang)] };
    const { flow, problems } = checkFlowSource(read.bytes, { ...options, fileName: basename(file), lang });
    return flow ? { file, flow, problems } : { file, problems };
  } catch (error) {
    return { file, problems: [inputProblem({ kind: "internal-error", reason: describeInternalError(error) }, lang)] };
  }
}
