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

export function contentVersion(yaml: string): string {
  return `sha256:${createHash("sha256").update(yaml).digest("hex").slice(0, 32)}`;
}

/** What publishing checks beyond the flow itself, from the runtime's configuration. */
export interface PublishChecks {
  /** The messengers a flow is published to, whose limits the validator checks; none by default. */
  channelsOf?: (flowId: string) => readonly MessengerChannel[];
  /** Hosts webhooks may reach although not public (`BOTSCHAFT_WEBHOOK_ALLOW_HOSTS`); none by default. */
  webhookAllowHosts?: readonly string[];
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
  async check(flowId: string, yaml: string, lang: Language = "en"): Promise<{ flow: Flow; version: string; warnings: Problem[]; runnable?: RunnableFlow }> {
    const version = contentVersion(yaml);
    const options = { fileName: `${flowId}.yaml`, lang, channels: this.checks.channelsOf?.(flowId) ?? [], webhookAllowHosts: this.webhookAllowHosts };
    const { flow, problems, runnable } = await this.checker.check(yaml, options, version);
    if (!flow || hasErrors(problems)) {
      throw new AppError("flow-invalid", `The flow '${flowId}' has errors and was not published.`, problems);
    }
    return { flow, version, warnings: problems, ...(runnable ? { runnable } : {}) };
  }

  /** Validates and publishes a flow (see `check`). */
  async publish(flowId: string, yaml: string, lang: Language = "en"): Promise<PublishResult> {
    const { flow, version, warnings, runnable } = await this.check(flowId, yaml, lang);
    const existing = await this.versions.get(flow.flow, version);
    // Publishing earlier content again makes that version current again (a rollback).
    await this.versions.publish({ flow: flow.flow, version, yaml, publishedAt: this.clock().toISOString() });
    // Already parsed and validated: prepare it now instead of parsing the stored YAML again.
    if (!this.prepared.has(version)) this.prepared.set(version, runnable ?? prepareFlow(flow, version));
    return { flow: flow.flow, version, created: !existing, warnings };
  }

  /** The current published version's source, if any. */
  async current(flowId: string): Promise<{ version: string; yaml: string; publishedAt: string } | undefined> {
    const record = await this.versions.current(flowId);
    return record && { version: record.version, yaml: record.yaml, publishedAt: record.publishedAt };
  }

  /** The newest published version of a flow, prepared for the engine. */
  async latest(flowId: string): Promise<RunnableFlow> {
    const record = await this.versions.current(flowId);
    if (!record) throw new AppError("not-found", `There is no published flow '${flowId}'.`);
    return this.prepare(record.flow, record.version, record.yaml);
  }

  /** The version a conversation started on: conversations never switch versions. */
  async version(flowId: string, version: string): Promise<RunnableFlow> {
    const cached = this.prepared.get(version);
    if (cached) return cached;
    const record = await this.versions.get(flowId, version);
    if (!record) throw new AppError("not-found", `Flow version ${version} of '${flowId}' is gone.`);
    return this.prepare(record.flow, record.version, record.yaml);
  }

  private prepare(flowId: string, version: string, yaml: string): RunnableFlow {
    const cached = this.prepared.get(version);
    if (cached) return cached;
    const { flow } = checkFlowSource(yaml, { fileName: `${flowId}.yaml` });
    if (!flow) throw new Error(`Stored flow version ${version} of '${flowId}' no longer loads.`);
    const runnable = prepareFlow(flow, version);
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
