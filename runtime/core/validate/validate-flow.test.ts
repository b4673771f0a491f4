import { describe, expect, it } from "vitest";
import { hasErrors, ruleSeverities } from "./problem.ts";
import { callbackRequestFlow, check, minimalFlow, node } from "./test-flow-builder.ts";

/** Breaks every rule of docs/rules.md except `schema` at least once (like examples/non-compliant-lead-capture.yaml). */
const everyRuleBroken = minimalFlow()
  .privacy({ imprintUrl: "http://muster.example/impressum", retention: "P3Y" })
  .menu(["privacy", "imprint", "my-data", { label: "Rückruf", goto: "ask-phone" }])
  .with("welcome", node.choice("ask-email", "consent-callback"))
  .with("ask-email", node.input("email", "send-lead", { format: "email" }))
  .with("send-lead", node.webhook(["email"], "send-us-crm"))
  .with("send-us-crm", node.webhookWithoutNotices(["email"], "done", { name: "Leadbox Inc.", country: "US" }))
  .with("consent-callback", node.consent(["phone"], "ask-phone", "welcome"))
  .with("ask-phone", node.input("phone", "done", { format: "phone" }))
  .with("summer-promo", node.message("nirgendwo"))
  .with("peek", { ...node.webhook([], "done"), url: "https://169.254.169.254/latest/meta-data/" });

describe("checkFlowValue", () => {
  it("gives warnings for unreachable, unused-personal and notices-missing and errors for every other rule", () => {
    const problems = check(everyRuleBroken);
    const pairs = new Map(problems.map((problem) => [problem.rule, problem.severity]));
    expect(Object.fromEntries(pairs)).toEqual({
      "ref-unknown": "error",
      "consent-missing": "error",
      "menu-required": "error",
      retention: "error",
      "privacy-urls": "error",
      "processor-missing": "error",
      "third-country": "error",
      "webhook-address": "error",
      unreachable: "warning",
      "unused-personal": "warning",
      "notices-missing": "warning",
    });
    expect(problems.filter((problem) => problem.severity !== ruleSeverities[problem.rule])).toEqual([]);
  });

  it("reports schema problems as errors", () => {
    expect(check({ ...minimalFlow().build(), title: "" }).map((problem) => [problem.rule, problem.severity])).toEqual([
      ["schema", "error"],
    ]);
  });

  it("gives every problem a German and an English message that differ, for the same problems in the same order", () => {
    const german = check(everyRuleBroken, undefined, "de");
    const english = check(everyRuleBroken, undefined, "en");
    const withoutMessage = ({ message: _, ...rest }: (typeof german)[number]) => rest;
    expect(german.map(withoutMessage)).toEqual(english.map(withoutMessage));
    expect(german.length).toBeGreaterThan(9);
    german.forEach((problem, index) => {
      expect(problem.message).not.toBe("");
      expect(problem.message).not.toBe(english[index]?.message);
    });
  });

  it("answers in English when no language is asked for", () => {
    expect(check(minimalFlow().start("anfang"), "ref-unknown")[0]?.message).toBe("There is no node 'anfang'.");
  });

  it("lets a flow with only warnings pass and stops a flow with an error", () => {
    const warningsOnly = check(callbackRequestFlow().with("promo", node.message("main")));
    expect(warningsOnly.map((problem) => [problem.rule, problem.severity])).toEqual([["unreachable", "warning"]]);
    expect(hasErrors(warningsOnly.map((problem) => ({ ...problem, line: 1, column: 1 })))).toBe(false);
    expect(hasErrors(check(everyRuleBroken).map((problem) => ({ ...problem, line: 1, column: 1 })))).toBe(true);
  });
});
