/** Integration presets in the core: the request each makes, the validator's checks, and the privacy texts naming their processor. */
import { describe, expect, it } from "vitest";
import type { Flow, Integration, WebhookNode } from "../dsl/flow.ts";
import { processingAgreementTexts } from "../privacy/paperwork.ts";
import { privacyPolicyText, processingOf } from "../privacy/privacy-text.ts";
import { check, minimalFlow, node } from "../validate/test-flow-builder.ts";
import { integrationAddress, integrationCall } from "./integrations.ts";

const brevo: Integration = { preset: "brevo", secret: "BREVO", listIds: [3], templateId: 9, redirectUrl: "https://muster.example/danke" };
const brevoProcessor = { name: "Sendinblue SAS (Brevo)", country: "FR" };

/** welcome → consent (email, first_name) → ask-email → ask-name → subscribe (the step given) → done. */
function newsletter(step: Partial<WebhookNode>) {
  const subscribe: WebhookNode = { type: "webhook", sends: ["email", "first_name"], next: "done", ...step };
  if (subscribe.integration !== undefined) delete (subscribe as { url?: string }).url;
  return minimalFlow()
    .with("welcome", node.message("consent"))
    .with("consent", node.consent(["email", "first_name"], "ask-email", "done"))
    .with("ask-email", node.input("email", "ask-name", { format: "email" }))
    .with("ask-name", node.input("first_name", "subscribe"))
    .with("subscribe", subscribe);
}

const input = { node: "subscribe", sends: ["email", "first_name"], values: { email: "erika@beispiel.de", first_name: "Erika" }, label: (field: string) => (field === "email" ? "E-Mail" : "Vorname"), language: "de" as const };

describe("integrationCall", () => {
  it("makes Brevo's double opt-in contact with the other fields as attributes in capitals, and no key", () => {
    expect(integrationCall({ type: "webhook", next: "x", integration: brevo }, input)).toEqual({
      preset: "brevo",
      secret: "BREVO",
      contact: { email: "erika@beispiel.de", attributes: { FIRST_NAME: "Erika" }, includeListIds: [3], templateId: 9, redirectionUrl: "https://muster.example/danke" },
    });
    expect(integrationAddress(brevo)).toBe("https://api.brevo.com/v3/contacts/doubleOptinConfirmation");
  });

  it("takes attribute names from the step and subscribes nobody without an address", () => {
    const named: Integration = { ...brevo, attributes: { VORNAME: "first_name" } };
    expect(integrationCall({ type: "webhook", next: "x", integration: named }, input)).toMatchObject({ contact: { attributes: { VORNAME: "Erika" } } });
    expect(integrationCall({ type: "webhook", next: "x", integration: brevo }, { ...input, values: { first_name: "Erika" } })).toBeUndefined();
  });

  it("writes the team's e-mail with labels in the flow's language", () => {
    const call = integrationCall({ type: "webhook", next: "x", integration: { preset: "email", to: ["team@muster.example"], replyTo: "email" } }, input);
    expect(call).toMatchObject({ preset: "email", to: ["team@muster.example"], subject: "Neue Anfrage aus dem Chatbot", replyTo: "erika@beispiel.de" });
    expect(call?.preset === "email" && call.text).toContain("E-Mail: erika@beispiel.de\nVorname: Erika\n");
    const english = integrationCall({ type: "webhook", next: "x", integration: { preset: "email", to: ["team@muster.example"] } }, { ...input, language: "en" });
    expect(english).toMatchObject({ subject: "New enquiry from the chatbot" });
  });
});

