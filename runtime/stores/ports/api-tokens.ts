/** Store role: API tokens for scripts and CI — named, with roles, stored only as a keyed hash. */
import type { TeamRole } from "./accounts.ts";

export interface ApiTokenRecord {
  id: string;
  name: string;
  /** Keyed hash of the token; the token itself is shown once, at creation. */
  tokenHash: string;
  roles: TeamRole[];
  createdAt: string;
  /** Who created it (an account's e-mail, or `configuration` for BOTSCHAFT_ADMIN_TOKEN). */
  createdBy: string;
}

export interface ApiTokenStore {
  create(record: ApiTokenRecord): Promise<void>;

  findByHash(tokenHash: string): Promise<ApiTokenRecord | undefined>;

  /** Every token, oldest first. */
  list(): Promise<ApiTokenRecord[]>;

  /** Revokes a token; false when there was none. */
  delete(id: string): Promise<boolean>;
}
