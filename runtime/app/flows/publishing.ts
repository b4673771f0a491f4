/**
 * Publishing, with or without four eyes. Without approval a valid flow goes live at once. With
 * `BOTSCHAFT_PUBLISH_APPROVAL=dpo` a publish becomes a request; a data protection officer (or an
 * administrator) other than the requester approves it — it goes live exactly as submitted — or
 * rejects it with a reason. The reviewer sees the validator's result, the diff against the live
 * version and how the generated privacy texts change. Every step is in the audit trail.
 */
import { randomUUID } from "node:crypto";
import { type Language, privacyPolicyText, processingRecordText, type Problem } from "../../core/index.ts";
import type { PublishRequestRecord, PublishRequestStore } from "../../stores/ports/publish-requests.ts";
import type { Principal } from "../accounts/principal.ts";
import { AppError } from "../app-error.ts";
import type { AuditActor, AuditTrail } from "../audit/audit-trail.ts";
import type { FlowCatalog, PublishResult } from "./flow-catalog.ts";

export type PublishApproval = "dpo" | undefined;

export interface PublishingDeps {
  catalog: FlowCatalog;
  requests: PublishRequestStore;
  audit: AuditTrail;
  clock: () => Date;
  /** Four-eyes publishing (`BOTSCHAFT_PUBLISH_APPROVAL`), off when undefined. */
  approval: PublishApproval;
  /** Where the runtime runs (`BOTSCHAFT_REGION`), for the privacy texts the reviewer compares. */
  region: string;
}

export type PublishOutcome = { kind: "published"; result: PublishResult } | { kind: "requested"; request: PublishRequestRecord; warnings: Problem[] };

/** The generated texts of one version, in both languages, for the reviewer to compare. */
export interface PrivacyTexts {
  policy: Record<Language, string>;
  record: Record<Language, string>;
}

export interface PublishReview {
  request: PublishRequestRecord;
  /** The validator's findings on the submitted version (warnings; errors are refused at submission). */
  problems: Problem[];
  live?: { version: string; yaml: string; publishedAt: string; privacy: PrivacyTexts };
  proposed: { privacy: PrivacyTexts };
}

/** One publication of a flow, as the history shows it. */
export interface PublishedVersion {
  version: string;
  /** When this publication happened (ISO 8601). */
  at: string;
  /** Who published it; with four eyes, who approved it. */
  by: string;
  /** With four eyes, who submitted it. */
  requestedBy?: string;
  /** The source as published. */
  yaml: string;
  /** Whether this is what new conversations start on now. */
  live: boolean;
}

export class Publishing {
  constructor(private readonly deps: PublishingDeps) {}

  get approvalRequired(): boolean {
    return this.deps.approval !== undefined;
  }

