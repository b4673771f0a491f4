import { describe, expect, it } from "vitest";
import type { Flow } from "../../dsl/flow.ts";
import { check, minimalFlow } from "../test-flow-builder.ts";

function withHours(openingHours: NonNullable<Flow["openingHours"]>): Flow {
  return { ...minimalFlow().build(), openingHours };
}

describe("opening-hours", () => {
  it("warns about an unknown time zone, a range that ends before it starts and a closed day that is no date", () => {
    const flow = withHours({ timezone: "Europe/Atlantis", mon: ["09:00-17:00", "18:00-08:00"], sat: ["10:00-10:00"], closed: ["2026-12-24", "2026-02-30"] });
    expect(check(flow, "opening-hours").map(({ pointer, message }) => [pointer, message])).toEqual([
      ["/openingHours/timezone", "The opening hours' time zone 'Europe/Atlantis' is unknown, so the live chat counts as always open. Use an IANA name such as Europe/Berlin."],
      ["/openingHours/mon/1", "The opening time '18:00-08:00' on Monday ends before it starts, so it never opens. Write it as e.g. 09:00-17:00; 24:00 ends a day."],
      ["/openingHours/sat/0", "The opening time '10:00-10:00' on Saturday ends before it starts, so it never opens. Write it as e.g. 09:00-17:00; 24:00 ends a day."],
      ["/openingHours/closed/1", "The closed day '2026-02-30' is no calendar date, so it never comes."],
    ]);
    expect(check(flow, "opening-hours", "de")[1]?.message).toBe("Die Öffnungszeit '18:00-08:00' am Montag endet vor ihrem Beginn und öffnet daher nie. Schreiben Sie z. B. 09:00-17:00; 24:00 beendet einen Tag.");
  });

  it("is quiet about sound opening hours, midnight as an end included, and about a flow without them", () => {
    expect(check(withHours({ timezone: "Europe/Berlin", mon: ["09:00-12:30", "13:30-24:00"], closed: ["2028-02-29"] }), "opening-hours")).toEqual([]);
    expect(check(minimalFlow().build(), "opening-hours")).toEqual([]);
  });
});
