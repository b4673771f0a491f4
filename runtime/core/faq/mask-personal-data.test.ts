import { describe, expect, it } from "vitest";
import { maskPersonalData, maxKeptQuestionChars } from "./mask-personal-data.ts";

describe("maskPersonalData", () => {
  it.each([
    ["Ich heiße Anna Schmidt, Bestellung 1234567, anna@example.org", "Ich heiße [name], Bestellung [number], [email]"],
    ["my name is John Smith and my number is +49 170 1234567", "my name is [name] and my number is [phone]"],
    ["Call me at 0341 123 456 78 please", "Call me at [phone] please"],
    ["Frau Müller hier, wo bleibt mein Rad?", "Frau [name] hier, wo bleibt mein Rad?"],
    ["IBAN DE89 3704 0044 0532 0130 00", "IBAN [number]"],
    ["Ich wohne in der Karl-Heine-Straße 40, 04229 Leipzig", "Ich wohne in der [address], [number] Leipzig"],
    ["I'm Peter, where is my order 55512?", "I'm [name], where is my order [number]?"],
    ["Karte 4111 1111 1111 1111 gesperrt?", "Karte [number] gesperrt?"],
    ["mail me: peter(at)example.org", "mail me: [email]"],
  ])("masks %s", (question, masked) => {
    expect(maskPersonalData(question)).toBe(masked);
  });

  it("keeps questions without personal data as they are, short numbers included", () => {
    for (const question of ["Wann habt ihr offen?", "Habt ihr Rad Nr. 12?", "Lieferung für 3 Räder bis 2026?", "Kann ich mit PayPal zahlen"]) expect(maskPersonalData(question)).toBe(question);
  });

  it("cuts what it keeps to a bounded length", () => {
    expect(maskPersonalData("x ".repeat(10_000)).length).toBe(maxKeptQuestionChars);
  });
});
