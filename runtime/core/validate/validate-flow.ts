/**
 * The validator on an already parsed flow document: format migration, JSON Schema, then every
 * rule. This is what the editor re-runs after each edit (no parsing); `checkFlowSource` adds
 * parsing and locations for files.
 */
import type { Flow } from "../dsl/flow.ts";
import type { KnowledgeBase } from "../dsl/knowledge-base.generated.ts";
import { checkFaqReferences } from "../faq/check-faq-references.ts";
import { currentFormat, migrateFlowDocument } from "../dsl/migrate.ts";
import { buildFlowGraph } from "./flow-graph.ts";
import { message } from "./messages.ts";
import { indexFields } from "./personal-fields-index.ts";
import type { MessengerChannel } from "../channels/channel-table.ts";
import type { Language, UnlocatedProblem } from "./problem.ts";
import { rules } from "./rules/index.ts";
import { checkSchema } from "./schema-check.ts";

export interface CheckValueOptions {
  lang?: Language;
  /** The id the flow must have, e.g. the file name without extension. */
  expectedId?: string;
  /** Messengers the flow is published to: `channel-limits` checks their limits. */
  channels?: readonly MessengerChannel[];
  /**
   * `host[:port]` entries a webhook may reach although they are not public, as the runtime is
   * configured (`BOTSCHAFT_WEBHOOK_ALLOW_HOSTS`); `webhook-address` lets them through.
   */
  webhookAllowHosts?: readonly string[];
  /**
   * The knowledge bases next to the flow (name → YAML source of `<name>.faq.yaml`). Given, the
   * `faq` steps' references are checked (`faq-reference`) and the ones used come back parsed.
   */
  knowledgeBaseSources?: Readonly<Record<string, string>>;
}

export interface CheckValueResult {
  /** The flow, when it is schema-valid (it may still have rule problems). */
  flow?: Flow;
  problems: UnlocatedProblem[];
  /** The knowledge bases the flow's `faq` steps use, when `knowledgeBaseSources` was given and they are valid. */
  knowledgeBases?: Record<string, KnowledgeBase>;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Validates a parsed flow document.
 *
 * @example
 * const { flow, problems } = checkFlowValue(YAML.parse(text), { lang: "de", expectedId: "callback-request" });
 * if (!hasErrors(problems)) publish(flow);
 */
export function checkFlowValue(value: unknown, options: CheckValueOptions = {}): CheckValueResult {
  const lang = options.lang ?? "en";
  if (!isMapping(value) || !("nodes" in value || "flow" in value)) {
    return { problems: [{ rule: "schema", severity: "error", pointer: "", message: message("not-a-flow", undefined, lang) }] };
  }
  const migrated = migrateFlowDocument(value);
  if ("unsupportedFormat" in migrated) {
    const text = message("format-unsupported", { format: migrated.unsupportedFormat, current: currentFormat }, lang);
    return { problems: [{ rule: "schema", severity: "error", pointer: "/format", message: text }] };
  }

  const problems: UnlocatedProblem[] = [];
  const document = migrated.document;
  if (options.expectedId !== undefined && typeof document.flow === "string" && document.flow !== options.expectedId) {
    const text = message("flow-id-mismatch", { id: document.flow, expected: options.expectedId }, lang);
    problems.push({ rule: "schema", severity: "error", pointer: "/flow", message: text });
  }
  const { flow, problems: schemaProblems } = checkSchema(document, lang);
  problems.push(...schemaProblems);
  // The rules read the flow's shape; on a schema-invalid document they would report noise.
  if (!flow) return { problems };

  const graph = buildFlowGraph(flow);
  const context = { flow, graph, fields: indexFields(graph, flow.fields), lang, channels: options.channels ?? [], webhookAllowHosts: options.webhookAllowHosts ?? [] };
  for (const rule of rules) problems.push(...rule(context));
  if (!options.knowledgeBaseSources) return { flow, problems };
  const faq = checkFaqReferences(flow, options.knowledgeBaseSources, lang);
  problems.push(...faq.problems);
  return { flow, problems, knowledgeBases: faq.knowledgeBases };
}
