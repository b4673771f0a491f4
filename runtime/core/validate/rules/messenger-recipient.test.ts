import { describe, expect, it } from "vitest";
import { check, minimalFlow, node } from "../test-flow-builder.ts";

/** welcome → consent (covers email) → ask-email → done: a flow that collects a personal field. */
function collectingEmail() {
  return minimalFlow()
    .with("welcome", node.message("consent"))
    .with("consent", node.consent(["email"], "ask-email", "done"))
    .with("ask-email", node.input("email", "done"));
}

describe("messenger-recipient", () => {
  it("counts Telegram, outside the EU/EEA, as a recipient of the personal data typed there, with its country", () => {
    expect(check(collectingEmail(), "messenger-recipient", "en", ["telegram"])).toEqual([
      {
        rule: "messenger-recipient",
        severity: "warning",
        pointer: "/privacy",
        message:
          "The flow runs on Telegram: Telegram FZ-LLC in United Arab Emirates, outside the EU/EEA and without an adequacy decision, receives what visitors type there, including personal data ('email'). The generated privacy text names it as a recipient; say so in the consent text too, or publish the flow without Telegram.",
      },
    ]);
  });

  it("names the country in German for a German author", () => {
    const [problem] = check(collectingEmail(), "messenger-recipient", "de", ["telegram"]);
    expect(problem?.message).toContain("Telegram FZ-LLC in Vereinigte Arabische Emirate");
  });

  it("is quiet for WhatsApp and Messenger: Meta Platforms Ireland is in the EU", () => {
    expect(check(collectingEmail(), "messenger-recipient", "en", ["whatsapp", "messenger"])).toEqual([]);
  });

  it("is quiet for a web-only flow and for a Telegram flow that collects nothing personal", () => {
    expect(check(collectingEmail(), "messenger-recipient", "en", [])).toEqual([]);
    expect(check(minimalFlow(), "messenger-recipient", "en", ["telegram"])).toEqual([]);
  });
});