  /**
   * The flow's publications, newest first, from the audit trail (who and when) and the version
   * store (what): a publication that changed nothing (the same version again at once) is left out.
   * Reaches back as far as the audit trail's retention.
   */
  async history(flowId: string, limit = 50): Promise<PublishedVersion[]> {
    const entries = [...(await this.deps.audit.list({ action: "flow.publish", target: flowId })), ...(await this.deps.audit.list({ action: "flow.publish-approve", target: flowId }))]
      .filter((entry) => entry.outcome === "ok" && typeof entry.details?.version === "string")
      .sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.id < b.id ? -1 : 1));
    const live = (await this.deps.catalog.current(flowId))?.version;
    const history: PublishedVersion[] = [];
    let previous: string | undefined;
    for (const entry of entries) {
      const version = entry.details?.version as string;
      if (version === previous) continue;
      previous = version;
      const stored = await this.deps.catalog.stored(flowId, version);
      if (!stored) continue;
      const requestedBy = entry.details?.requestedBy;
      history.push({ version, at: entry.time, by: entry.actor, ...(typeof requestedBy === "string" ? { requestedBy } : {}), yaml: stored.yaml, live: false });
    }
    history.reverse();
    const newest = history[0];
    if (newest && newest.version === live) newest.live = true;
    return history.slice(0, limit);
  }

  /** Publishes, or with approval on, submits a request; a flow with errors is refused either way. */
  async publish(flowId: string, yaml: string, lang: Language, by: AuditActor): Promise<PublishOutcome> {
    if (!this.approvalRequired) {
      const result = await this.deps.catalog.publish(flowId, yaml, lang);
      await this.deps.audit.record(by, { action: "flow.publish", target: result.flow, details: { version: result.version, new: result.created } });
      return { kind: "published", result };
    }
    const { flow, version, warnings, knowledgeBases } = await this.deps.catalog.check(flowId, yaml, lang);
    const live = await this.deps.catalog.current(flow.flow);
    if (live?.version === version) {
      return { kind: "published", result: { flow: flow.flow, version, created: false, warnings } };
    }
    const pending = (await this.deps.requests.list("pending")).find((request) => request.flow === flow.flow && request.version === version);
    if (pending) return { kind: "requested", request: pending, warnings };
    const request: PublishRequestRecord = {
      id: randomUUID(),
      flow: flow.flow,
      yaml,
      version,
      requestedBy: by.actor,
      requestedAt: this.deps.clock().toISOString(),
      status: "pending",
      ...(Object.keys(knowledgeBases).length > 0 ? { knowledgeBases } : {}),
    };
    await this.deps.requests.create(request);
    await this.deps.audit.record(by, { action: "flow.publish-request", target: flow.flow, details: { version, request: request.id } });
    return { kind: "requested", request, warnings };
  }

  list(status?: PublishRequestRecord["status"]): Promise<PublishRequestRecord[]> {
    return this.deps.requests.list(status);
  }

  async #request(id: string): Promise<PublishRequestRecord> {
    const request = await this.deps.requests.get(id);
    if (!request) throw new AppError("not-found", "There is no such publish request.");
    return request;
  }

  async #privacyTexts(yaml: string, flowId: string, knowledgeBases?: Record<string, string>): Promise<PrivacyTexts> {
    const { flow } = await this.deps.catalog.check(flowId, yaml, "en", knowledgeBases);
    const texts = (lang: Language) => ({ lang, region: this.deps.region });
    return {
      policy: { de: privacyPolicyText([flow], texts("de")), en: privacyPolicyText([flow], texts("en")) },
      record: { de: processingRecordText([flow], texts("de")), en: processingRecordText([flow], texts("en")) },
    };
  }

  /** What the reviewer needs to decide: findings, the live version and both versions' privacy texts. */
  async review(id: string, lang: Language): Promise<PublishReview> {
    const request = await this.#request(id);
    const { warnings } = await this.deps.catalog.check(request.flow, request.yaml, lang, request.knowledgeBases ?? {});
    const live = await this.deps.catalog.current(request.flow);
    return {
      request,
      problems: warnings,
      ...(live ? { live: { ...live, privacy: await this.#privacyTexts(live.yaml, request.flow, live.knowledgeBases ?? {}) } } : {}),
      proposed: { privacy: await this.#privacyTexts(request.yaml, request.flow, request.knowledgeBases ?? {}) },
    };
  }

  async #decide(id: string, principal: Principal, by: AuditActor, decision: "approved" | "rejected", reason?: string): Promise<PublishRequestRecord> {
    const request = await this.#request(id);
    if (request.status !== "pending") throw new AppError("conflict", `This request was ${request.status} already.`);
    if (request.requestedBy === principal.name) throw new AppError("forbidden", "Four eyes: somebody else must decide on your own request.");
    const decided = { status: decision, decidedBy: by.actor, decidedAt: this.deps.clock().toISOString(), ...(reason ? { reason } : {}) };
    if (!(await this.deps.requests.decide(id, decided))) throw new AppError("conflict", "Somebody decided on this request at the same moment.");
    return { ...request, ...decided };
  }

  /** Approves a request: the submitted version goes live (validated again: the rules may have changed since). */
  async approve(id: string, principal: Principal, by: AuditActor): Promise<PublishResult> {
    const request = await this.#request(id);
    // Exactly as submitted: the knowledge bases of the request, not the ones on disk now.
    await this.deps.catalog.check(request.flow, request.yaml, "en", request.knowledgeBases ?? {});
    await this.#decide(id, principal, by, "approved");
    const result = await this.deps.catalog.publish(request.flow, request.yaml, "en", request.knowledgeBases ?? {});
    await this.deps.audit.record(by, { action: "flow.publish-approve", target: request.flow, details: { version: request.version, request: id, requestedBy: request.requestedBy } });
    return result;
  }

  async reject(id: string, reason: string, principal: Principal, by: AuditActor): Promise<PublishRequestRecord> {
    const text = reason.trim();
    if (text.length === 0 || text.length > 2000) throw new AppError("bad-request", "Say why, in 1 to 2000 characters, so the editor can act on it.");
    const request = await this.#decide(id, principal, by, "rejected", text);
    await this.deps.audit.record(by, { action: "flow.publish-reject", target: request.flow, details: { version: request.version, request: id } });
    return request;
  }

  /** The requester takes back a pending request. */
  async withdraw(id: string, principal: Principal, by: AuditActor): Promise<void> {
    const request = await this.#request(id);
    if (request.requestedBy !== principal.name) throw new AppError("forbidden", "Only the person who asked can withdraw a request.");
    if (!(await this.deps.requests.decide(id, { status: "withdrawn", decidedBy: by.actor, decidedAt: this.deps.clock().toISOString() }))) {
      throw new AppError("conflict", `This request was ${request.status} already.`);
    }
    await this.deps.audit.record(by, { action: "flow.publish-withdraw", target: request.flow, details: { request: id } });
  }
}
