import { describe, expect, it } from "vitest";
import type { Processor } from "../../dsl/flow.ts";
import { check, minimalFlow, node } from "../test-flow-builder.ts";

/** welcome → consent (covers email) → ask-email → send-crm (to the processor) → done. */
function processedBy(processor: Processor) {
  return minimalFlow()
    .with("welcome", node.message("consent"))
    .with("consent", node.consent(["email"], "ask-email", "done"))
    .with("ask-email", node.input("email", "send-crm"))
    .with("send-crm", node.webhook(["email"], "done", processor));
}

describe("third-country", () => {
  it.each([
    ["DE", "an EU member"],
    ["FR", "an EU member"],
    ["NO", "in the EEA"],
    ["IS", "in the EEA"],
    ["LI", "in the EEA"],
    ["CH", "covered by an adequacy decision"],
    ["GB", "covered by an adequacy decision"],
    ["JP", "covered by an adequacy decision"],
  ])("accepts a processor in %s (%s) without a safeguard", (country) => {
    expect(check(processedBy({ name: "Verarbeiter AG", country }))).toEqual([]);
  });

  it("reports a US processor without a safeguard at its country", () => {
    expect(check(processedBy({ name: "Leadbox Inc.", country: "US" }))).toEqual([
      {
        rule: "third-country",
        severity: "error",
        node: "send-crm",
        pointer: "/nodes/send-crm/processor/country",
        message:
          "Leadbox Inc. processes data in US, outside the EU/EEA and without an adequacy decision; declare a safeguard (`safeguard: scc`, `bcr` or, for the US, `dpf`).",
      },
    ]);
  });

  it.each(["dpf", "scc", "bcr"] as const)("accepts a US processor with the safeguard %s", (safeguard) => {
    expect(check(processedBy({ name: "Leadbox Inc.", country: "US", safeguard }))).toEqual([]);
  });

  it("reports an Indian processor that claims the Data Privacy Framework, which covers only the US", () => {
    expect(check(processedBy({ name: "Outsource Pvt. Ltd.", country: "IN", safeguard: "dpf" }))).toEqual([
      {
        rule: "third-country",
        severity: "error",
        node: "send-crm",
        pointer: "/nodes/send-crm/processor/safeguard",
        message:
          "The EU-US Data Privacy Framework covers only the US, not IN; use `scc` or `bcr` for Outsource Pvt. Ltd..",
      },
    ]);
  });

  it.each(["bcr", "scc"] as const)("accepts an Indian processor with the safeguard %s", (safeguard) => {
    expect(check(processedBy({ name: "Outsource Pvt. Ltd.", country: "IN", safeguard }))).toEqual([]);
  });

  it("reports an Indian processor without a safeguard", () => {
    expect(
      check(processedBy({ name: "Outsource Pvt. Ltd.", country: "IN" }), "third-country").map(
        (problem) => problem.pointer,
      ),
    ).toEqual(["/nodes/send-crm/processor/country"]);
  });

  it("reports a processor outside the EU/EEA even when the webhook sends no personal data", () => {
    const anonymous = processedBy({ name: "Leadbox Inc.", country: "US" }).with(
      "send-crm",
      node.webhook(["anliegen"], "done", { name: "Leadbox Inc.", country: "US" }),
    );
    expect(check(anonymous, "third-country").map((problem) => problem.node)).toEqual(["send-crm"]);
  });

  it("explains both problems in German", () => {
    expect(
      check(processedBy({ name: "Leadbox Inc.", country: "US" }), "third-country", "de").map(
        (problem) => problem.message,
      ),
    ).toEqual([
      "Leadbox Inc. verarbeitet Daten in US, außerhalb von EU/EWR und ohne Angemessenheitsbeschluss; eine Garantie angeben (`safeguard: scc`, `bcr` oder, für die USA, `dpf`).",
    ]);
    expect(
      check(processedBy({ name: "Outsource Pvt. Ltd.", country: "IN", safeguard: "dpf" }), "third-country", "de").map(
        (problem) => problem.message,
      ),
    ).toEqual([
      "Das EU-US Data Privacy Framework gilt nur für die USA, nicht für IN; für Outsource Pvt. Ltd. `scc` oder `bcr` verwenden.",
    ]);
  });
});
