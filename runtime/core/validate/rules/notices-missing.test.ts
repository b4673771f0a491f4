import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { checkFlowSource } from "../../load/check-flow-source.ts";
import { hasErrors } from "../problem.ts";
import { callbackRequestFlow, check, germanProcessor, node } from "../test-flow-builder.ts";

const referenceFile = new URL("../../../../flows/callback-request.yaml", import.meta.url);
const noticesLine = "    notices: { url: https://crm.muster.example/api/gdpr }   # told about corrections and erasures\n";

/** The reference flow with its CRM step sending `sends` to Muster CRM GmbH, without `notices`. */
function withoutNotices(sends: string[]) {
  return callbackRequestFlow().with("send-crm", node.webhookWithoutNotices(sends, "thanks", germanProcessor));
}

describe("notices-missing", () => {
  it("reports nothing when a webhook sending personal data says where its processor takes notices", () => {
    expect(check(callbackRequestFlow(), "notices-missing")).toEqual([]);
  });

  it("warns about a webhook that sends personal data to its processor without `notices`, at its `processor` key, naming the fields", () => {
    expect(check(withoutNotices(["name", "phone"]), "notices-missing")).toEqual([
      {
        rule: "notices-missing",
        severity: "warning",
        node: "send-crm",
        pointer: "/nodes/send-crm/processor",
        atKey: true,
        message:
          "'send-crm' sends personal data ('name', 'phone') to Muster CRM GmbH but says nowhere to tell them about corrections and erasures; add `notices: { url: https://… }`, or erasures stop at the bot.",
      },
    ]);
  });

  it("explains the problem in German", () => {
    expect(check(withoutNotices(["phone"]), "notices-missing", "de").map((problem) => problem.message)).toEqual([
      "'send-crm' sendet personenbezogene Daten ('phone') an Muster CRM GmbH, nennt aber keine Adresse für Mitteilungen über Korrekturen und Löschungen; `notices: { url: https://… }` ergänzen, sonst endet eine Löschung beim Bot.",
    ]);
  });

  it("reports nothing for a webhook that sends no personal field", () => {
    expect(check(withoutNotices([]), "notices-missing")).toEqual([]);
  });

  it("leaves a webhook without processor to processor-missing", () => {
    const flow = callbackRequestFlow().with("send-crm", node.webhook(["name", "phone"], "thanks"));
    expect(check(flow).map((problem) => problem.rule)).toEqual(["processor-missing"]);
  });

  it("is a warning: the flow still publishes", () => {
    const problems = check(withoutNotices(["name", "phone"]));
    expect(problems.map((problem) => [problem.rule, problem.severity])).toEqual([["notices-missing", "warning"]]);
    expect(hasErrors(checkFlowSource(readFileSync(referenceFile, "utf8").replace(noticesLine, "")).problems)).toBe(false);
  });

  it("gives the YAML line and column of the `processor` key", () => {
    const source = readFileSync(referenceFile, "utf8");
    expect(source).toContain(noticesLine);
    const lines = source.replace(noticesLine, "").split("\n");
    const processorLine = lines.findIndex((line) => line.startsWith("    processor: { name: Muster CRM GmbH")) + 1;
    const problems = checkFlowSource(lines.join("\n"), { lang: "en" }).problems.filter((problem) => problem.rule === "notices-missing");
    expect(problems.map((problem) => [problem.line, problem.column, problem.node])).toEqual([[processorLine, 5, "send-crm"]]);
  });
});
