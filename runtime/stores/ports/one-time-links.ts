/**
 * Store role: one-time links — the first administrator's set-up link, invitations and
 * password resets. Found by a keyed hash of the link's token; taken (used) at most once.
 */
import type { TeamRole } from "./accounts.ts";

export interface OneTimeLinkRecord {
  /** Keyed hash of the token in the link. */
  tokenHash: string;
  purpose: "setup" | "invite" | "reset";
  /** The account the link sets a password for; none for `setup`, which creates the first administrator. */
  accountId?: string;
  /** For `setup`: the roles the new account gets. */
  roles?: TeamRole[];
  createdAt: string;
  expiresAt: string;
}

export interface OneTimeLinkStore {
  create(record: OneTimeLinkRecord): Promise<void>;

  /** The link while it is stored (used links are gone); the caller checks `expiresAt`. */
  get(tokenHash: string): Promise<OneTimeLinkRecord | undefined>;

  /** Removes the link and returns it, once: of two concurrent calls exactly one gets it. */
  take(tokenHash: string): Promise<OneTimeLinkRecord | undefined>;

  /** Removes every link of an account (a new invitation or reset replaces the old ones); resolves with how many. */
  deleteForAccount(accountId: string): Promise<number>;

  /** Removes links whose `expiresAt` is at or before `now`. */
  deleteExpired(now: string): Promise<number>;
}
