import { describe, expect, it } from "vitest";
import { checkFlowValue } from "../../../runtime/core/index.ts";
import { documentValue, parseFlowText } from "./flow-document.ts";
import { addOpeningHours, isKnownTimezone, joinRange, overlapping, rangeProblem, removeOpeningHours, setClosed, setDay, setTimezone, splitRange } from "./opening-hours.ts";

const flow = `flow: shop
title: Shop
language: de
privacy:
  controller: { name: Muster GmbH, address: "Musterstraße 1, 10115 Berlin", email: datenschutz@muster.example }
  policyUrl: https://muster.example/datenschutz
  imprintUrl: https://muster.example/impressum
start: hello
nodes:
  hello:
    type: end
    text: Hallo
`;

function load() {
  const { doc, errors } = parseFlowText(flow);
  expect(errors).toEqual([]);
  return doc;
}

describe("opening hours in the flow settings", () => {
  it("turns them on in Berlin time, Monday to Friday, written before the steps and valid", () => {
    const doc = load();
    addOpeningHours(doc);
    const text = doc.toString();
    expect(text.indexOf("openingHours:")).toBeLessThan(text.indexOf("start: hello"));
    expect(text).toContain('openingHours:\n  timezone: Europe/Berlin\n  mon: [ "09:00-17:00" ]\n  tue: [ "09:00-17:00" ]');
    expect(checkFlowValue(documentValue(doc)).problems.filter((problem) => problem.pointer.startsWith("/openingHours"))).toEqual([]);
  });

  it("keeps days in week order, removes a day without times, sorts closed dates without repeats", () => {
    const doc = load();
    addOpeningHours(doc);
    setDay(doc, "sat", ["10:00-14:00"]);
    setClosed(doc, ["2026-12-25", "2026-12-24", "2026-12-25"]);
    setDay(doc, "sun", ["11:00-13:00"]);
    setDay(doc, "mon", []);
    setTimezone(doc, "Europe/Vienna");
    const hours = (documentValue(doc) as { openingHours: Record<string, unknown> }).openingHours;
    expect(Object.keys(hours)).toEqual(["timezone", "tue", "wed", "thu", "fri", "sat", "sun", "closed"]);
    expect(hours).toMatchObject({ timezone: "Europe/Vienna", sat: ["10:00-14:00"], closed: ["2026-12-24", "2026-12-25"] });
    setClosed(doc, []);
    expect((documentValue(doc) as { openingHours: Record<string, unknown> }).openingHours.closed).toBeUndefined();
    removeOpeningHours(doc);
    expect((documentValue(doc) as Record<string, unknown>).openingHours).toBeUndefined();
  });

  it("shows 24:00 as 00:00 and writes an end of 00:00 as midnight", () => {
    expect(splitRange("18:00-24:00")).toEqual({ from: "18:00", to: "00:00" });
    expect(joinRange({ from: "18:00", to: "00:00" })).toBe("18:00-24:00");
    expect(rangeProblem({ from: "18:00", to: "00:00" })).toBeUndefined();
  });

  it("names missing times, an end before the start and overlapping times", () => {
    expect(rangeProblem({ from: "09:00", to: "" })).toBe("timeMissing");
    expect(rangeProblem({ from: "17:00", to: "09:00" })).toBe("endBeforeStart");
    expect(rangeProblem({ from: "09:00", to: "09:00" })).toBe("endBeforeStart");
    expect(overlapping(["09:00-12:00", "11:00-14:00", "14:00-18:00", "17:00-24:00"])).toEqual([1, 3]);
    expect(overlapping(["09:00-12:00", "13:00-17:00"])).toEqual([]);
  });

  it("knows real time zones and not made-up ones", () => {
    expect(isKnownTimezone("Europe/Berlin")).toBe(true);
    expect(isKnownTimezone("Europe/Atlantis")).toBe(false);
  });
});
