import { describe, expect, it } from "vitest";
import { checkTarget } from "./check-target.ts";

describe("checkTarget", () => {
  it("accepts an HTTPS URL with a name, to be checked again after DNS", () => {
    const check = checkTarget("https://crm.muster.example/api/callbacks", undefined, []);
    expect(check).toEqual({
      ok: true,
      target: {
        url: new URL("https://crm.muster.example/api/callbacks"),
        hostname: "crm.muster.example",
        port: 443,
        checkAddresses: true,
      },
    });
  });

  it("accepts a public literal address", () => {
    expect(checkTarget("https://[2606:4700:4700::1111]:8443/x", undefined, [])).toMatchObject({
      ok: true,
      target: { hostname: "2606:4700:4700::1111", port: 8443, checkAddresses: true },
    });
  });

  it.each([
    "http://crm.muster.example/",
    "ftp://crm.muster.example/",
    "javascript:alert(1)",
    "https://[zz]/",
    "/relative",
  ])("refuses %s as not-https", (url) => {
    expect(checkTarget(url, undefined, [])).toEqual({ ok: false, reason: "not-https" });
  });

  it.each([
    "https://127.0.0.1/",
    "https://127.1/",
    "https://2130706433/",
    "https://0177.0.0.1/",
    "https://0x7f000001/",
    "https://127.0.0.1./",
    "https://[::1]/",
    "https://[0:0:0:0:0:0:0:1]/",
    "https://[::ffff:127.0.0.1]/",
    "https://[::ffff:a9fe:a9fe]/",
    "https://169.254.169.254/",
    "https://10.0.0.1/",
    "https://172.16.0.1/",
    "https://192.168.0.1/",
    "https://100.64.0.1/",
    "https://0.0.0.0/",
    "https://[::]/",
    "https://[fe80::1]/",
    "https://[fd00::1]/",
    "https://metadata.google.internal/",
    "https://metadata.google.internal./",
    "https://Metadata.Google.Internal/",
    "https://metadata.goog/",
    "https://metadata/",
    "https://instance-data/",
    "https://instance-data.ec2.internal/",
  ])("refuses %s as blocked-address", (url) => {
    expect(checkTarget(url, undefined, [])).toEqual({ ok: false, reason: "blocked-address" });
  });

  it("lets an allow-listed literal address through without address checks", () => {
    expect(checkTarget("https://127.0.0.1:8443/hook", undefined, ["127.0.0.1:8443"])).toMatchObject({
      ok: true,
      target: { hostname: "127.0.0.1", port: 8443, checkAddresses: false },
    });
  });

  it("matches an allow-list entry with port 443 against a URL without a port", () => {
    expect(checkTarget("https://10.1.2.3/hook", undefined, ["10.1.2.3:443"])).toMatchObject({ ok: true });
  });

  it("skips the address checks for an allow-listed name", () => {
    expect(checkTarget("https://crm.intern:8443/", undefined, ["crm.intern:8443"])).toMatchObject({
      ok: true,
      target: { checkAddresses: false },
    });
  });

  it("resolves a redirect's relative location against the previous URL", () => {
    const check = checkTarget("../done?x=1", new URL("https://crm.muster.example/api/start"), []);
    expect(check).toMatchObject({ ok: true, target: { url: new URL("https://crm.muster.example/done?x=1") } });
  });

  it("refuses a protocol-relative redirect to a blocked address", () => {
    expect(checkTarget("//169.254.169.254/latest", new URL("https://crm.muster.example/"), [])).toEqual({
      ok: false,
      reason: "blocked-address",
    });
  });
});
