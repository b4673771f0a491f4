import { describe, expect, it } from "vitest";
import { isInEea, needsNoSafeguard, safeguardFits } from "./countries.ts";

describe("isInEea", () => {
  it.each(["DE", "AT", "FR", "GR", "IE", "NO", "IS", "LI"])("counts %s as EU/EEA", (country) => {
    expect(isInEea(country)).toBe(true);
  });

  it.each(["CH", "GB", "US", "IN", "EL", "UK"])("does not count %s as EU/EEA", (country) => {
    expect(isInEea(country)).toBe(false);
  });
});

describe("needsNoSafeguard", () => {
  it.each(["DE", "NO", "CH", "GB", "JP", "KR", "CA", "NZ", "IL", "UY"])("lets data go to %s without a safeguard", (country) => {
    expect(needsNoSafeguard(country)).toBe(true);
  });

  it.each(["US", "IN", "CN", "BR", "RU", "AU"])("asks for a safeguard for %s", (country) => {
    expect(needsNoSafeguard(country)).toBe(false);
  });
});

describe("safeguardFits", () => {
  it("lets the Data Privacy Framework cover only the US", () => {
    expect(safeguardFits("US", "dpf")).toBe(true);
    expect(safeguardFits("IN", "dpf")).toBe(false);
  });

  it.each(["US", "IN", "CN"])("accepts standard contractual clauses and binding corporate rules for %s", (country) => {
    expect([safeguardFits(country, "scc"), safeguardFits(country, "bcr")]).toEqual([true, true]);
  });
});
