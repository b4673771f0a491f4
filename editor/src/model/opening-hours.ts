/**
 * The flow's opening hours as the settings form edits them (docs/inbox.md#opening-hours): the
 * time zones offered, a day's `HH:MM-HH:MM` ranges split into the two times a time input shows,
 * and the checks the form explains in words. `24:00` ends a day in the flow; a time input cannot
 * show it, so it appears as `00:00` and an end of `00:00` is written as `24:00`.
 */
import { isMap, isScalar, YAMLMap, type YAMLSeq } from "yaml";
import type { FlowDocument } from "./flow-document.ts";

export const weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof weekdays)[number];

export const defaultTimezone = "Europe/Berlin";

/** Common IANA time zones, German-speaking countries and the EU first; labels in both languages. */
export const commonTimezones: readonly { zone: string; de: string; en: string }[] = [
  { zone: "Europe/Berlin", de: "Berlin (Deutschland)", en: "Berlin (Germany)" },
  { zone: "Europe/Vienna", de: "Wien (Österreich)", en: "Vienna (Austria)" },
  { zone: "Europe/Zurich", de: "Zürich (Schweiz)", en: "Zurich (Switzerland)" },
  { zone: "Europe/Luxembourg", de: "Luxemburg", en: "Luxembourg" },
  { zone: "Europe/Amsterdam", de: "Amsterdam (Niederlande)", en: "Amsterdam (Netherlands)" },
  { zone: "Europe/Brussels", de: "Brüssel (Belgien)", en: "Brussels (Belgium)" },
  { zone: "Europe/Paris", de: "Paris (Frankreich)", en: "Paris (France)" },
  { zone: "Europe/Madrid", de: "Madrid (Spanien)", en: "Madrid (Spain)" },
  { zone: "Europe/Rome", de: "Rom (Italien)", en: "Rome (Italy)" },
  { zone: "Europe/Copenhagen", de: "Kopenhagen (Dänemark)", en: "Copenhagen (Denmark)" },
  { zone: "Europe/Stockholm", de: "Stockholm (Schweden)", en: "Stockholm (Sweden)" },
  { zone: "Europe/Oslo", de: "Oslo (Norwegen)", en: "Oslo (Norway)" },
  { zone: "Europe/Warsaw", de: "Warschau (Polen)", en: "Warsaw (Poland)" },
  { zone: "Europe/Prague", de: "Prag (Tschechien)", en: "Prague (Czechia)" },
  { zone: "Europe/Budapest", de: "Budapest (Ungarn)", en: "Budapest (Hungary)" },
  { zone: "Europe/Helsinki", de: "Helsinki (Finnland)", en: "Helsinki (Finland)" },
  { zone: "Europe/Athens", de: "Athen (Griechenland)", en: "Athens (Greece)" },
  { zone: "Europe/Bucharest", de: "Bukarest (Rumänien)", en: "Bucharest (Romania)" },
  { zone: "Europe/Lisbon", de: "Lissabon (Portugal)", en: "Lisbon (Portugal)" },
  { zone: "Europe/Dublin", de: "Dublin (Irland)", en: "Dublin (Ireland)" },
  { zone: "Europe/London", de: "London (Vereinigtes Königreich)", en: "London (United Kingdom)" },
  { zone: "Europe/Istanbul", de: "Istanbul (Türkei)", en: "Istanbul (Turkey)" },
  { zone: "UTC", de: "UTC (koordinierte Weltzeit)", en: "UTC (coordinated universal time)" },
  { zone: "America/New_York", de: "New York (USA, Ostküste)", en: "New York (US Eastern)" },
  { zone: "America/Chicago", de: "Chicago (USA, Central)", en: "Chicago (US Central)" },
  { zone: "America/Los_Angeles", de: "Los Angeles (USA, Westküste)", en: "Los Angeles (US Pacific)" },
  { zone: "Asia/Dubai", de: "Dubai (VAE)", en: "Dubai (UAE)" },
  { zone: "Asia/Singapore", de: "Singapur", en: "Singapore" },
  { zone: "Asia/Tokyo", de: "Tokio (Japan)", en: "Tokyo (Japan)" },
  { zone: "Australia/Sydney", de: "Sydney (Australien)", en: "Sydney (Australia)" },
];

/** Whether the browser (and so `Intl` on the server, which uses the same database) knows the zone. */
export function isKnownTimezone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export interface TimeRange {
  from: string;
  to: string;
}

const timePattern = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;

/** A range as written in the flow, split for the two time inputs; `24:00` shows as `00:00`. */
export function splitRange(range: string): TimeRange {
  const [from = "", to = ""] = range.split("-");
  return { from, to: to === "24:00" ? "00:00" : to };
}

