import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDuration, deleteAfter, durationInDays, type IsoDuration, maxRetentionDays, parseIsoDuration } from "./duration.ts";

const days = (text: string): number | undefined => {
  const duration = parseIsoDuration(text);
  return duration === undefined ? undefined : durationInDays(duration);
};

describe("parseIsoDuration", () => {
  it("reads every part of a full duration", () => {
    expect(parseIsoDuration("P1Y2M3W4DT5H6M7.5S")).toEqual({ years: 1, months: 2, weeks: 3, days: 4, hours: 5, minutes: 6, seconds: 7.5 });
  });

  it("fills the parts a duration leaves out with zero", () => {
    expect(parseIsoDuration("P90D")).toEqual({ years: 0, months: 0, weeks: 0, days: 90, hours: 0, minutes: 0, seconds: 0 });
  });

  it("accepts a decimal comma in the seconds", () => {
    expect(parseIsoDuration("PT1,5S")?.seconds).toBe(1.5);
  });

  it.each(["90 days", "", "P", "PT", "P1DT", "p90d", "P1.5Y", "P1D2Y", "-P1D", "P 1D", "1D", "PT1D"])("refuses %j", (text) => {
    expect(parseIsoDuration(text)).toBeUndefined();
  });
});

describe("durationInDays", () => {
  it("makes P2Y, P24M and P1Y12M exactly the two-year maximum", () => {
    expect(days("P2Y")).toBe(maxRetentionDays);
    expect(days("P24M")).toBe(maxRetentionDays);
    expect(days("P1Y12M")).toBe(maxRetentionDays);
  });

  it("puts P730D inside two years and P731D and P25M outside", () => {
    expect(days("P730D")).toBeLessThan(maxRetentionDays);
    expect(days("P731D")).toBeGreaterThan(maxRetentionDays);
    expect(days("P25M")).toBeGreaterThan(maxRetentionDays);
  });

  it("counts weeks as seven days and hours as a 24th of a day", () => {
    expect(days("P2W")).toBe(14);
    expect(days("PT36H")).toBe(1.5);
  });

  it("makes zero durations zero days", () => {
    expect([days("P0D"), days("PT0S"), days("P0Y0M")]).toEqual([0, 0, 0]);
  });
});

describe("deleteAfter", () => {
  const at = "2026-01-31T12:00:00.000Z";

  it("adds the retention, calendar-aware, the same on every call and for every retention in turn", () => {
    for (let round = 0; round < 2; round++) {
      expect(deleteAfter("P90D", at)).toBe("2026-05-01T12:00:00.000Z");
      expect(deleteAfter("P1M", at)).toBe("2026-02-28T12:00:00.000Z");
      expect(deleteAfter("PT12H", at)).toBe("2026-02-01T00:00:00.000Z");
    }
  });

  it("caps a missing, invalid or too long retention at two years", () => {
    for (const retention of [undefined, "P3Y", "90 days", "P"]) expect(deleteAfter(retention, at)).toBe("2028-01-31T12:00:00.000Z");
  });

  it("stays right for more distinct retentions than it remembers", () => {
    for (let days = 1; days <= 600; days++) expect(deleteAfter(`P${days}D`, "2026-01-01T00:00:00.000Z")).toBe(new Date(Date.UTC(2026, 0, 1 + days)).toISOString());
  });
});

describe("addDuration", () => {
  /** The calendar walk, step by step, as every duration once took it. */
  function viaCalendar(time: string, duration: IsoDuration): string {
    const date = new Date(time);
    const day = date.getUTCDate();
    date.setUTCDate(1);
    date.setUTCMonth(date.getUTCMonth() + duration.years * 12 + duration.months);
    const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
    date.setUTCDate(Math.min(day, lastDay));
    const ms = (((duration.weeks * 7 + duration.days) * 24 + duration.hours) * 60 + duration.minutes) * 60_000 + duration.seconds * 1000;
    return new Date(date.getTime() + ms).toISOString();
  }

  it("gives what the calendar walk gives, with and without months and years", () => {
    const part = fc.integer({ min: 0, max: 800 });
    fc.assert(
      fc.property(
        fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z"), noInvalidDate: true }),
        fc.record({ years: fc.integer({ min: 0, max: 3 }), months: fc.integer({ min: 0, max: 30 }), weeks: part, days: part, hours: part, minutes: part, seconds: part }),
        fc.boolean(),
        (date, duration, withCalendar) => {
          const used = withCalendar ? duration : { ...duration, years: 0, months: 0 };
          expect(addDuration(date.toISOString(), used)).toBe(viaCalendar(date.toISOString(), used));
        },
      ),
    );
  });

  it("refuses a time that is not one, with or without months", () => {
    const zero = { years: 0, months: 0, weeks: 0, days: 1, hours: 0, minutes: 0, seconds: 0 };
    expect(() => addDuration("not a time", zero)).toThrow(RangeError);
    expect(() => addDuration("not a time", { ...zero, months: 1 })).toThrow(RangeError);
  });
});
