import { isKnownTimeZone } from "../../engine/opening-hours.ts";
import { message } from "../messages.ts";
import type { UnlocatedProblem } from "../problem.ts";
import type { Rule } from "./rule.ts";

const weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

const dayNames = {
  en: { mon: "Monday", tue: "Tuesday", wed: "Wednesday", thu: "Thursday", fri: "Friday", sat: "Saturday", sun: "Sunday" },
  de: { mon: "Montag", tue: "Dienstag", wed: "Mittwoch", thu: "Donnerstag", fri: "Freitag", sat: "Samstag", sun: "Sonntag" },
} as const;

function minutes(time: string): number {
  const [hours = 0, mins = 0] = time.split(":").map(Number);
  return hours * 60 + mins;
}

/** A `YYYY-MM-DD` that names a day of the calendar (not 2026-02-30). */
function isCalendarDate(date: string): boolean {
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === date;
}

/**
 * docs/inbox.md#opening-hours: what the schema lets through but cannot work. An unknown time zone
 * makes the live chat count as always open; a range that ends before it starts never opens; a
 * closed day that is no calendar date never comes. Warnings: the flow runs, just not as meant.
 */
export const openingHours: Rule = ({ flow, lang }) => {
  const hours = flow.openingHours;
  if (!hours) return [];
  const problems: UnlocatedProblem[] = [];
  if (!isKnownTimeZone(hours.timezone)) {
    problems.push({ rule: "opening-hours", severity: "warning", pointer: "/openingHours/timezone", message: message("opening-hours-timezone", { zone: hours.timezone }, lang) });
  }
  for (const day of weekdays) {
    (hours[day] ?? []).forEach((range, index) => {
      const [from = "", to = ""] = range.split("-");
      if (minutes(to) > minutes(from)) return;
      problems.push({ rule: "opening-hours", severity: "warning", pointer: `/openingHours/${day}/${index}`, message: message("opening-hours-range", { range, day: dayNames[lang][day] }, lang) });
    });
  }
  (hours.closed ?? []).forEach((date, index) => {
    if (isCalendarDate(date)) return;
    problems.push({ rule: "opening-hours", severity: "warning", pointer: `/openingHours/closed/${index}`, message: message("opening-hours-date", { date }, lang) });
  });
  return problems;
};
