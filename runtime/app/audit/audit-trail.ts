/**
 * The audit trail as the services write it: who did what, when and from where — sign-ins,
 * publishes and approvals, flow file changes, account changes and every view or export of an
 * end user's data. Entries never carry an end user's personal value: targets are ids and flow
 * names. Kept for the configured period (BOTSCHAFT_AUDIT_RETENTION), then pruned.
 */
import { randomBytes } from "node:crypto";
import type { AuditEntry, AuditQuery, AuditTrailStore } from "../../stores/ports/audit-trail.ts";

export type { AuditEntry, AuditQuery };

/** Who did it: a principal's audit name (`erika@muster.example`, `token:ci`), `system` or `anonymous`. */
export interface AuditActor {
  actor: string;
  address?: string;
}

export type AuditRecord = Omit<AuditEntry, "id" | "time" | "actor" | "address" | "outcome"> & { outcome?: AuditEntry["outcome"] };

export const auditColumns = ["time", "actor", "action", "target", "outcome", "address", "details"] as const;

export class AuditTrail {
  #sequence = 0;

  constructor(
    private readonly store: AuditTrailStore,
    private readonly clock: () => Date,
    private readonly retentionMs: number,
  ) {}

  async record(by: AuditActor, what: AuditRecord): Promise<void> {
    const time = this.clock().toISOString();
    // Time first, so ids sort as the entries happened; the counter and random part keep them unique.
    this.#sequence = (this.#sequence + 1) % 1_000_000;
    const id = `${time}#${String(this.#sequence).padStart(6, "0")}${randomBytes(3).toString("hex")}`;
    await this.store.append({ id, time, actor: by.actor, ...(by.address ? { address: by.address } : {}), outcome: "ok", ...what });
  }

  list(query: AuditQuery): Promise<AuditEntry[]> {
    return this.store.list(query);
  }

  /** Removes what is older than the retention period. */
  prune(): Promise<number> {
    return this.store.deleteBefore(new Date(this.clock().getTime() - this.retentionMs).toISOString());
  }
}
