/**
 * The flow's opening hours in the flow settings (docs/inbox.md#opening-hours): a time zone from a
 * list, per weekday the times someone answers (added and removed one by one), and whole closed
 * days as dates. Every change is written to the YAML at once; what cannot be right (a missing
 * time, an end before the start, overlapping times, a date listed twice) is said under the field.
 */
import { useEffect, useState } from "react";
import { type MessageKey, t } from "../i18n/messages.ts";
import type { UiLanguage } from "../i18n/ui-language.ts";
import {
  addOpeningHours,
  commonTimezones,
  isKnownTimezone,
  joinRange,
  overlapping,
  rangeProblem,
  removeOpeningHours,
  setClosed,
  setDay,
  setTimezone,
  splitRange,
  type TimeRange,
  type Weekday,
  weekdays,
} from "../model/opening-hours.ts";
import type { FlowDocument } from "../model/flow-document.ts";

/** An edit of the flow document (the side panel's `Edit`), with the key that merges typing into one undo step. */
type Edit = (edit: (doc: FlowDocument) => void, key?: string) => void;

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map((item) => (typeof item === "string" ? item : String(item))) : [];
}

function FieldError({ children }: { children: string | undefined }) {
  if (!children) return null;
  return (
    <span className="form-error" data-testid="field-error">
      ⚠ {children}
    </span>
  );
}