describe("integration-setup", () => {
  it("accepts a Brevo step that names Brevo's company and sends the address", () => {
    // Only the warning that Brevo is not told about erasures (notices-missing) remains.
    expect(check(newsletter({ integration: brevo, processor: brevoProcessor })).map((problem) => problem.rule)).toEqual(["notices-missing"]);
  });

  it("asks for Brevo's company as processor, naming the exact value, in English and German", () => {
    const problems = check(newsletter({ integration: brevo, processor: { name: "Muster CRM GmbH", country: "DE" } }), "integration-setup");
    expect(problems).toEqual([
      {
        rule: "integration-setup",
        severity: "error",
        node: "subscribe",
        pointer: "/nodes/subscribe/processor",
        message: "'subscribe' sends data to Brevo, so its processor must be Brevo's company: `processor: { name: Sendinblue SAS (Brevo), country: FR }`. The privacy texts name it.",
      },
    ]);
    expect(check(newsletter({ integration: { preset: "cleverreach", secret: "CR", groupId: 1, formId: 2 }, processor: brevoProcessor }), "integration-setup", "de")[0]?.message).toContain(
      "CleverReach GmbH & Co. KG, country: DE",
    );
  });

  it("refuses an address, a reply mapping or a synchronous call of its own, and fields it reads but does not send", () => {
    const flow = newsletter({ integration: { ...brevo, emailField: "mail", attributes: { NAME: "first_name" } }, processor: brevoProcessor, sends: ["email"], map: { ticket: "/id" }, delivery: "sync" });
    const broken = flow.build();
    (broken.nodes.subscribe as WebhookNode).url = "https://api.brevo.com/v3/contacts";
    expect(check(broken as Flow, "integration-setup").map((problem) => problem.pointer)).toEqual([
      "/nodes/subscribe/url",
      "/nodes/subscribe/map",
      "/nodes/subscribe/delivery",
      "/nodes/subscribe/integration/emailField",
      "/nodes/subscribe/integration/attributes/NAME",
    ]);
  });

  it("leaves the e-mail preset's processor to the step (the configured mail provider), but not to chance", () => {
    const mail: Integration = { preset: "email", to: ["team@muster.example"] };
    const errors = (flow: ReturnType<typeof newsletter>) => check(flow).filter((problem) => problem.severity === "error").map((problem) => problem.rule);
    expect(errors(newsletter({ integration: mail, processor: { name: "Muster Mail GmbH", country: "DE" } }))).toEqual([]);
    expect(errors(newsletter({ integration: mail }))).toEqual(["processor-missing"]);
  });
});

describe("durable-delivery", () => {
  const url = "https://crm.muster.example/api";
  const processor = { name: "Muster CRM GmbH", country: "DE" };

  it("warns that a durable step with a map is called synchronously after all", () => {
    const problems = check(newsletter({ url, processor, delivery: "durable", map: { first_name: "/name" } }), "durable-delivery");
    expect(problems).toEqual([
      expect.objectContaining({ rule: "durable-delivery", severity: "warning", pointer: "/nodes/subscribe/map", message: expect.stringContaining("called synchronously while the visitor waits") }),
    ]);
  });

  it("warns that a durable step's error branch is never taken, also for a preset, and says nothing about a synchronous one", () => {
    expect(check(newsletter({ url, processor, delivery: "durable", error: "done" }), "durable-delivery")).toEqual([
      expect.objectContaining({ severity: "warning", pointer: "/nodes/subscribe/error", message: expect.stringContaining("its `error` branch ('done') is never taken") }),
    ]);
    expect(check(newsletter({ integration: brevo, processor: brevoProcessor, error: "done" }), "durable-delivery")).toHaveLength(1);
    expect(check(newsletter({ url, processor, error: "done", map: { first_name: "/name" } }), "durable-delivery")).toEqual([]);
  });
});

describe("privacy texts of a preset", () => {
  it("name the preset's processor as recipient of the sent fields, in the policy, in both languages, and in a DPA template", () => {
    const flow = newsletter({ integration: brevo, processor: brevoProcessor }).build();
    expect(processingOf(flow).recipients).toEqual([{ name: "Sendinblue SAS (Brevo)", country: "FR", fields: ["email", "first_name"] }]);
    expect(privacyPolicyText([flow], { lang: "de", region: "EU" })).toContain("- Sendinblue SAS (Brevo), Frankreich:");
    expect(privacyPolicyText([flow], { lang: "en", region: "EU" })).toContain("- Sendinblue SAS (Brevo), France:");
    expect(processingAgreementTexts(flow, { lang: "de" })).toContain("Sendinblue SAS (Brevo)");
  });
});
