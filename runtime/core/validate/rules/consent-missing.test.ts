import { describe, expect, it } from "vitest";
import type { UnlocatedProblem } from "../problem.ts";
import {
  callbackRequestFlow,
  check,
  germanProcessor,
  minimalFlow,
  node,
  problemSummary,
} from "../test-flow-builder.ts";

/** A consent-missing problem as the rule reports it; the message has its own tests below. */
function missing(nodeId: string, field: string, path: string[]): UnlocatedProblem {
  return {
    rule: "consent-missing",
    severity: "error",
    node: nodeId,
    field,
    path,
    pointer: `/nodes/${nodeId}`,
    message: expect.any(String),
  };
}

/** welcome → ask-email → thanks ("Danke, {{email}}") → done, with no consent anywhere. */
const unguardedEmail = minimalFlow()
  .with("welcome", node.message("ask-email"))
  .with("ask-email", node.input("email", "thanks"))
  .with("thanks", node.message("done", "Danke, {{email}}!"));

/** The same, with a consent covering `email` right before the input. */
const guardedEmail = unguardedEmail
  .with("welcome", node.message("consent-email"))
  .with("consent-email", node.consent(["email"], "ask-email", "done"));

/** welcome → ask → thanks → done, where `ask` is the given input and thanks shows its field. */
function askingOnly(field: string, options: Parameters<typeof node.input>[2] = {}) {
  return minimalFlow()
    .with("welcome", node.message("ask"))
    .with("ask", node.input(field, "thanks", options))
    .with("thanks", node.message("done", `Danke: {{${field}}}`));
}

