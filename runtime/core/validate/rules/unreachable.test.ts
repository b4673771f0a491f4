import { describe, expect, it } from "vitest";
import { callbackRequestFlow, check, minimalFlow, node } from "../test-flow-builder.ts";

describe("unreachable", () => {
  it("reports nothing when every node is reached from the start", () => {
    expect(check(minimalFlow(), "unreachable")).toEqual([]);
  });

  it("reports a node nothing leads to, as a warning", () => {
    const promo = minimalFlow().with("summer-promo", node.message("welcome", "Nur im Juli: 10 % Rabatt!"));
    expect(check(promo)).toEqual([
      {
        rule: "unreachable",
        severity: "warning",
        node: "summer-promo",
        pointer: "/nodes/summer-promo",
        message: "No path from the start or a menu item leads to 'summer-promo'.",
      },
    ]);
  });

  it("counts a node that only a custom menu item leads to as reached", () => {
    const promo = minimalFlow().with("summer-promo", node.message("welcome")).menuGoto("summer-promo", "Angebote");
    expect(check(promo)).toEqual([]);
  });

  it("counts nodes behind a consent's accept and decline edges as reached", () => {
    expect(check(callbackRequestFlow(), "unreachable")).toEqual([]);
  });

  it("counts nodes reached only through a condition's else, an input's invalid or a webhook's error as reached", () => {
    const sideEdges = minimalFlow()
      .with("welcome", node.condition([["anliegen", "done"]], "ask"))
      .with("ask", node.input("anliegen", "hook", { invalid: "retry-later" }))
      .with("retry-later", node.message("done"))
      .with("hook", { ...node.webhook([], "done"), error: "failed" })
      .with("failed", node.message("done"));
    expect(check(sideEdges, "unreachable")).toEqual([]);
  });

  it("reports every node of a chain that only an unreachable node leads into", () => {
    const island = minimalFlow().with("island-a", node.message("island-b")).with("island-b", node.message("island-a"));
    expect(check(island, "unreachable").map((problem) => problem.node)).toEqual(["island-a", "island-b"]);
  });

  it("reports a node that only points to itself", () => {
    expect(
      check(minimalFlow().with("loop", node.message("loop")), "unreachable").map((problem) => problem.node),
    ).toEqual(["loop"]);
  });

  it("reports every node when the start names no node", () => {
    expect(check(minimalFlow().start("anfang"), "unreachable").map((problem) => problem.node)).toEqual([
      "welcome",
      "done",
    ]);
  });

  it("explains the problem in German", () => {
    expect(
      check(minimalFlow().with("promo", node.message()), "unreachable", "de").map((problem) => problem.message),
    ).toEqual(["Kein Weg vom Start oder einem Menüpunkt führt zu 'promo'."]);
  });
});
