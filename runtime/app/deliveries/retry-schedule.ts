/**
 * When a failed delivery is tried again (docs/deliveries.md#retries): the first retry within
 * 5 seconds, then doubling, at most one attempt a minute during the first hour after the
 * delivery was made, then doubling up to the configured longest pause until it gives up
 * (24 hours by default). A receiver's `Retry-After` is followed, within the same bounds.
 */

export interface RetrySchedule {
  /** Pause before the first retry. Default 5 s. */
  firstRetryMs: number;
  /** Longest pause during the first hour. Default 60 s. */
  firstHourMaxMs: number;
  /** Longest pause after the first hour (BOTSCHAFT_DELIVERY_MAX_PAUSE). Default 15 min. */
  laterMaxMs: number;
  /** How long a delivery is tried before it fails (BOTSCHAFT_DELIVERY_GIVE_UP_AFTER). Default 24 h. */
  giveUpAfterMs: number;
}

export const defaultRetrySchedule: RetrySchedule = { firstRetryMs: 5_000, firstHourMaxMs: 60_000, laterMaxMs: 15 * 60_000, giveUpAfterMs: 24 * 3_600_000 };

const hourMs = 3_600_000;

/**
 * The pause after the `attempts`-th failed attempt (1 for the first) of a delivery made at
 * `createdAtMs`, at `nowMs`; `retryAfterMs` is what the receiver asked for, if anything.
 */
export function retryPause(schedule: RetrySchedule, attempts: number, createdAtMs: number, nowMs: number, retryAfterMs?: number): number {
  const inFirstHour = nowMs - createdAtMs < hourMs;
  const cap = inFirstHour ? schedule.firstHourMaxMs : Math.max(schedule.firstHourMaxMs, schedule.laterMaxMs);
  const backoff = Math.min(cap, schedule.firstRetryMs * 2 ** Math.min(30, Math.max(0, attempts - 1)));
  if (retryAfterMs === undefined || !Number.isFinite(retryAfterMs)) return backoff;
  // A receiver may ask for a longer pause (up to the longest one), never for more attempts than the backoff makes.
  return Math.max(backoff, Math.min(Math.max(schedule.laterMaxMs, schedule.firstHourMaxMs), retryAfterMs));
}