/** The minute after which a new range starts: an hour after the day's last end, else 9 to 17. */
function nextRange(ranges: readonly string[]): string {
  const last = ranges.at(-1);
  const end = last ? splitRange(last).to : undefined;
  if (!end || rangeProblem(splitRange(last ?? "")) !== undefined) return "09:00-17:00";
  const [hours = 0, minutes = 0] = end.split(":").map(Number);
  if (hours >= 22 || (hours === 0 && minutes === 0)) return "09:00-17:00";
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${pad(hours + 1)}:${pad(minutes)}-${pad(hours + 2)}:${pad(minutes)}`;
}

function RangeInputs({ day, index, range, overlaps, serverError, lang, onChange, onRemove }: { day: Weekday; index: number; range: string; overlaps: boolean; serverError: string | undefined; lang: UiLanguage; onChange(range: string): void; onRemove(): void }) {
  const [draft, setDraft] = useState<TimeRange>(() => splitRange(range));
  useEffect(() => setDraft((current) => (joinRange(current) === range ? current : splitRange(range))), [range]);
  const problem = rangeProblem(draft);
  const label = t(lang, "rangeOf", { day: t(lang, `weekday_${day}` as MessageKey), number: index + 1 });
  const change = (next: TimeRange) => {
    setDraft(next);
    if (rangeProblem(next) !== "timeMissing") onChange(joinRange(next));
  };
  const error = problem ? t(lang, problem) : overlaps ? t(lang, "rangesOverlap") : serverError;
  return (
    // biome-ignore lint/a11y/useSemanticElements: a group of two time inputs and a button, not a form section
    <div className="opening-range" role="group" aria-label={label} data-testid={`opening-${day}-${index}`} data-pointer={`/openingHours/${day}/${index}`}>
      <div className="row">
        <input type="time" aria-label={`${label}: ${t(lang, "from")}`} data-testid={`opening-${day}-${index}-from`} value={draft.from} aria-invalid={error !== undefined} onChange={(event) => change({ ...draft, from: event.target.value })} />
        <span aria-hidden="true">–</span>
        <input type="time" aria-label={`${label}: ${t(lang, "until")}`} data-testid={`opening-${day}-${index}-to`} value={draft.to} aria-invalid={error !== undefined} onChange={(event) => change({ ...draft, to: event.target.value })} />
        <button type="button" className="small" aria-label={`${label}: ${t(lang, "remove")}`} data-testid={`opening-${day}-${index}-remove`} onClick={onRemove}>
          ✕
        </button>
      </div>
      <FieldError>{error}</FieldError>
    </div>
  );
}

function ClosedDayInput({ index, date, others, serverError, lang, onChange, onRemove }: { index: number | undefined; date: string; others: readonly string[]; serverError: string | undefined; lang: UiLanguage; onChange(date: string): void; onRemove(): void }) {
  const [draft, setDraft] = useState(date);
  useEffect(() => setDraft(date), [date]);
  const twice = draft !== "" && draft !== date && others.includes(draft);
  const error = draft === "" ? t(lang, "dateMissing") : twice ? t(lang, "dateTwice") : serverError;
  const label = t(lang, "closedDay", { number: (index ?? others.length) + 1 });
  return (
    <div className="opening-closed" data-testid={`closed-${index ?? "new"}`} data-pointer={index === undefined ? undefined : `/openingHours/closed/${index}`}>
      <div className="row">
        <input
          type="date"
          aria-label={label}
          data-testid={`closed-${index ?? "new"}-date`}
          value={draft}
          aria-invalid={error !== undefined}
          onChange={(event) => {
            const next = event.target.value;
            setDraft(next);
            if (/^\d{4}-\d{2}-\d{2}$/.test(next) && !others.includes(next)) onChange(next);
          }}
        />
        <button type="button" className="small" aria-label={`${label}: ${t(lang, "remove")}`} data-testid={`closed-${index ?? "new"}-remove`} onClick={onRemove}>
          ✕
        </button>
      </div>
      <FieldError>{error}</FieldError>
    </div>
  );
}

export function OpeningHoursSettings({ value, fieldErrors, lang, onEdit }: { value: unknown; fieldErrors: ReadonlyMap<string, string>; lang: UiLanguage; onEdit: Edit }) {
  const [addingClosed, setAddingClosed] = useState(false);
  const hours = typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  if (!hours) {
    return (
      <fieldset className="form-group" data-testid="opening-hours">
        <legend>{t(lang, "openingHours")}</legend>
        <p className="form-help">{t(lang, "openingHoursHelp")}</p>
        <p className="form-help">{t(lang, "openingHoursNone")}</p>
        <button type="button" className="small" data-testid="opening-hours-add" onClick={() => onEdit((doc) => addOpeningHours(doc))}>
          {t(lang, "openingHoursAdd")}
        </button>
      </fieldset>
    );
  }
  const zone = typeof hours.timezone === "string" ? hours.timezone : "";
  const listed = commonTimezones.some((entry) => entry.zone === zone);
  const zoneError = zone !== "" && !isKnownTimezone(zone) ? t(lang, "timezoneUnknown", { zone }) : fieldErrors.get("/openingHours/timezone");
  const closed = strings(hours.closed);
  return (
    <fieldset className="form-group" data-testid="opening-hours">
      <legend>{t(lang, "openingHours")}</legend>
      <p className="form-help">{t(lang, "openingHoursHelp")}</p>
      <label className="form-field">
        <span className="form-label">{t(lang, "timezone")}</span>
        <select data-testid="opening-timezone" data-pointer="/openingHours/timezone" value={zone} aria-invalid={zoneError !== undefined} onChange={(event) => onEdit((doc) => setTimezone(doc, event.target.value), "openingHours/timezone")}>
          {!listed && <option value={zone}>{zone === "" ? t(lang, "notSet") : zone}</option>}
          {commonTimezones.map((entry) => (
            <option key={entry.zone} value={entry.zone}>
              {entry[lang]}
            </option>
          ))}
        </select>
        <FieldError>{zoneError}</FieldError>
      </label>
      {weekdays.map((day) => {
        const ranges = strings(hours[day]);
        const clashes = overlapping(ranges);
        const write = (next: readonly string[]) => onEdit((doc) => setDay(doc, day, next), `openingHours/${day}`);
        return (
          <div key={day} className="opening-day" data-testid={`opening-${day}`}>
            <span className="form-label">
              {t(lang, `weekday_${day}` as MessageKey)}
              {ranges.length === 0 && <span className="form-help">{t(lang, "closedAllDay")}</span>}
            </span>
            <div className="opening-ranges">
              {ranges.map((range, index) => (
                <RangeInputs
                  // biome-ignore lint/suspicious/noArrayIndexKey: ranges are addressed by their place in the YAML
                  key={index}
                  day={day}
                  index={index}
                  range={range}
                  overlaps={clashes.includes(index)}
                  serverError={fieldErrors.get(`/openingHours/${day}/${index}`)}
                  lang={lang}
                  onChange={(next) => write(ranges.map((other, at) => (at === index ? next : other)))}
                  onRemove={() => write(ranges.filter((_, at) => at !== index))}
                />
              ))}
              <button type="button" className="small" data-testid={`opening-${day}-add`} disabled={ranges.length >= 6} onClick={() => write([...ranges, nextRange(ranges)])}>
                + {t(lang, "addRange")}
              </button>
            </div>
          </div>
        );
      })}
      <div className="form-field" data-testid="closed-days">
        <span className="form-label">{t(lang, "closedDays")}</span>
        <span className="form-help">{t(lang, "closedDaysHelp")}</span>
        {closed.map((date, index) => (
          <ClosedDayInput
            key={date}
            index={index}
            date={date}
            others={closed}
            serverError={fieldErrors.get(`/openingHours/closed/${index}`)}
            lang={lang}
            onChange={(next) => onEdit((doc) => setClosed(doc, closed.map((other, at) => (at === index ? next : other))))}
            onRemove={() => onEdit((doc) => setClosed(doc, closed.filter((_, at) => at !== index)))}
          />
        ))}
        {addingClosed && (
          <ClosedDayInput
            index={undefined}
            date=""
            others={closed}
            serverError={undefined}
            lang={lang}
            onChange={(next) => {
              setAddingClosed(false);
              onEdit((doc) => setClosed(doc, [...closed, next]));
            }}
            onRemove={() => setAddingClosed(false)}
          />
        )}
        <button type="button" className="small" data-testid="closed-add" disabled={addingClosed || closed.length >= 100} onClick={() => setAddingClosed(true)}>
          + {t(lang, "addClosedDay")}
        </button>
      </div>
      <button type="button" className="small" data-testid="opening-hours-remove" onClick={() => onEdit((doc) => removeOpeningHours(doc))}>
        {t(lang, "openingHoursRemove")}
      </button>
    </fieldset>
  );
}
