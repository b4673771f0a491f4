/**
 * Published flows: validates YAML with the core validator, keeps every published version
 * immutably in the store (keyed by content hash) and hands the engine prepared flows, cached
 * per version because preparing costs far more than a turn.
 */
import { createHash } from "node:crypto";
import {
  checkFlowSource,
  type Flow,
  hasErrors,
  knowledgeBasesOf,
  type Language,
  type MessengerChannel,
  type Problem,
  prepareFlow,
  type RunnableFlow,
} from "../../core/index.ts";
import type { FlowVersionStore } from "../../stores/ports/flow-versions.ts";
import { AppError } from "../app-error.ts";
import { OffThreadFlowCheck } from "./off-thread-flow-check.ts";

export interface PublishResult {
  flow: string;
  version: string;
  /** False when this exact content was published before. */
  created: boolean;
  warnings: Problem[];
}

/**
 * A version's id: the hash of the flow's source and of the knowledge bases its `faq` steps use,
 * so a changed knowledge base makes a new version and a conversation keeps the one it started
 * with. A flow without knowledge bases hashes as its source alone (as before there were any).
 */
export function contentVersion(yaml: string, knowledgeBases: Readonly<Record<string, string>> = {}): string {
  const hash = createHash("sha256").update(yaml);
  for (const name of Object.keys(knowledgeBases).sort()) hash.update(`\u0000${name}\u0000`).update(knowledgeBases[name] as string);
  return `sha256:${hash.digest("hex").slice(0, 32)}`;
}

/** The sources of the knowledge bases a flow uses, out of all those beside it. */
function usedSources(flow: Flow, all: Readonly<Record<string, string>>): Record<string, string> {
  const used: Record<string, string> = {};
  for (const name of knowledgeBasesOf(flow)) if (Object.hasOwn(all, name)) used[name] = all[name] as string;
  return used;
}

/** What publishing checks beyond the flow itself, from the runtime's configuration. */
export interface PublishChecks {
  /** The messengers a flow is published to, whose limits the validator checks; none by default. */
  channelsOf?: (flowId: string) => readonly MessengerChannel[];
  /** Hosts webhooks may reach although not public (`BOTSCHAFT_WEBHOOK_ALLOW_HOSTS`); none by default. */
  webhookAllowHosts?: readonly string[];
  /** The knowledge bases beside the flows (`flows/<name>.faq.yaml`, name → source), read at each publish; none by default. */
  knowledgeBases?: () => Promise<Readonly<Record<string, string>>>;
}

export class FlowCatalog {
  private readonly prepared = new Map<string, RunnableFlow>();
  /** Large flows are checked on a worker thread, so a publish does not stall running chats. */
  private readonly checker = new OffThreadFlowCheck();

  constructor(
    private readonly versions: FlowVersionStore,
    private readonly clock: () => Date,
    private readonly checks: PublishChecks = {},
  ) {}

  /** The hosts the validator lets webhooks reach although they are not public (the editor checks with them too). */
  get webhookAllowHosts(): readonly string[] {
    return this.checks.webhookAllowHosts ?? [];
  }

  /**
   * Validates a flow as publishing would, without publishing it. Refuses (`flow-invalid`, with
   * the problems) a flow that has errors, exactly as `botschaft validate` would.
   */
  async check(
    flowId: string,
    yaml: string,
    lang: Language = "en",
    knowledgeBases?: Readonly<Record<string, string>>,
  ): Promise<{ flow: Flow; version: string; warnings: Problem[]; runnable?: RunnableFlow; knowledgeBases: Record<string, string> }> {
    // Given sources are the ones a publish request was submitted with; otherwise those beside the flows now.
    const knowledgeBaseSources = knowledgeBases ?? (await this.checks.knowledgeBases?.()) ?? {};
    const options = { fileName: `${flowId}.yaml`, lang, channels: this.checks.channelsOf?.(flowId) ?? [], webhookAllowHosts: this.webhookAllowHosts, knowledgeBaseSources };
    const provisional = contentVersion(yaml);
    const { flow, problems, runnable } = await this.checker.check(yaml, options, provisional);
    if (!flow || hasErrors(problems)) {
      throw new AppError("flow-invalid", `The flow '${flowId}' has errors and was not published.`, problems);
    }
    const used = usedSources(flow, knowledgeBaseSources);
    const version = contentVersion(yaml, used);
    // The worker prepared the flow under the flow-only hash; with knowledge bases the version differs.
    const prepared = runnable && runnable.version === version ? runnable : undefined;
    return { flow, version, warnings: problems, knowledgeBases: used, ...(prepared ? { runnable: prepared } : {}) };
  }

