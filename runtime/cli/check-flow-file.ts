import { basename, dirname } from "node:path";
import { FlowFiles } from "../app/flows/flow-files.ts";
import {
  type CheckSourceOptions,
  checkFlowSource,
  checkKnowledgeBaseSource,
  isKnowledgeBaseFileName,
  knowledgeBaseSuffix,
  type Language,
  maxFlowBytes,
  type Problem,
} from "../core/index.ts";
import type { FileReport } from "./file-report.ts";
import { inputProblem } from "./input-problem.ts";
import { readFlowBytes } from "./read-flow-bytes.ts";
import { schemaCommentProblem } from "./schema-comment.ts";

function describeInternalError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** The knowledge bases beside a flow file (`<name>.faq.yaml` in its directory), by name. */
export function knowledgeBasesBeside(file: string): Promise<Record<string, string>> {
  return new FlowFiles(dirname(file), knowledgeBaseSuffix).readAll().catch(() => ({}));
}

/**
 * Reads and checks one flow or knowledge base file (`*.faq.yaml`). A flow's `faq` steps are
 * checked against the knowledge bases beside it. Never throws: the core reports bad input as
 * problems, and a bug that throws anyway becomes an error for this file only, so the other
 * files still get checked.
 */
export async function checkFlowFile(file: string, lang: Language, options: Pick<CheckSourceOptions, "channels" | "webhookAllowHosts"> = {}): Promise<FileReport> {
  try {
    const read = await readFlowBytes(file, maxFlowBytes);
    if (read.issue) return { file, problems: [inputProblem(read.issue, lang)] };
    const schemaComment = await schemaCommentProblem(file, new TextDecoder().decode(read.bytes), lang);
    const withSchemaComment = (problems: Problem[]) => (schemaComment ? [schemaComment, ...problems] : problems);
    if (isKnowledgeBaseFileName(file)) {
      const { knowledgeBase, problems } = checkKnowledgeBaseSource(read.bytes, { lang });
      return knowledgeBase ? { file, knowledgeBase, problems: withSchemaComment(problems) } : { file, problems: withSchemaComment(problems) };
    }
    const knowledgeBaseSources = await knowledgeBasesBeside(file);
    const { flow, problems } = checkFlowSource(read.bytes, { ...options, fileName: basename(file), lang, knowledgeBaseSources });
    return flow ? { file, flow, problems: withSchemaComment(problems) } : { file, problems: withSchemaComment(problems) };
  } catch (error) {
    return { file, problems: [inputProblem({ kind: "internal-error", reason: describeInternalError(error) }, lang)] };
  }
}
