import { describe, expect, it } from "vitest";
import { check, minimalFlow } from "../test-flow-builder.ts";

describe("handover-fallback", () => {
  it("warns about a handover without a noAgent target", () => {
    const flow = minimalFlow().with("human", { type: "handover", text: "Ein Mensch übernimmt." }).menuGoto("human", "Mensch");
    expect(check(flow, "handover-fallback")).toEqual([
      {
        rule: "handover-fallback",
        severity: "warning",
        node: "human",
        pointer: "/nodes/human",
        message: "The handover 'human' has no 'noAgent' target: outside the opening hours the visitor only learns that nobody is there. Add a step for that case, e.g. one that offers a call back.",
      },
    ]);
  });

  it("is quiet when the handover names where to go when nobody is there", () => {
    const flow = minimalFlow().with("human", { type: "handover", text: "Ein Mensch übernimmt.", noAgent: "welcome" }).menuGoto("human", "Mensch");
    expect(check(flow, "handover-fallback")).toEqual([]);
  });
});
