/**
 * Store role: the audit trail — append-only records of who did what, when and from where
 * (sign-ins, publishes, approvals, flow file changes, account changes, every view or export of
 * an end user's data). It holds no end user's personal values: targets are ids and flow names.
 */

export interface AuditEntry {
  /** Assigned by the caller; sortable, so entries read back in the order they happened. */
  id: string;
  time: string;
  /** Who: a team member's e-mail, `token:<name>`, `system`, or `anonymous` for a failed sign-in. */
  actor: string;
  /** What, as a dotted verb: `session.sign-in`, `flow.publish`, `account.invite`, … */
  action: string;
  /** What it was done to: a flow id, an account's e-mail, a conversation id, … */
  target?: string;
  outcome: "ok" | "denied" | "failed";
  /** From where: the client's address. */
  address?: string;
  /** A few more facts (a version, a role list); never an end user's personal value. */
  details?: Record<string, string | number | boolean>;
}

export interface AuditQuery {
  /** Inclusive ISO times. */
  from?: string;
  to?: string;
  actor?: string;
  action?: string;
  target?: string;
  /** Entries after this id (paging). */
  after?: string;
  limit?: number;
}

export interface AuditTrailStore {
  append(entry: AuditEntry): Promise<void>;

  /** Matching entries, oldest first. */
  list(query: AuditQuery): Promise<AuditEntry[]>;

  /** Removes entries older than `before` (the configured retention); resolves with how many. */
  deleteBefore(before: string): Promise<number>;
}
