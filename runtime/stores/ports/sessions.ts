/**
 * Store role: sign-in sessions. A session is found by a keyed hash of the cookie's random
 * value, never by the value itself, so a stolen database opens no session. Instances sharing
 * PostgreSQL share sessions.
 */

export interface SessionRecord {
  /** Keyed hash of the session cookie's value. */
  idHash: string;
  accountId: string;
  createdAt: string;
  lastSeenAt: string;
  /** When the session ends: the earlier of the idle and the absolute time-out, moved on by `touch`. */
  expiresAt: string;
}

export interface SessionStore {
  create(record: SessionRecord): Promise<void>;

  /** The session, also when it has expired (the caller checks `expiresAt` against its clock). */
  get(idHash: string): Promise<SessionRecord | undefined>;

  /** Records activity; false when the session is gone. */
  touch(idHash: string, lastSeenAt: string, expiresAt: string): Promise<boolean>;

  delete(idHash: string): Promise<boolean>;

  /** Ends every session of an account (sign-out everywhere, a disabled account); resolves with how many. */
  deleteForAccount(accountId: string): Promise<number>;

  /** Removes sessions whose `expiresAt` is at or before `now`; resolves with how many. */
  deleteExpired(now: string): Promise<number>;
}
