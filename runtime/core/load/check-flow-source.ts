/**
 * The whole check of one flow file: bytes → text → YAML → schema → rules, every problem with
 * its line and column. Never throws for bad input. Valid files take the fast path; pointers are
 * located only when there are problems to report.
 */
import type { Flow } from "../dsl/flow.ts";
import type { KnowledgeBase } from "../dsl/knowledge-base.generated.ts";
import type { MessengerChannel } from "../channels/channel-table.ts";
import type { Language, Problem } from "../validate/problem.ts";
import { checkFlowValue } from "../validate/validate-flow.ts";
import { locateProblems, readYamlSource } from "./read-yaml-source.ts";

export { locateProblems, maxFlowBytes, type ReadSource, readYamlSource } from "./read-yaml-source.ts";

export interface CheckSourceOptions {
  /** The file's name or path; `flow:` must equal its base name without `.yaml`/`.yml`. */
  fileName?: string;
  lang?: Language;
  /** Messengers the flow is published to: `channel-limits` checks their limits. */
  channels?: readonly MessengerChannel[];
  /** `host[:port]` entries a webhook may reach although not public (`BOTSCHAFT_WEBHOOK_ALLOW_HOSTS`). */
  webhookAllowHosts?: readonly string[];
  /** The knowledge bases next to the flow, name → YAML source (see `CheckValueOptions`). */
  knowledgeBaseSources?: Readonly<Record<string, string>>;
}

export interface CheckSourceResult {
  /** The flow, when it is schema-valid (it may still have rule problems). */
  flow?: Flow;
  problems: Problem[];
  /** The knowledge bases the flow's `faq` steps use, parsed (when `knowledgeBaseSources` was given). */
  knowledgeBases?: Record<string, KnowledgeBase>;
}

/** `dir/callback-request.yaml` → `callback-request`. */
export function flowIdFromFileName(fileName: string): string {
  const base = fileName.slice(Math.max(fileName.lastIndexOf("/"), fileName.lastIndexOf("\\")) + 1);
  return base.replace(/\.ya?ml$/i, "");
}



/**
 * Checks a flow file's content.
 *
 * @example
 * const { flow, problems } = checkFlowSource(await readFile(path), { fileName: path, lang: "de" });
 * for (const p of problems) console.log(`${path}:${p.line}:${p.column}: ${p.severity} ${p.rule}: ${p.message}`);
 */
export function checkFlowSource(source: string | Uint8Array, options: CheckSourceOptions = {}): CheckSourceResult {
  const lang = options.lang ?? "en";
  const read = readYamlSource(source, lang);
  if ("problems" in read) return { problems: read.problems };

  const expectedId = options.fileName === undefined ? undefined : flowIdFromFileName(options.fileName);
  const { flow, problems, knowledgeBases } = checkFlowValue(read.value, {
    lang,
    ...(expectedId === undefined ? {} : { expectedId }),
    ...(options.channels ? { channels: options.channels } : {}),
    ...(options.webhookAllowHosts ? { webhookAllowHosts: options.webhookAllowHosts } : {}),
    ...(options.knowledgeBaseSources ? { knowledgeBaseSources: options.knowledgeBaseSources } : {}),
  });
  const withPositions = locateProblems(read, problems);
  if (!flow) return { problems: withPositions };
  return knowledgeBases ? { flow, problems: withPositions, knowledgeBases } : { flow, problems: withPositions };
}
