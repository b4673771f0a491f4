import { describe, expect, it } from "vitest";
import { isOpenAt, localTime } from "./opening-hours.ts";

const berlin = { timezone: "Europe/Berlin", mon: ["09:00-12:00", "13:00-17:00"], sat: ["10:00-24:00"], closed: ["2026-12-21"] };

describe("opening hours", () => {
  it("is always open without opening hours", () => {
    expect(isOpenAt(undefined, "2026-03-01T03:00:00Z")).toBe(true);
  });

  it("reads the time in the flow's time zone, summer time included", () => {
    expect(localTime("Europe/Berlin", "2026-03-02T08:30:00Z")).toEqual({ date: "2026-03-02", weekday: "mon", minute: 9 * 60 + 30 });
    expect(localTime("Europe/Berlin", "2026-07-06T07:30:00Z")).toEqual({ date: "2026-07-06", weekday: "mon", minute: 9 * 60 + 30 });
  });

  it("is open within a range, closed at its end, in a break and on days without ranges", () => {
    expect(isOpenAt(berlin, "2026-03-02T08:00:00Z")).toBe(true); // Mon 09:00
    expect(isOpenAt(berlin, "2026-03-02T10:59:00Z")).toBe(true); // Mon 11:59
    expect(isOpenAt(berlin, "2026-03-02T11:00:00Z")).toBe(false); // Mon 12:00, the break
    expect(isOpenAt(berlin, "2026-03-02T16:00:00Z")).toBe(false); // Mon 17:00
    expect(isOpenAt(berlin, "2026-03-03T10:00:00Z")).toBe(false); // Tue
  });

  it("takes 24:00 as the end of the day and a closed date as closed all day", () => {
    expect(isOpenAt(berlin, "2026-03-07T22:59:00Z")).toBe(true); // Sat 23:59
    expect(isOpenAt(berlin, "2026-12-21T10:00:00Z")).toBe(false); // a Monday, closed
  });

  it("counts an unknown time zone as always open, rather than never reaching an agent", () => {
    expect(isOpenAt({ timezone: "Mars/Olympus", mon: [] }, "2026-03-03T10:00:00Z")).toBe(true);
  });
});
