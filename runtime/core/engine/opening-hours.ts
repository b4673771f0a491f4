/**
 * Whether a flow's agents are expected at a given time (docs/inbox.md#opening-hours). Pure: the
 * time comes in as an ISO string, the time zone's rules from `Intl`. A flow without opening
 * hours is always open; a time zone `Intl` does not know counts as always open too, since the
 * schema cannot check it and a visitor should rather wait for an agent than never reach one.
 *
 * @example
 * ```ts
 * isOpenAt({ timezone: "Europe/Berlin", mon: ["09:00-17:00"] }, "2026-12-07T10:00:00Z"); // → true (11:00 in Berlin, a Monday)
 * ```
 */
import type { OpeningHours } from "../dsl/flow.ts";

const weekdays = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;

const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatterFor(timezone: string): Intl.DateTimeFormat | null {
  let formatter = formatters.get(timezone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat("en-US", { timeZone: timezone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", weekday: "short" });
    } catch {
      formatter = null;
    }
    formatters.set(timezone, formatter);
  }
  return formatter;
}

/** Whether `Intl` knows the time zone (an unknown one counts as always open). */
export function isKnownTimeZone(timezone: string): boolean {
  return formatterFor(timezone) !== null;
}

/** The local date, weekday and minute of the day of an instant in a time zone. */
export function localTime(timezone: string, iso: string): { date: string; weekday: (typeof weekdays)[number]; minute: number } | undefined {
  const formatter = formatterFor(timezone);
  const instant = new Date(iso);
  if (!formatter || Number.isNaN(instant.getTime())) return undefined;
  const parts = Object.fromEntries(formatter.formatToParts(instant).map((part) => [part.type, part.value]));
  const weekday = weekdays.find((day) => day === String(parts.weekday).slice(0, 3).toLowerCase());
  if (!weekday) return undefined;
  return { date: `${parts.year}-${parts.month}-${parts.day}`, weekday, minute: Number(parts.hour) * 60 + Number(parts.minute) };
}

function minuteOf(time: string): number {
  const [hours, minutes] = time.split(":").map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

export function isOpenAt(hours: OpeningHours | undefined, iso: string): boolean {
  if (!hours) return true;
  const local = localTime(hours.timezone, iso);
  if (!local) return true;
  if (hours.closed?.includes(local.date)) return false;
  return (hours[local.weekday] ?? []).some((range) => {
    const [from = "", to = ""] = range.split("-");
    return local.minute >= minuteOf(from) && local.minute < minuteOf(to);
  });
}
