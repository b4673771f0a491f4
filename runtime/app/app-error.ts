/**
 * Coded errors for user mistakes (bad input, unknown ids, bad tokens). Services throw them by
 * code; only the HTTP error middleware (`error-middleware.ts`) turns a code into a status.
 */
import type { Problem } from "../core/index.ts";

export type AppErrorCode =
  | "bad-request"
  | "unauthorized"
  | "forbidden"
  /** An editor asked for the results of a flow that does not share them with editors (docs/results.md#who-may-read-them). */
  | "results-not-shared"
  | "not-found"
  | "conflict"
  /** Was there, is no more: a live chat closed or erased by the visitor. */
  | "gone"
  /** A messenger's reply window closed: the platform would not deliver it (docs/inbox.md#messengers). */
  | "reply-window-closed"
  | "payload-too-large"
  | "rate-limited"
  | "flow-invalid";

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    /** Validation problems, for `flow-invalid`. */
    readonly problems?: Problem[],
  ) {
    super(message);
    this.name = "AppError";
  }
}