  /** Validates and publishes a flow together with the knowledge bases its `faq` steps use (see `check`). */
  async publish(flowId: string, yaml: string, lang: Language = "en", knowledgeBases?: Readonly<Record<string, string>>): Promise<PublishResult> {
    const { flow, version, warnings, runnable, knowledgeBases: used } = await this.check(flowId, yaml, lang, knowledgeBases);
    const existing = await this.versions.get(flow.flow, version);
    // Publishing earlier content again makes that version current again (a rollback).
    await this.versions.publish({
      flow: flow.flow,
      version,
      yaml,
      publishedAt: this.clock().toISOString(),
      ...(Object.keys(used).length > 0 ? { knowledgeBases: used } : {}),
    });
    // Already parsed and validated: prepare it now instead of parsing the stored YAML again.
    if (!this.prepared.has(version)) this.prepared.set(version, runnable ?? this.prepare(flow.flow, version, yaml, used));
    return { flow: flow.flow, version, created: !existing, warnings };
  }

  /** The current published version's source, if any. */
  async current(flowId: string): Promise<{ version: string; yaml: string; publishedAt: string; knowledgeBases?: Record<string, string> } | undefined> {
    const record = await this.versions.current(flowId);
    return record && { version: record.version, yaml: record.yaml, publishedAt: record.publishedAt, ...(record.knowledgeBases ? { knowledgeBases: record.knowledgeBases } : {}) };
  }

  /** One stored version's source and first publication time, if it is stored. */
  async stored(flowId: string, version: string): Promise<{ yaml: string; publishedAt: string } | undefined> {
    const record = await this.versions.get(flowId, version);
    return record && { yaml: record.yaml, publishedAt: record.publishedAt };
  }

  /** The newest published version of a flow, prepared for the engine. */
  async latest(flowId: string): Promise<RunnableFlow> {
    const record = await this.versions.current(flowId);
    if (!record) throw new AppError("not-found", `There is no published flow '${flowId}'.`);
    return this.prepare(record.flow, record.version, record.yaml, record.knowledgeBases);
  }

  /** The version a conversation started on: conversations never switch versions. */
  async version(flowId: string, version: string): Promise<RunnableFlow> {
    const cached = this.prepared.get(version);
    if (cached) return cached;
    const record = await this.versions.get(flowId, version);
    if (!record) throw new AppError("not-found", `Flow version ${version} of '${flowId}' is gone.`);
    return this.prepare(record.flow, record.version, record.yaml, record.knowledgeBases);
  }

  /** Prepares a stored version with the knowledge bases stored with it: never the ones on disk now. */
  private prepare(flowId: string, version: string, yaml: string, knowledgeBaseSources: Readonly<Record<string, string>> = {}): RunnableFlow {
    const cached = this.prepared.get(version);
    if (cached) return cached;
    const { flow, knowledgeBases } = checkFlowSource(yaml, { fileName: `${flowId}.yaml`, knowledgeBaseSources });
    if (!flow) throw new Error(`Stored flow version ${version} of '${flowId}' no longer loads.`);
    const runnable = prepareFlow(flow, version, knowledgeBases);
    this.prepared.set(version, runnable);
    return runnable;
  }

  /** Stops the worker thread that checks large flows, if one runs. */
  close(): Promise<void> {
    return this.checker.close();
  }

  async list(): Promise<{ flow: string; version: string; publishedAt: string }[]> {
    const flows = await this.versions.list();
    const latest = await Promise.all(flows.map((flow) => this.versions.current(flow)));
    return latest.flatMap((record) => (record ? [{ flow: record.flow, version: record.version, publishedAt: record.publishedAt }] : []));
  }
}
