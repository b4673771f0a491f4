/**
 * Store role: failed sign-ins, counted per key (an account's keyed e-mail hash, a client
 * address) over a window, so every instance sharing the store throttles the same way.
 */

export interface SignInAttemptStore {
  /** Records one failed attempt under each key. */
  record(keys: readonly string[], at: string): Promise<void>;

  /** Failed attempts under `key` at or after `since`, and the earliest of them (for Retry-After). */
  count(key: string, since: string): Promise<{ count: number; earliest?: string }>;

  /** Forgets a key's attempts (after a successful sign-in). */
  clear(key: string): Promise<void>;

  /** Forgets attempts older than `before`. */
  deleteBefore(before: string): Promise<number>;
}