describe("consent-missing", () => {
  describe("the basic rule", () => {
    it("reports an input reached from the start without any consent", () => {
      expect(check(unguardedEmail, "consent-missing")).toEqual([
        missing("ask-email", "email", ["welcome", "ask-email"]),
      ]);
    });

    it("reports nothing at all when a consent covering the field comes right before the input", () => {
      expect(check(guardedEmail)).toEqual([]);
    });

    it("reports nothing for docs/flows.md#the-reference-flow's reference flow", () => {
      expect(check(callbackRequestFlow())).toEqual([]);
    });

    it("reports an input whose consent comes only after it", () => {
      const consentAfter = unguardedEmail
        .with("ask-email", node.input("email", "consent-email"))
        .with("consent-email", node.consent(["email"], "thanks", "done"));
      expect(check(consentAfter, "consent-missing")).toEqual([missing("ask-email", "email", ["welcome", "ask-email"])]);
    });

    it("reports an input that is itself the start node, with a path of one node", () => {
      expect(check(unguardedEmail.start("ask-email"), "consent-missing")).toEqual([
        missing("ask-email", "email", ["ask-email"]),
      ]);
    });

    it("reports every node that collects the field, not only the first", () => {
      const twice = unguardedEmail
        .with("thanks", node.message("ask-again", "Danke, {{email}}!"))
        .with("ask-again", node.input("email", "done"));
      expect(check(twice, "consent-missing")).toEqual([
        missing("ask-email", "email", ["welcome", "ask-email"]),
        missing("ask-again", "email", ["welcome", "ask-email", "thanks", "ask-again"]),
      ]);
    });

    it("accepts either of two consents covering the field on two branches", () => {
      const twoConsents = minimalFlow()
        .with("welcome", node.choice("consent-a", "consent-b"))
        .with("consent-a", node.consent(["email"], "ask-email", "done"))
        .with("consent-b", node.consent(["email", "phone"], "ask-email", "done"))
        .with("ask-email", node.input("email", "thanks"))
        .with("thanks", node.message("done", "Danke, {{email}}!"));
      expect(check(twoConsents)).toEqual([]);
    });

    it("reports a webhook that stores a personal field from its reply before any consent", () => {
      const mapsEmail = minimalFlow()
        .with("welcome", node.message("lookup"))
        .with("lookup", { ...node.webhook([], "thanks"), map: { email: "/customer/email" } })
        .with("thanks", node.message("done", "Wir schreiben an {{email}}."));
      expect(check(mapsEmail, "consent-missing")).toEqual([missing("lookup", "email", ["welcome", "lookup"])]);
    });
  });

  describe("loops and branches", () => {
    it("reports nothing when a path through the accept edge loops back to the main menu and on to the input", () => {
      const loops = callbackRequestFlow()
        .with("thanks", node.message("main", "Danke, {{name}}! Wir rufen Sie zurück."))
        .with("ask-phone", node.input("phone", "send-crm", { format: "phone", invalid: "ask-name" }))
        .without("done");
      expect(check(loops)).toEqual([]);
    });

    it("reports an input on a branch without consent even though a consent covering it sits on another branch", () => {
      const otherBranch = minimalFlow()
        .with("welcome", node.choice("consent-name", "ask-name"))
        .with("consent-name", node.consent(["name"], "greet", "done"))
        .with("greet", node.message("done", "Schön, dass Sie da sind."))
        .with("ask-name", node.input("name", "thanks"))
        .with("thanks", node.message("done", "Danke, {{name}}!"));
      expect(check(otherBranch, "consent-missing")).toEqual([missing("ask-name", "name", ["welcome", "ask-name"])]);
    });

    it("reports an input reached through the decline branch", () => {
      const declineAsks = callbackRequestFlow().with(
        "consent-callback",
        node.consent(["name", "phone"], "ask-name", "ask-name"),
      );
      expect(check(declineAsks, "consent-missing")).toEqual([
        missing("ask-name", "name", ["welcome", "main", "consent-callback", "ask-name"]),
        missing("send-crm", "name", ["welcome", "main", "consent-callback", "ask-name", "ask-phone", "send-crm"]),
        missing("ask-phone", "phone", ["welcome", "main", "consent-callback", "ask-name", "ask-phone"]),
        missing("send-crm", "phone", ["welcome", "main", "consent-callback", "ask-name", "ask-phone", "send-crm"]),
      ]);
    });

    it("reports only the part of the accept side that the decline branch leads into", () => {
      const declineToPhone = callbackRequestFlow().with(
        "consent-callback",
        node.consent(["name", "phone"], "ask-name", "ask-phone"),
      );
      expect(problemSummary(check(declineToPhone, "consent-missing"))).toEqual([
        ["consent-missing", "send-crm", "name"],
        ["consent-missing", "ask-phone", "phone"],
        ["consent-missing", "send-crm", "phone"],
      ]);
    });

    it("reports an input that a choice option reaches past the consent", () => {
      const bypass = callbackRequestFlow().with("main", node.choice("consent-callback", "ask-name"));
      expect(check(bypass, "consent-missing")).toEqual([
        missing("ask-name", "name", ["welcome", "main", "ask-name"]),
        missing("send-crm", "name", ["welcome", "main", "ask-name", "ask-phone", "send-crm"]),
        missing("ask-phone", "phone", ["welcome", "main", "ask-name", "ask-phone"]),
        missing("send-crm", "phone", ["welcome", "main", "ask-name", "ask-phone", "send-crm"]),
      ]);
    });

    it("reports the nodes behind a condition branch that bypasses the consent", () => {
      const knownCaller = callbackRequestFlow()
        .with("welcome", node.message("known-caller"))
        .with("known-caller", node.condition([["phone", "send-crm"]], "main"));
      expect(check(knownCaller, "consent-missing")).toEqual([
        missing("send-crm", "name", ["welcome", "known-caller", "send-crm"]),
        missing("send-crm", "phone", ["welcome", "known-caller", "send-crm"]),
      ]);
    });

    it("reports nothing when every condition branch leads through the consent or to nodes that collect nothing", () => {
      const knownCaller = callbackRequestFlow()
        .with("welcome", node.message("known-caller"))
        .with("known-caller", node.condition([["phone", "thanks"]], "main"));
      expect(check(knownCaller, "consent-missing")).toEqual([]);
    });
  });

  describe("menu items are entry points", () => {
    it("reports an input that a custom menu item jumps to directly", () => {
      const menuBypass = callbackRequestFlow().menuGoto("ask-phone", "Rückruf");
      expect(check(menuBypass, "consent-missing")).toEqual([
        missing("send-crm", "name", ["ask-phone", "send-crm"]),
        missing("ask-phone", "phone", ["ask-phone"]),
        missing("send-crm", "phone", ["ask-phone", "send-crm"]),
      ]);
    });

    it("reports an input behind a menu item that jumps into the accept side of the consent", () => {
      const intoAcceptSide = callbackRequestFlow()
        .with("consent-callback", node.consent(["name", "phone"], "intro", "no-consent"))
        .with("intro", node.message("ask-name", "Dann brauchen wir zwei Angaben."))
        .menuGoto("intro", "Rückruf");
      expect(check(intoAcceptSide, "consent-missing")).toEqual([
        missing("ask-name", "name", ["intro", "ask-name"]),
        missing("send-crm", "name", ["intro", "ask-name", "ask-phone", "send-crm"]),
        missing("ask-phone", "phone", ["intro", "ask-name", "ask-phone"]),
        missing("send-crm", "phone", ["intro", "ask-name", "ask-phone", "send-crm"]),
      ]);
    });

    it("reports nothing when a menu item jumps to the consent itself", () => {
      expect(check(callbackRequestFlow().menuGoto("consent-callback", "Rückruf"))).toEqual([]);
    });
  });

  describe("each personal field separately", () => {
    it("reports only phone when the consent covers name but phone is asked too", () => {
      const nameOnly = callbackRequestFlow().with("consent-callback", node.consent(["name"], "ask-name", "no-consent"));
      expect(check(nameOnly, "consent-missing")).toEqual([
        missing("ask-phone", "phone", ["welcome", "main", "consent-callback", "ask-name", "ask-phone"]),
        missing("send-crm", "phone", ["welcome", "main", "consent-callback", "ask-name", "ask-phone", "send-crm"]),
      ]);
    });

    it("reports a webhook sending an uncovered field both as consent-missing and, without processor, as processor-missing", () => {
      const sendsEmail = minimalFlow()
        .with("welcome", node.message("consent-name"))
        .with("consent-name", node.consent(["name"], "ask-name", "done"))
        .with("ask-name", node.input("name", "send-crm"))
        .with("send-crm", node.webhook(["name", "customer_email"], "done"));
      expect(check(sendsEmail).filter((problem) => problem.severity === "error")).toEqual([
        missing("send-crm", "customer_email", ["welcome", "consent-name", "ask-name", "send-crm"]),
        {
          rule: "processor-missing",
          severity: "error",
          node: "send-crm",
          pointer: "/nodes/send-crm",
          message:
            "'send-crm' sends personal data ('name', 'customer_email') but names no processor; add `processor: { name, country }`.",
        },
      ]);
    });

    it("reports nothing for the same webhook once the consent covers both fields and a processor is named", () => {
      const compliant = minimalFlow()
        .with("welcome", node.message("consent-name"))
        .with("consent-name", node.consent(["name", "customer_email"], "ask-name", "done"))
        .with("ask-name", node.input("name", "send-crm"))
        .with("send-crm", node.webhook(["name", "customer_email"], "done", germanProcessor));
      expect(check(compliant)).toEqual([]);
    });
  });

  describe("which fields are personal", () => {
    it("does not report an input whose personal-sounding name is marked personal: false", () => {
      expect(check(askingOnly("name", { personal: false }))).toEqual([]);
    });

    it("reports an input with an innocuous name marked personal: true", () => {
      expect(check(askingOnly("anliegen", { personal: true }), "consent-missing")).toEqual([
        missing("ask", "anliegen", ["welcome", "ask"]),
      ]);
    });

    it.each(["email", "phone"] as const)("reports an innocuous field made personal by format %s", (format) => {
      expect(check(askingOnly("kontakt", { format }), "consent-missing")).toEqual([
        missing("ask", "kontakt", ["welcome", "ask"]),
      ]);
    });

    it.each(["text", "number", "date", "url"] as const)(
      "does not report an innocuous field with format %s",
      (format) => {
        expect(check(askingOnly("kontakt", { format }))).toEqual([]);
      },
    );

    it("lets personal: false win over an email format", () => {
      expect(check(askingOnly("ticket", { format: "email", personal: false }))).toEqual([]);
    });

    it.each([
      "name",
      "vorname",
      "nachname",
      "telefon",
      "Telefonnummer",
      "e-mail",
      "E-Mail",
      "email",
      "phone",
      "customer_email",
      "kunden_email",
      "firstName",
      "adresse",
      "geburtsdatum",
      "iban",
    ])("reports the well-known personal field name %s", (field) => {
      expect(check(askingOnly(field), "consent-missing")).toEqual([missing("ask", field, ["welcome", "ask"])]);
    });

    it.each(["product_name", "anliegen", "topic", "bestellnummer", "filename"])(
      "does not report the non-personal field name %s",
      (field) => {
        expect(check(askingOnly(field))).toEqual([]);
      },
    );
  });

  describe("messages", () => {
    it("names the node, the field, the entry point and the witness path", () => {
      expect(check(unguardedEmail, "consent-missing", "en").map((problem) => problem.message)).toEqual([
        "'ask-email' stores the personal field 'email' without a consent covering it on the way from the start: welcome → ask-email. Insert a consent node that covers 'email' before it.",
      ]);
    });

    it("names the menu item a witness path starts from", () => {
      const menuBypass = callbackRequestFlow().menuGoto("ask-phone", "Rückruf");
      expect(check(menuBypass, "consent-missing", "en").map((problem) => problem.message)).toContain(
        "'ask-phone' stores the personal field 'phone' without a consent covering it on the way from the menu item 'Rückruf': ask-phone. Insert a consent node that covers 'phone' before it.",
      );
    });

    it("says 'sends' rather than 'stores' for a webhook", () => {
      const sendsOnly = minimalFlow()
        .with("welcome", node.message("send-crm"))
        .with("send-crm", node.webhook(["email"], "done", germanProcessor));
      expect(check(sendsOnly, "consent-missing", "en").map((problem) => problem.message)).toEqual([
        "'send-crm' sends the personal field 'email' to a third party without a consent covering it on the way from the start: welcome → send-crm. Insert a consent node that covers 'email' before it.",
      ]);
    });

    it("says the same in German, in different words", () => {
      const menuBypass = unguardedEmail.menuGoto("ask-email", "Kontakt");
      const german = check(menuBypass, "consent-missing", "de").map((problem) => problem.message);
      const english = check(menuBypass, "consent-missing", "en").map((problem) => problem.message);
      expect(german).toHaveLength(1);
      expect(german[0]).toMatch(
        /^'ask-email' speichert das personenbezogene Feld 'email', ohne dass auf dem Weg .*Menüpunkt 'Kontakt'/,
      );
      expect(german[0]).toContain(": ask-email. Fügen Sie davor einen Einwilligungs-Schritt ein, der 'email' abdeckt.");
      expect(german).not.toEqual(english);
    });
  });
});
