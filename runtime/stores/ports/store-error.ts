/**
 * Errors a store raises. The code tells the caller what happened without parsing messages:
 * - `conversation-exists`: `conversations.create` with an id that is taken (a caller bug or a
 *   collision of random ids; retry with a new id).
 * - `account-exists`: an account with that id or e-mail address is stored already.
 * - `store-locked`: another process uses the data directory (lowdb is single-process).
 * - `store-corrupt`: a data file cannot be read as what it should be; nothing was changed.
 * - `store-closed`: a call after `close()`.
 * - `store-failed`: a write to disk failed; the store refuses further calls because its
 *   memory may hold changes the disk lacks. Restart the process: it recovers from disk.
 */
export type StoreErrorCode = "conversation-exists" | "account-exists" | "store-locked" | "store-corrupt" | "store-closed" | "store-failed";

export class StoreError extends Error {
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StoreError";
    this.code = code;
  }
}
