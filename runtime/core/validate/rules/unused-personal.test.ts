import { describe, expect, it } from "vitest";
import type { FlowNode } from "../../dsl/flow.ts";
import { check, germanProcessor, minimalFlow, node } from "../test-flow-builder.ts";

/** welcome → consent (covers email, phone) → ask-email → after → done; `after` decides whether email is used. */
function collectingEmail(after: FlowNode, options: Parameters<typeof node.input>[2] = {}) {
  return minimalFlow()
    .with("welcome", node.message("consent"))
    .with("consent", node.consent(["email", "phone"], "ask-email", "done"))
    .with("ask-email", node.input("email", "after", options))
    .with("after", after);
}

describe("unused-personal", () => {
  it("reports a personal field that is stored but never read, as a warning at its input", () => {
    expect(check(collectingEmail(node.message("done", "Danke!")))).toEqual([
      {
        rule: "unused-personal",
        severity: "warning",
        node: "ask-email",
        field: "email",
        pointer: "/nodes/ask-email",
        message: "The personal field 'email' is collected at 'ask-email' but never used; collect only what you need.",
      },
    ]);
  });

  it.each<[string, FlowNode]>([
    ["a message interpolates it", node.message("done", "Wir schreiben an {{ email }}.")],
    [
      "a choice label interpolates it",
      { ...node.choice("done"), options: [{ label: "An {{email}} senden", next: "done" }] },
    ],
    ["a condition tests it", node.condition([["email", "done"]], "done")],
    ["a webhook sends it", node.webhook(["email"], "done", germanProcessor)],
    [
      "a handover shares it with the agent",
      { type: "handover", text: "Einen Moment bitte.", shares: ["email"], next: "done" },
    ],
    ["a set node interpolates it", { type: "set", set: { betreff: "Anfrage von {{email}}" }, next: "done" }],
    ["an end node's text interpolates it", { type: "end", text: "Wir melden uns unter {{email}}." }],
  ])("reports nothing when %s", (_, after) => {
    expect(check(collectingEmail(after), "unused-personal")).toEqual([]);
  });

  it("reports nothing for a non-personal field that is never read", () => {
    expect(check(collectingEmail(node.message("done")).with("ask-email", node.input("anliegen", "after")))).toEqual([]);
  });

  it("reports nothing for a personal-sounding field marked personal: false", () => {
    expect(check(collectingEmail(node.message("done"), { personal: false }), "unused-personal")).toEqual([]);
  });

  it("reports a field collected twice once, at the first node that collects it", () => {
    const twice = collectingEmail(node.input("email", "done"));
    expect(check(twice, "unused-personal").map((problem) => [problem.node, problem.field])).toEqual([
      ["ask-email", "email"],
    ]);
  });

  it("reports each unused personal field separately", () => {
    const both = collectingEmail(node.input("phone", "done", { format: "phone" }));
    expect(check(both, "unused-personal").map((problem) => [problem.node, problem.field])).toEqual([
      ["ask-email", "email"],
      ["after", "phone"],
    ]);
  });

  it("explains the problem in German", () => {
    expect(
      check(collectingEmail(node.message("done")), "unused-personal", "de").map((problem) => problem.message),
    ).toEqual([
      "Das personenbezogene Feld 'email' wird in 'ask-email' erfasst, aber nie verwendet; erfassen Sie nur, was Sie brauchen.",
    ]);
  });
});
