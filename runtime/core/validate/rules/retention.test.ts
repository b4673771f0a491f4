import { describe, expect, it } from "vitest";
import { check, minimalFlow } from "../test-flow-builder.ts";

const withRetention = (retention: string | undefined) => minimalFlow().privacy({ retention });

describe("retention", () => {
  it.each(["P90D", "P6M", "P1Y", "P2Y", "P24M", "P1Y12M", "P730D", "P104W", "PT12H"])("accepts %s", (retention) => {
    expect(check(withRetention(retention))).toEqual([]);
  });

  it.each(["P25M", "P731D", "P3Y", "P2Y1D", "P105W", "PT17532H"])(
    "reports %s as longer than two years",
    (retention) => {
      expect(check(withRetention(retention))).toEqual([
        {
          rule: "retention",
          severity: "error",
          pointer: "/privacy/retention",
          message: `Retention '${retention}' is longer than two years (P2Y), the maximum.`,
        },
      ]);
    },
  );

  it.each(["90 days", "P", "PT", "P1DT", "p90d", "P1.5Y", "2 Jahre", "-P1D", ""])(
    "reports %j as not an ISO 8601 duration",
    (retention) => {
      expect(check(withRetention(retention))).toEqual([
        {
          rule: "retention",
          severity: "error",
          pointer: "/privacy/retention",
          message: `'${retention}' is not an ISO 8601 duration such as P90D, P6M or P1Y.`,
        },
      ]);
    },
  );

  it("reports a missing retention at the privacy block", () => {
    expect(check(withRetention(undefined))).toEqual([
      {
        rule: "retention",
        severity: "error",
        pointer: "/privacy",
        message: "The flow does not say how long answers are kept: set `privacy.retention`, e.g. `P90D`.",
      },
    ]);
  });

  it.each(["P0D", "PT0S", "P0Y0M"])("reports the zero duration %s", (retention) => {
    expect(check(withRetention(retention))).toEqual([
      {
        rule: "retention",
        severity: "error",
        pointer: "/privacy/retention",
        message: `Retention '${retention}' is zero; the conversation needs its answers for some time.`,
      },
    ]);
  });

  it.each([
    ["P3Y", "Die Speicherdauer 'P3Y' ist länger als zwei Jahre (P2Y), das Maximum."],
    ["90 days", "'90 days' ist keine ISO-8601-Dauer wie P90D, P6M oder P1Y."],
    ["P0D", "Die Speicherdauer 'P0D' ist null; das Gespräch braucht seine Antworten eine Zeit lang."],
    [
      undefined,
      "Der Flow legt nicht fest, wie lange Antworten gespeichert werden: `privacy.retention` setzen, z. B. `P90D`.",
    ],
  ])("explains the retention %s in German", (retention, german) => {
    expect(check(withRetention(retention), "retention", "de").map((problem) => problem.message)).toEqual([german]);
  });
});
