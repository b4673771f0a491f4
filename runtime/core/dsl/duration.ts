/** ISO 8601 durations as used by `privacy.retention` (`P90D`, `P6M`, `P1Y6M`, `P2W`, `PT12H`). */

export interface IsoDuration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

const durationPattern =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

export function parseIsoDuration(text: string): IsoDuration | undefined {
  const match = durationPattern.exec(text);
  if (!match || text === "P" || text.endsWith("T")) return undefined;
  const [years, months, weeks, days, hours, minutes] = match.slice(1, 7).map((part) => Number(part ?? 0));
  const seconds = Number((match[7] ?? "0").replace(",", "."));
  return {
    years: years ?? 0,
    months: months ?? 0,
    weeks: weeks ?? 0,
    days: days ?? 0,
    hours: hours ?? 0,
    minutes: minutes ?? 0,
    seconds,
  };
}

/** Average Gregorian month and year, so `P24M` and `P2Y` are the same length and `P731D` is longer. */
const daysPerYear = 365.2425;
const daysPerMonth = daysPerYear / 12;

export function durationInDays(duration: IsoDuration): number {
  return (
    duration.years * daysPerYear +
    duration.months * daysPerMonth +
    duration.weeks * 7 +
    duration.days +
    duration.hours / 24 +
    duration.minutes / 1440 +
    duration.seconds / 86400
  );
}

/** docs/privacy.md#retention: data is never kept longer than two years. */
export const maxRetentionDays = 2 * daysPerYear;

/** `time` plus `duration`, calendar-aware (P1M from 31 January is the end of February). */
export function addDuration(time: string, duration: IsoDuration): string {
  const milliseconds = (((duration.weeks * 7 + duration.days) * 24 + duration.hours) * 60 + duration.minutes) * 60_000 + duration.seconds * 1000;
  // Without months or years the calendar plays no part (every turn computes a P90D or so).
  if (duration.years === 0 && duration.months === 0) return new Date(Date.parse(time) + milliseconds).toISOString();
  const date = new Date(time);
  const day = date.getUTCDate();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() + duration.years * 12 + duration.months);
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(day, lastDay));
  return new Date(date.getTime() + milliseconds).toISOString();
}

const twoYears: IsoDuration = { years: 2, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0 };

/**
 * When data last touched at `lastActivityAt` must be gone under a flow's `retention`. A missing,
 * invalid or too long retention (a flow that skipped validation) falls back to the two-year cap.
 */
export function deleteAfter(retention: string | undefined, lastActivityAt: string): string {
  return addDuration(lastActivityAt, boundedRetention(retention));
}

/** Bounded retentions by their text: every turn needs one, and a runtime serves few distinct ones. */
const boundedRetentions = new Map<string, IsoDuration>();
const maxCachedRetentions = 256;

function boundedRetention(retention: string | undefined): IsoDuration {
  if (retention === undefined) return twoYears;
  const cached = boundedRetentions.get(retention);
  if (cached) return cached;
  const duration = parseIsoDuration(retention);
  const bounded = duration && durationInDays(duration) <= maxRetentionDays ? duration : twoYears;
  if (boundedRetentions.size >= maxCachedRetentions) boundedRetentions.clear();
  boundedRetentions.set(retention, bounded);
  return bounded;
}
