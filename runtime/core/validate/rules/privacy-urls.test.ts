import { describe, expect, it } from "vitest";
import { check, minimalFlow } from "../test-flow-builder.ts";

describe("privacy-urls", () => {
  it("reports nothing when both URLs are https: addresses", () => {
    const urls = minimalFlow().privacy({
      policyUrl: "https://muster.example/datenschutz?lang=de#cookies",
      imprintUrl: "https://muster.example",
    });
    expect(check(urls)).toEqual([]);
  });

  it("reports a missing policy URL at the privacy block", () => {
    expect(check(minimalFlow().privacy({ policyUrl: undefined }))).toEqual([
      {
        rule: "privacy-urls",
        severity: "error",
        pointer: "/privacy",
        message: "`privacy.policyUrl` is missing; the menu must link to it.",
      },
    ]);
  });

  it("reports each of the two URLs when both are missing", () => {
    const neither = minimalFlow().privacy({ policyUrl: undefined, imprintUrl: undefined });
    expect(check(neither).map((problem) => [problem.rule, problem.pointer, problem.message])).toEqual([
      ["privacy-urls", "/privacy", "`privacy.policyUrl` is missing; the menu must link to it."],
      ["privacy-urls", "/privacy", "`privacy.imprintUrl` is missing; the menu must link to it."],
    ]);
  });

  it("reports an http: imprint URL at the URL", () => {
    expect(check(minimalFlow().privacy({ imprintUrl: "http://muster.example/impressum" }))).toEqual([
      {
        rule: "privacy-urls",
        severity: "error",
        pointer: "/privacy/imprintUrl",
        message: "`privacy.imprintUrl` must be an https: address, not 'http://muster.example/impressum'.",
      },
    ]);
  });

  it.each([
    "siehe Website",
    "muster.example/datenschutz",
    "https://",
    "ftp://muster.example/datenschutz",
    "javascript:alert(1)",
    "",
  ])("reports the policy URL %j as not an https: address", (policyUrl) => {
    expect(check(minimalFlow().privacy({ policyUrl }))).toEqual([
      {
        rule: "privacy-urls",
        severity: "error",
        pointer: "/privacy/policyUrl",
        message: `\`privacy.policyUrl\` must be an https: address, not '${policyUrl}'.`,
      },
    ]);
  });

  it("explains both kinds of problem in German", () => {
    const flow = minimalFlow().privacy({ policyUrl: undefined, imprintUrl: "http://muster.example/impressum" });
    expect(check(flow, "privacy-urls", "de").map((problem) => problem.message)).toEqual([
      "`privacy.policyUrl` fehlt; das Menü muss darauf verlinken.",
      "`privacy.imprintUrl` muss eine https:-Adresse sein, nicht 'http://muster.example/impressum'.",
    ]);
  });
});
