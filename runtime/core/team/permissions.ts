/**
 * Who may do what: the four team roles and the permissions each grants. One table, in the core
 * because both sides read it: the server's access rules (every team route names one
 * permission) and the editor, which hides what a role may not do. An administrator may do
 * everything. See docs/accounts.md#roles.
 */

export const teamRoles = ["admin", "editor", "agent", "dpo"] as const;

/** What a team member may do: see docs/accounts.md#roles. */
export type TeamRole = (typeof teamRoles)[number];

export function isTeamRole(value: unknown): value is TeamRole {
  return typeof value === "string" && (teamRoles as readonly string[]).includes(value);
}

export type Permission =
  /** See flow files, examples and published versions. */
  | "flows.read"
  /** Change flow files: save, rename, duplicate, delete, create from an example. */
  | "flows.edit"
  /** Publish a flow (a request for approval when four-eyes publishing is on). */
  | "flows.publish"
  /** Approve or reject another person's publish request. */
  | "publish.approve"
  /** Read and export the audit trail. */
  | "audit.read"
  /** Invite, change, disable and reset team accounts. */
  | "accounts.manage"
  /** Create, list and revoke API tokens. */
  | "tokens.manage"
  /** Take over conversations in the live-chat inbox. */
  | "inbox.use"
  /** The privacy desk: proof ledger, requests, generated paperwork. */
  | "privacy.use"
  /** Results a flow collected. */
  | "results.read"
  /** See failed durable deliveries and send them again. */
  | "deliveries.manage"
  /** Let the proof ledger chain on after it was found tampered with (administrators only). */
  | "ledger.acknowledge";

const grants: Record<Exclude<TeamRole, "admin">, readonly Permission[]> = {
  editor: ["flows.read", "flows.edit", "flows.publish", "deliveries.manage"],
  agent: ["inbox.use"],
  dpo: ["flows.read", "publish.approve", "audit.read", "privacy.use", "results.read", "deliveries.manage"],
};

export function allows(roles: readonly TeamRole[], permission: Permission): boolean {
  return roles.some((role) => role === "admin" || grants[role].includes(permission));
}

/** Every permission the roles grant, for the editor to show what the person may do. */
const allPermissions: readonly Permission[] = ["flows.read", "flows.edit", "flows.publish", "publish.approve", "audit.read", "accounts.manage", "tokens.manage", "inbox.use", "privacy.use", "results.read", "deliveries.manage", "ledger.acknowledge"];

export function permissionsOf(roles: readonly TeamRole[]): Permission[] {
  return allPermissions.filter((permission) => allows(roles, permission));
}
