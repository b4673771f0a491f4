/**
 * Integration presets of the webhook step (docs/deliveries.md#integrations): e-mail to the
 * team, a Brevo or CleverReach newsletter list with double opt-in. Pure: which processor stands
 * behind each preset (for the validator and the privacy texts), and what one delivery of a
 * preset sends — the request in the provider's own shape, without the API key, which the edge
 * adds from the named secret when it sends.
 */
import type { Integration, WebhookNode } from "../dsl/flow.ts";
import type { Language } from "../validate/problem.ts";

/** A stored field's value (the engine's `FieldValue`, repeated so the engine may import this module). */
type FieldValue = string | number | boolean;

export type IntegrationPreset = Integration["preset"];

export interface PresetProcessor {
  name: string;
  country: string;
}

/**
 * The company behind each newsletter preset. `email` has none fixed: it is whoever runs the
 * mail server of `BOTSCHAFT_SMTP_URL` (`BOTSCHAFT_MAIL_PROVIDER`), named in the step.
 */
export const presetProcessors: Readonly<Record<Exclude<IntegrationPreset, "email">, PresetProcessor & { matches: RegExp }>> = {
  brevo: { name: "Sendinblue SAS (Brevo)", country: "FR", matches: /brevo|sendinblue/i },
  cleverreach: { name: "CleverReach GmbH & Co. KG", country: "DE", matches: /cleverreach/i },
};

/** The providers' API roots; the edge may be pointed elsewhere (tests) by configuration. */
export const presetApiRoots = {
  brevo: "https://api.brevo.com/v3",
  cleverreach: "https://rest.cleverreach.com/v3",
} as const;

/** What a preset delivery carries in place of a webhook body: everything but the key. */
export type IntegrationCall =
  | { preset: "email"; to: string[]; subject: string; text: string; replyTo?: string }
  | {
      preset: "brevo";
      secret: string;
      /** `POST /contacts/doubleOptinConfirmation`. */
      contact: { email: string; attributes: Record<string, FieldValue>; includeListIds: number[]; templateId: number; redirectionUrl: string };
    }
  | {
      preset: "cleverreach";
      secret: string;
      groupId: number;
      formId: number;
      /** `POST /groups.json/{groupId}/receivers`: inactive until the visitor confirms. */
      receiver: { email: string; activated: 0; source: string; global_attributes: Record<string, FieldValue> };
      /** `POST /forms.json/{formId}/send/activate`: CleverReach's double opt-in mail. */
      activation: { email: string; doidata: { referer: string; user_agent: string } };
    };

/** The key a delivery body carries its preset call under; field names start with a letter, so no webhook body has it. */
export const integrationKey = "$integration";

/** Where a preset delivery goes, as shown to the team (the failed list's host). */
export function integrationAddress(integration: Integration): string {
  switch (integration.preset) {
    case "email":
      return `mailto:${integration.to.join(",")}`;
    case "brevo":
      return `${presetApiRoots.brevo}/contacts/doubleOptinConfirmation`;
    case "cleverreach":
      return `${presetApiRoots.cleverreach}/groups.json/${integration.groupId}/receivers`;
  }
}

/** The fields a preset reads by name (the address, attributes, reply-to): each must be among the step's `sends`. */
export function integrationFields(integration: Integration): { property: string; field: string }[] {
  if (integration.preset === "email") return integration.replyTo === undefined ? [] : [{ property: "replyTo", field: integration.replyTo }];
  return [
    { property: "emailField", field: integration.emailField ?? "email" },
    ...Object.entries(integration.attributes ?? {}).map(([name, field]) => ({ property: `attributes/${name}`, field })),
  ];
}

const mailTexts = {
  de: {
    subject: "Neue Anfrage aus dem Chatbot",
    intro: (step: string) => `Der Chatbot hat eine neue Anfrage aufgenommen (Schritt „${step}“):`,
    empty: "(keine Angaben)",
    footer: "Diese E-Mail enthält personenbezogene Daten. Bitte nur für den Zweck verwenden, in den die Person eingewilligt hat, und nicht länger als nötig aufbewahren.",
  },
  en: {
    subject: "New enquiry from the chatbot",
    intro: (step: string) => `The chatbot took a new enquiry (step "${step}"):`,
    empty: "(nothing given)",
    footer: "This e-mail holds personal data. Use it only for the purpose the person consented to, and keep it no longer than needed.",
  },
} as const;

export interface IntegrationInput {
  node: string;
  /** The sent fields' values that may leave the bot (personal ones only under consent). */
  values: Readonly<Record<string, FieldValue>>;
  /** The step's `sends`, in order. */
  sends: readonly string[];
  label(field: string): string;
  language: Language;
}

/**
 * The call a preset makes for one visitor, or undefined when there is nothing to send: a
 * newsletter preset without an address (not given, or not under consent) subscribes nobody.
 */
export function integrationCall(node: WebhookNode & { integration: Integration }, input: IntegrationInput): IntegrationCall | undefined {
  const { integration } = node;
  if (integration.preset === "email") {
    const words = mailTexts[input.language];
    const lines = input.sends.filter((field) => input.values[field] !== undefined).map((field) => `${input.label(field)}: ${String(input.values[field])}`);
    const replyTo = integration.replyTo === undefined ? undefined : input.values[integration.replyTo];
    return {
      preset: "email",
      to: [...integration.to],
      subject: integration.subject ?? words.subject,
      text: [words.intro(input.node), "", ...(lines.length > 0 ? lines : [words.empty]), "", "--", words.footer, ""].join("\n"),
      ...(typeof replyTo === "string" && replyTo !== "" ? { replyTo } : {}),
    };
  }
  const emailField = integration.emailField ?? "email";
  const email = input.values[emailField];
  if (typeof email !== "string" || email === "") return undefined;
  const attributes: Record<string, FieldValue> = {};
  if (integration.attributes) {
    for (const [name, field] of Object.entries(integration.attributes)) {
      const value = input.values[field];
      if (value !== undefined) attributes[name] = value;
    }
  } else {
    for (const field of input.sends) {
      const value = input.values[field];
      // Brevo's attributes are in capitals (FIRSTNAME), CleverReach's in small letters (firstname).
      const name = field.replace(/-/g, "_");
      if (field !== emailField && value !== undefined) attributes[integration.preset === "brevo" ? name.toUpperCase() : name.toLowerCase()] = value;
    }
  }
  if (integration.preset === "brevo") {
    return {
      preset: "brevo",
      secret: integration.secret,
      contact: { email, attributes, includeListIds: [...integration.listIds], templateId: integration.templateId, redirectionUrl: integration.redirectUrl },
    };
  }
  const source = "Botschaft chatbot";
  return {
    preset: "cleverreach",
    secret: integration.secret,
    groupId: integration.groupId,
    formId: integration.formId,
    receiver: { email, activated: 0, source, global_attributes: attributes },
    activation: { email, doidata: { referer: source, user_agent: "Botschaft" } },
  };
}
