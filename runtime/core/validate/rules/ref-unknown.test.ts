import { describe, expect, it } from "vitest";
import { check, minimalFlow, node } from "../test-flow-builder.ts";

describe("ref-unknown", () => {
  it("reports nothing when every reference names an existing node", () => {
    const everyEdgeKind = minimalFlow()
      .with("welcome", node.choice("consent", "branch"))
      .with("consent", node.consent(["email"], "ask", "done"))
      .with("ask", node.input("email", "hook", { invalid: "done" }))
      .with("hook", { ...node.webhook(["email"], "done", { name: "Muster CRM GmbH", country: "DE" }), error: "done" })
      .with("branch", node.condition([["email", "done"]], "welcome"))
      .menuGoto("branch");
    expect(check(everyEdgeKind, "ref-unknown")).toEqual([]);
  });

  it("reports a message whose next names no node, at the reference", () => {
    expect(check(minimalFlow().with("welcome", node.message("nirgendwo")))).toEqual([
      {
        rule: "ref-unknown",
        severity: "error",
        node: "welcome",
        pointer: "/nodes/welcome/next",
        message: "There is no node 'nirgendwo'.",
      },
      // `done` is left without a way in: the graph rules still run on the rest.
      expect.objectContaining({ rule: "unreachable", node: "done" }),
    ]);
  });

  it("reports an unknown start, without a node", () => {
    expect(check(minimalFlow().start("anfang"), "ref-unknown")).toEqual([
      { rule: "ref-unknown", severity: "error", pointer: "/start", message: "There is no node 'anfang'." },
    ]);
  });

  it("reports an unknown menu goto at its position in the menu", () => {
    expect(check(minimalFlow().menuGoto("hours"), "ref-unknown")).toEqual([
      { rule: "ref-unknown", severity: "error", pointer: "/menu/4/goto", message: "There is no node 'hours'." },
    ]);
  });

  it("reports each unknown reference of a node, with the pointer of each edge", () => {
    const broken = minimalFlow()
      .with("welcome", node.choice("done", "fehlt-1", "consent"))
      .with("consent", node.consent(["email"], "fehlt-2", "fehlt-3"))
      .with("ask", node.input("email", "done", { invalid: "fehlt-4" }))
      .with("branch", node.condition([["email", "fehlt-5"]], "fehlt-6"))
      .with("hook", { ...node.webhook([], "fehlt-7"), error: "fehlt-8" });
    expect(check(broken, "ref-unknown").map((problem) => [problem.node, problem.pointer])).toEqual([
      ["welcome", "/nodes/welcome/options/1/next"],
      ["consent", "/nodes/consent/accept"],
      ["consent", "/nodes/consent/decline"],
      ["ask", "/nodes/ask/invalid"],
      ["branch", "/nodes/branch/if/0/next"],
      ["branch", "/nodes/branch/else"],
      ["hook", "/nodes/hook/next"],
      ["hook", "/nodes/hook/error"],
    ]);
  });

  it("says the same in German and English, in different words", () => {
    const flow = minimalFlow().start("anfang");
    const [german] = check(flow, "ref-unknown", "de");
    const [english] = check(flow, "ref-unknown", "en");
    expect(german?.message).toBe("Es gibt keinen Schritt 'anfang'.");
    expect(english?.message).toBe("There is no node 'anfang'.");
  });
});
