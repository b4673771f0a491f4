/**
 * Results (docs/results.md): what a flow collected, one row per stored conversation — only the
 * fields the conversation holds now, which the engine keeps only under a live consent (a
 * withdrawal deletes them), opened with the conversation's own data key. An erased
 * conversation is gone from the store or its key is, so it never shows. Rows are read page by
 * page, so an export of 100,000 conversations holds one page in memory, not all of them. Every
 * view and every export is in the audit trail.
 */
import { allows, exportData, type FieldValue, nodeDefinitions, type RunnableFlow, type TeamRole } from "../../core/index.ts";
import type { ConversationStore } from "../../stores/ports/conversations.ts";
import { AppError } from "../app-error.ts";
import type { AuditActor, AuditTrail } from "../audit/audit-trail.ts";
import type { StateSealer } from "../conversations/conversation-service.ts";
import type { FlowCatalog } from "../flows/flow-catalog.ts";

export type Outcome = "completed" | "handover" | "open";
export const outcomes: readonly Outcome[] = ["completed", "handover", "open"];

export interface ResultsQuery {
  flow: string;
  /** First and last day (`YYYY-MM-DD`, UTC) the conversation started on. */
  from?: string;
  to?: string;
  outcome?: Outcome;
  /** At most this many rows (a view); all when absent (an export). */
  limit?: number;
}

export interface ResultRow {
  startedAt: string;
  lastActivityAt: string;
  outcome: Outcome;
  channel: string;
  version: string;
  fields: Record<string, FieldValue>;
}

export interface ResultsDeps {
  conversations: ConversationStore;
  catalog: FlowCatalog;
  sealer: Pick<StateSealer, "open">;
  audit: AuditTrail;
}

const pageSize = 500;

/** The fields a flow collects, in the order of its nodes: the columns of its results. */
export function collectedFields(runnable: RunnableFlow): string[] {
  const fields = new Set<string>();
  for (const node of Object.values(runnable.flow.nodes)) {
    const definition = nodeDefinitions[node.type] as unknown as { collects(node: unknown): string[] };
    for (const field of definition.collects(node)) fields.add(field);
  }
  return [...fields];
}

export class Results {
  constructor(private readonly deps: ResultsDeps) {}

  /** The columns of a flow's results (its current version's fields); `not-found` for a flow never published. */
  async columns(flow: string): Promise<string[]> {
    return collectedFields(await this.deps.catalog.latest(flow));
  }

  /**
   * Refuses a caller who may not read the flow's results: admins and the DPO may (`results.read`);
   * editors only where the flow's newest version says `privacy.editorsSeeResults: true`.
   */
  async checkReader(flow: string, roles: readonly TeamRole[]): Promise<void> {
    if (allows(roles, "results.read")) return;
    const shared = (await this.deps.catalog.latest(flow)).flow.privacy.editorsSeeResults === true;
    if (shared && allows(roles, "flows.edit")) return;
    throw new AppError("results-not-shared", `The flow '${flow}' does not share its results with editors; an administrator or the DPO can read them, and the flow's settings can allow editors (privacy.editorsSeeResults).`);
  }

  /** Notes a view or an export in the audit trail, before any row leaves. */
  async audited(by: AuditActor, query: ResultsQuery, action: "results.view" | "results.export", format: "json" | "csv"): Promise<void> {
    await this.deps.audit.record(by, {
      action,
      target: query.flow,
      details: { format, ...(query.from ? { from: query.from } : {}), ...(query.to ? { to: query.to } : {}), ...(query.outcome ? { outcome: query.outcome } : {}) },
    });
  }

  /** The rows, oldest id first, page by page; conversations erased meanwhile are left out. */
  async *rows(query: ResultsQuery): AsyncGenerator<ResultRow> {
    const limit = query.limit ?? Number.POSITIVE_INFINITY;
    let given = 0;
    let after: string | undefined;
    const runnables = new Map<string, Promise<RunnableFlow>>();
    for (;;) {
      const page = await this.deps.conversations.listByFlow(query.flow, after, pageSize);
      if (page.length === 0) return;
      after = page.at(-1)?.id;
      for (const record of page) {
        const state = await this.deps.sealer.open(record.id, record.sealedState);
        // Erased: its key is gone (or it went between the page and now).
        if (!state) continue;
        const day = state.startedAt.slice(0, 10);
        if ((query.from && day < query.from) || (query.to && day > query.to)) continue;
        const outcome: Outcome = state.waiting === "ended" ? "completed" : state.waiting === "handover" ? "handover" : "open";
        if (query.outcome && outcome !== query.outcome) continue;
        let runnable = runnables.get(record.version);
        if (!runnable) {
          runnable = this.deps.catalog.version(record.flow, record.version);
          runnables.set(record.version, runnable);
        }
        // Only what the conversation holds now: personal fields exist only under a live consent.
        const data = exportData(await runnable, state);
        yield {
          startedAt: state.startedAt,
          lastActivityAt: state.lastActivityAt,
          outcome,
          channel: state.channel,
          version: record.version,
          fields: Object.fromEntries(data.fields.map(({ field, value }) => [field, value])),
        };
        if (++given >= limit) return;
      }
    }
  }
}

export function checkOutcome(value: unknown): Outcome | undefined {
  if (value === undefined || value === "") return undefined;
  if (typeof value !== "string" || !(outcomes as readonly string[]).includes(value)) throw new AppError("bad-request", `outcome takes ${outcomes.join(", ")}.`);
  return value as Outcome;
}
