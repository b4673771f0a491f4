import { describe, expect, it } from "vitest";
import { canonicalHost, isAllowListed } from "./is-allow-listed.ts";

describe("isAllowListed", () => {
  it("allows any port of a host listed without one", () => {
    expect(isAllowListed("crm.intern", 8443, ["crm.intern"])).toBe(true);
    expect(isAllowListed("crm.intern", 443, ["crm.intern"])).toBe(true);
  });

  it("allows only the listed port of a host listed with one", () => {
    expect(isAllowListed("localhost", 8443, ["localhost:8443"])).toBe(true);
    expect(isAllowListed("localhost", 9443, ["localhost:8443"])).toBe(false);
  });

  it("matches hosts exactly, not their subdomains or parents", () => {
    expect(isAllowListed("evil.crm.intern", 443, ["crm.intern"])).toBe(false);
    expect(isAllowListed("intern", 443, ["crm.intern"])).toBe(false);
  });

  it("compares hosts in URL-normalised form", () => {
    expect(isAllowListed("localhost", 443, ["LOCALHOST."])).toBe(true);
    expect(isAllowListed("127.0.0.1", 443, ["2130706433"])).toBe(true);
    expect(isAllowListed("[fd00::1]", 8443, ["[FD00:0::1]:8443"])).toBe(true);
  });

  it("allows nothing with an empty list", () => {
    expect(isAllowListed("localhost", 443, [])).toBe(false);
  });

  it.each(["::1", "host:port", "host:0", "host:65536", "user@host", "host/path", "", "[::1"])(
    "throws on the malformed entry %j, even after a matching one",
    (pattern) => {
      expect(() => isAllowListed("localhost", 443, ["localhost", pattern])).toThrow(TypeError);
    },
  );
});

describe("canonicalHost", () => {
  it.each([
    ["Example.COM.", "example.com"],
    ["0x7f.1", "127.0.0.1"],
    ["[0:0::1]", "[::1]"],
    ["bücher.example", "xn--bcher-kva.example"],
  ])("turns %s into %s", (host, canonical) => {
    expect(canonicalHost(host)).toBe(canonical);
  });
});
