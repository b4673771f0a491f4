import { describe, expect, it } from "vitest";
import { check, germanProcessor, minimalFlow, node } from "../test-flow-builder.ts";

/** welcome → consent (covers name, email, anliegen) → ask-name → send-crm (names its processor) → done. */
function sending(sends: string[]) {
  return minimalFlow()
    .with("welcome", node.message("consent"))
    .with("consent", node.consent(["name", "email", "anliegen"], "ask-name", "done"))
    .with("ask-name", node.input("name", "send-crm"))
    .with("send-crm", node.webhook(sends, "done", germanProcessor));
}

/** The same, with a webhook that names no processor. */
function sendingWithoutProcessor(sends: string[]) {
  return sending(sends).with("send-crm", node.webhook(sends, "done"));
}

describe("processor-missing", () => {
  it("reports nothing when a webhook sending personal data names its processor", () => {
    expect(check(sending(["name", "email"]))).toEqual([]);
  });

  it("reports a webhook that sends personal data without a processor, once, naming the personal fields", () => {
    expect(check(sendingWithoutProcessor(["name", "anliegen", "email"]))).toEqual([
      {
        rule: "processor-missing",
        severity: "error",
        node: "send-crm",
        pointer: "/nodes/send-crm",
        message:
          "'send-crm' sends personal data ('name', 'email') but names no processor; add `processor: { name, country }`.",
      },
    ]);
  });

  it("reports nothing for a webhook without processor that sends only non-personal fields", () => {
    expect(check(sendingWithoutProcessor(["anliegen"]), "processor-missing")).toEqual([]);
  });

  it("reports nothing for a webhook without processor that sends nothing", () => {
    expect(check(sendingWithoutProcessor([]), "processor-missing")).toEqual([]);
  });

  it("reports nothing for a webhook sending a field its input marks personal: false", () => {
    const notPersonal = sendingWithoutProcessor(["name"]).with(
      "ask-name",
      node.input("name", "send-crm", { personal: false }),
    );
    expect(check(notPersonal, "processor-missing")).toEqual([]);
  });

  it("reports a webhook sending an innocuous field that its input marks personal: true", () => {
    const personal = sendingWithoutProcessor(["anliegen"]).with(
      "ask-name",
      node.input("anliegen", "send-crm", { personal: true }),
    );
    expect(check(personal, "processor-missing").map((problem) => problem.node)).toEqual(["send-crm"]);
  });

  it("reports each webhook on its own", () => {
    const two = sendingWithoutProcessor(["email"])
      .with("send-crm", node.webhook(["email"], "send-mail"))
      .with("send-mail", node.webhook(["name"], "done"));
    expect(check(two, "processor-missing").map((problem) => problem.node)).toEqual(["send-crm", "send-mail"]);
  });

  it("explains the problem in German", () => {
    expect(
      check(sendingWithoutProcessor(["email"]), "processor-missing", "de").map((problem) => problem.message),
    ).toEqual([
      "'send-crm' sendet personenbezogene Daten ('email'), nennt aber keinen Auftragsverarbeiter; `processor: { name, country }` ergänzen.",
    ]);
  });
});