/** The two times as the flow writes them; an end of `00:00` means midnight, `24:00`. */
export function joinRange({ from, to }: TimeRange): string {
  return `${from}-${to === "00:00" ? "24:00" : to}`;
}

function minutes(time: string): number {
  if (time === "24:00") return 24 * 60;
  const [hours = 0, mins = 0] = time.split(":").map(Number);
  return hours * 60 + mins;
}

/** What is wrong with one range, as a message key of the catalog; undefined when it is fine. */
export function rangeProblem({ from, to }: TimeRange): "timeMissing" | "endBeforeStart" | undefined {
  if (!timePattern.test(from) || !timePattern.test(to)) return "timeMissing";
  if (minutes(joinRange({ from, to }).split("-")[1] ?? "") <= minutes(from)) return "endBeforeStart";
  return undefined;
}

/** The indexes of a day's ranges that overlap an earlier one (valid ranges only). */
export function overlapping(ranges: readonly string[]): number[] {
  const found: number[] = [];
  ranges.forEach((range, index) => {
    const own = splitRange(range);
    if (rangeProblem(own)) return;
    const [start, end] = [minutes(own.from), minutes(joinRange(own).split("-")[1] ?? "")];
    const clash = ranges.slice(0, index).some((other) => {
      const them = splitRange(other);
      if (rangeProblem(them)) return false;
      return start < minutes(joinRange(them).split("-")[1] ?? "") && minutes(them.from) < end;
    });
    if (clash) found.push(index);
  });
  return found;
}

/** A one-line list (`["09:00-17:00"]`), as the docs write days and closed dates. */
function flowSeq(doc: FlowDocument, items: readonly string[]): YAMLSeq {
  const seq = doc.createNode([...items]) as YAMLSeq;
  seq.flow = true;
  // Quoted, as the docs write them: no YAML reader can take a time or a date for a number.
  for (const item of seq.items) if (isScalar(item)) item.type = "QUOTE_DOUBLE";
  return seq;
}

/** Creates `openingHours` just before `start` (beside the other settings, not after the nodes). */
function ensureOpeningHours(doc: FlowDocument): YAMLMap {
  const existing = doc.get("openingHours", true);
  if (isMap(existing)) return existing as YAMLMap;
  const created = new YAMLMap();
  created.set("timezone", defaultTimezone);
  const root = doc.contents as unknown;
  if (!isMap(root)) {
    doc.set("openingHours", created);
    return created;
  }
  const at = root.items.findIndex((pair) => isScalar(pair.key) && ["start", "nodes", "layout"].includes(String(pair.key.value)));
  const pair = doc.createPair("openingHours", created);
  if (at < 0) root.items.push(pair);
  else root.items.splice(at, 0, pair);
  return doc.get("openingHours", true) as YAMLMap;
}

/** Turns opening hours on with Monday to Friday 9 to 17 in Berlin time, a start to change. */
export function addOpeningHours(doc: FlowDocument): void {
  const hours = ensureOpeningHours(doc);
  for (const day of ["mon", "tue", "wed", "thu", "fri"] as const) setInOrder(doc, hours, day, flowSeq(doc, ["09:00-17:00"]));
}

export function removeOpeningHours(doc: FlowDocument): void {
  doc.delete("openingHours");
}

export function setTimezone(doc: FlowDocument, zone: string): void {
  ensureOpeningHours(doc).set("timezone", zone);
}

const keyOrder = ["timezone", ...weekdays, "closed"];

/** Sets a key of `openingHours`, a new one in its place: time zone, Monday … Sunday, closed days. */
function setInOrder(doc: FlowDocument, hours: YAMLMap, key: string, value: YAMLSeq): void {
  if (hours.has(key)) {
    hours.set(key, value);
    return;
  }
  const rank = keyOrder.indexOf(key);
  const at = hours.items.findIndex((pair) => isScalar(pair.key) && keyOrder.indexOf(String(pair.key.value)) > rank);
  const pair = doc.createPair(key, value);
  if (at < 0) hours.items.push(pair);
  else hours.items.splice(at, 0, pair);
}

/** A day's ranges; none removes the day (closed all day). */
export function setDay(doc: FlowDocument, day: Weekday, ranges: readonly string[]): void {
  const hours = ensureOpeningHours(doc);
  if (ranges.length === 0) hours.delete(day);
  else setInOrder(doc, hours, day, flowSeq(doc, ranges));
}

/** The closed dates, sorted and without repeats; none removes `closed`. */
export function setClosed(doc: FlowDocument, dates: readonly string[]): void {
  const hours = ensureOpeningHours(doc);
  const sorted = [...new Set(dates)].sort();
  if (sorted.length === 0) hours.delete("closed");
  else setInOrder(doc, hours, "closed", flowSeq(doc, sorted));
}
