import { describe, expect, it } from "vitest";
import { checkAnswer } from "./input-formats.ts";

describe("checkAnswer", () => {
  it.each([
    ["text", "  Hallo  ", "Hallo"],
    ["email", "erika@example.org", "erika@example.org"],
    ["phone", "+49 (170) 123-4567", "+491701234567"],
    ["phone", "030 / 12 34 56", "030123456"],
    ["number", "1,5", 1.5],
    ["number", "-42", -42],
    ["date", "24.12.2026", "2026-12-24"],
    ["date", "2028-02-29", "2028-02-29"],
    ["postcode", "10115", "10115"],
    ["postcode", "sw1a 1aa", "SW1A 1AA"],
    ["url", "https://muster.example/x", "https://muster.example/x"],
  ] as const)("accepts a %s answer %j as %j", (format, answer, stored) => {
    expect(checkAnswer(answer, format)).toBe(stored);
  });

  it.each([
    ["text", "   "],
    ["text", "x".repeat(1001)],
    ["email", "erika@"],
    ["email", "erika example.org"],
    ["phone", "12345"],
    ["phone", "call me"],
    ["number", "1.000,5"],
    ["date", "31.02.2026"],
    ["date", "2027-02-29"],
    ["postcode", "1"],
    ["url", "javascript:alert(1)"],
  ] as const)("refuses a %s answer %j", (format, answer) => {
    expect(checkAnswer(answer, format)).toBeUndefined();
  });

  it("applies a pattern on top of the format, and refuses everything for a broken pattern", () => {
    expect(checkAnswer("AB-123456", "text", "^[A-Z]{2}-\\d{6}$")).toBe("AB-123456");
    expect(checkAnswer("AB-12", "text", "^[A-Z]{2}-\\d{6}$")).toBeUndefined();
    expect(checkAnswer("anything", "text", "([")).toBeUndefined();
  });
});
