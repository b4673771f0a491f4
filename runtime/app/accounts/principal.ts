/** Who is asking: a signed-in team member or an API token, with the roles that decide what they may do. */
import type { TeamRole } from "../../stores/ports/accounts.ts";

export interface Principal {
  kind: "account" | "token";
  /** The account's or the token's id. */
  id: string;
  /** How the audit trail names them: the account's e-mail, or `token:<name>`. */
  name: string;
  roles: TeamRole[];
}
