/**
 * Privacy texts generated from the flows themselves (docs/privacy.md#generated-privacy-texts), so they never drift from what
 * the bot really does: the passage for the website's privacy policy and the record of
 * processing activities (Art. 30 GDPR), in German and English, as Markdown. Pure: the flows
 * and the runtime's region in, text out.
 */
import { countryName, isInEea, needsNoSafeguard } from "../dsl/countries.ts";
import { parseIsoDuration } from "../dsl/duration.ts";
import { fieldLabel } from "../dsl/field-labels.ts";
import type { Flow } from "../dsl/flow.ts";
import { type MessengerChannel, messengerPlatforms } from "../channels/channel-table.ts";
import { buildFlowGraph } from "../validate/flow-graph.ts";
import { indexFields } from "../validate/personal-fields-index.ts";
import type { Language } from "../validate/problem.ts";

export interface PrivacyTextOptions {
  lang: Language;
  /** Where the runtime processes data (`BOTSCHAFT_REGION`), stated in the texts (docs/privacy.md#eu-data-residency). */
  region: string;
  /** Who hosts the runtime (`BOTSCHAFT_HOSTING_PROVIDER`), named as a processor. */
  hostingProvider?: string;
  /** The messengers whose bot runs the flows: their platforms are recipients. */
  channels?: readonly MessengerChannel[];
}

interface Purpose {
  purpose: string;
  fields: string[];
}

interface Recipient {
  name: string;
  country: string;
  safeguard?: string;
  fields: string[];
}

/** What one flow does with personal data, read from its nodes. */
export interface FlowProcessing {
  flow: string;
  title: string;
  controller: Flow["privacy"]["controller"];
  personalFields: string[];
  purposes: Purpose[];
  recipients: Recipient[];
  retention: string;
}

export function processingOf(flow: Flow): FlowProcessing {
  const fields = indexFields(buildFlowGraph(flow), flow.fields);
  const personalFields = [...fields].filter(([, use]) => use.personal && use.collectedBy.length > 0).map(([field]) => field).sort();
  const purposes: Purpose[] = [];
  const recipients: Recipient[] = [];
  for (const node of Object.values(flow.nodes)) {
    if (node.type === "consent") purposes.push({ purpose: node.purpose, fields: [...node.covers] });
    if (node.type === "webhook" && node.processor) {
      const sent = (node.sends ?? []).filter((field) => fields.get(field)?.personal);
      if (sent.length === 0) continue;
      const { name, country, safeguard } = node.processor;
      const known = recipients.find((recipient) => recipient.name === name && recipient.country === country);
      if (known) known.fields = [...new Set([...known.fields, ...sent])].sort();
      else recipients.push({ name, country, ...(safeguard ? { safeguard } : {}), fields: [...sent].sort() });
    }
  }
  return {
    flow: flow.flow,
    title: flow.title,
    controller: flow.privacy.controller,
    personalFields,
    purposes,
    recipients,
    retention: flow.privacy.retention ?? "P2Y",
  };
}

const texts = {
  de: {
    policyHeading: "Chatbot",
    intro: (title: string, controller: string) =>
      `Wir bieten den Chatbot „${title}“ an (im Chatfenster unserer Website und gegebenenfalls in Messengern). Verantwortlich ist ${controller}.`,
    noPersonal: "Der Chatbot speichert keine personenbezogenen Daten, die Sie eingeben.",
    purposesIntro: "Wir verarbeiten die Angaben, die Sie im Chat machen, nur mit Ihrer Einwilligung (Art. 6 Abs. 1 lit. a DSGVO) und nur für diese Zwecke:",
    purposeLine: (purpose: string, fields: string) => `- **${purpose}**: ${fields}`,
    withdraw:
      "Sie können jede Einwilligung jederzeit im Chat unter „Meine Daten“ widerrufen; die betroffenen Angaben löschen wir dann sofort. Der Widerruf berührt nicht die Rechtmäßigkeit der bis zum Widerruf erfolgten Verarbeitung (Art. 7 Abs. 3 DSGVO).",
    platformsIntro:
      "Wenn Sie den Chatbot in einem Messenger nutzen, erhält der Betreiber der Plattform Ihre Nachrichten und Ihre Nutzerkennung; er verarbeitet sie nach seinen eigenen Datenschutzbestimmungen:",
    platformLine: (platform: string, name: string, country: string) => `- ${platform}: ${name}, ${country}`,
    hosting: (provider: string) => `Den Server des Chatbots betreibt für uns ${provider} als Auftragsverarbeiter (Art. 28 DSGVO).`,
    browserStorage:
      "Im Chatfenster unserer Website bleibt das Gespräch nur im Arbeitsspeicher Ihres Browsers. Nur wenn Sie „Diesen Chat auf diesem Gerät merken“ ankreuzen, speichert es das Gespräch im Speicher Ihres Browsers (localStorage), bis Sie das Häkchen entfernen, sich abmelden oder die Löschfrist abläuft; Rechtsgrundlage ist Ihre Einwilligung (§ 25 Abs. 1 TDDDG, Art. 6 Abs. 1 lit. a DSGVO).",
    recipientsIntro: "Empfänger (Auftragsverarbeiter nach Art. 28 DSGVO):",
    recipientLine: (name: string, country: string, fields: string, transfer: string) => `- ${name}, ${country}: ${fields}${transfer}`,
    transfer: (safeguard: string) => ` — Übermittlung in ein Drittland auf Grundlage von ${safeguard}`,
    adequacy: " — Übermittlung in ein Drittland mit Angemessenheitsbeschluss der EU-Kommission",
    retention: (duration: string) =>
      `Wir löschen das Gespräch und alle Angaben ${duration} nach Ihrer letzten Nachricht, spätestens nach zwei Jahren. Freitext, den Sie außerhalb der Fragen eingeben, speichern wir nicht.`,
    region: (region: string) => `Der Chatbot wird in folgender Region betrieben: ${region}. Cookies setzt er nicht; das Chatfenster lädt erst, wenn Sie es öffnen.`,
    rights:
      "Sie haben das Recht auf Auskunft, Berichtigung, Löschung, Einschränkung der Verarbeitung, Datenübertragbarkeit und Widerspruch (Art. 15–21 DSGVO). Auskunft, Export, Berichtigung und Löschung erledigen Sie direkt im Chat über das Menü („Meine Daten“, „Abmelden und löschen“). Sie können sich außerdem bei einer Datenschutz-Aufsichtsbehörde beschweren (Art. 77 DSGVO).",
    contact: (email: string | undefined, dpo: string | undefined) =>
      [email ? `Datenschutz-Kontakt: ${email}.` : "", dpo ? `Datenschutzbeauftragte/r: ${dpo}.` : ""].filter(Boolean).join(" "),
    recordHeading: (title: string) => `Verzeichnis von Verarbeitungstätigkeiten (Art. 30 DSGVO): ${title}`,
    recordRows: {
      controller: "Verantwortlicher",
      purposes: "Zwecke",
      legalBasis: "Rechtsgrundlage",
      categories: "Kategorien personenbezogener Daten",
      subjects: "Betroffene Personen",
      subjectsValue: "Nutzerinnen und Nutzer des Chatbots",
      recipients: "Empfänger",
      transfers: "Drittlandübermittlungen",
      retention: "Löschfrist",
      security: "Technische und organisatorische Maßnahmen",
      securityValue:
        "Verschlüsselung der gespeicherten Angaben (AES-256-GCM), Pseudonymisierung der Messenger-Kennungen (HMAC), keine personenbezogenen Daten in Protokollen, Einwilligungsnachweise mit Zeitpunkt, Text-Hash und Flow-Version, automatische Löschung",
      region: "Ort der Verarbeitung",
      hostingRole: "Hosting, Auftragsverarbeiter",
      none: "keine",
      consent: "Einwilligung (Art. 6 Abs. 1 lit. a DSGVO)",
    },
  },
  en: {
    policyHeading: "Chatbot",
    intro: (title: string, controller: string) =>
      `We offer the chatbot "${title}" (in the chat window on our website and, where offered, in messengers). The controller is ${controller}.`,
    noPersonal: "The chatbot stores no personal data you enter.",
    purposesIntro: "We process what you tell the chatbot only with your consent (Art. 6(1)(a) GDPR) and only for these purposes:",
    purposeLine: (purpose: string, fields: string) => `- **${purpose}**: ${fields}`,
    withdraw:
      "You can withdraw any consent at any time in the chat under \"My data\"; we then delete the data concerned at once. Withdrawing consent does not affect the lawfulness of processing based on it before its withdrawal (Art. 7(3) GDPR).",
    platformsIntro: "If you use the chatbot in a messenger, the platform's operator receives your messages and your user id and processes them under its own privacy policy:",
    platformLine: (platform: string, name: string, country: string) => `- ${platform}: ${name}, ${country}`,
    hosting: (provider: string) => `The chatbot's server is run for us by ${provider} as a processor (Art. 28 GDPR).`,
    browserStorage:
      "In the chat window on our website, the conversation stays in your browser's memory only. Only if you tick \"Remember this chat on this device\" is it kept in your browser's storage (localStorage), until you untick it, unsubscribe or the retention period ends; the legal basis is your consent (Section 25(1) TDDDG, Art. 6(1)(a) GDPR).",
    recipientsIntro: "Recipients (processors under Art. 28 GDPR):",
    recipientLine: (name: string, country: string, fields: string, transfer: string) => `- ${name}, ${country}: ${fields}${transfer}`,
    transfer: (safeguard: string) => ` — transfer to a third country based on ${safeguard}`,
    adequacy: " — transfer to a third country with an EU adequacy decision",
    retention: (duration: string) =>
      `We delete the conversation and everything you told us ${duration} after your last message, after two years at the latest. Free text outside the questions is not stored.`,
    region: (region: string) => `The chatbot runs in this region: ${region}. It sets no cookies; the chat window loads only when you open it.`,
    rights:
      "You have the right of access, rectification, erasure, restriction of processing, data portability and objection (Art. 15–21 GDPR). Access, export, correction and erasure are available directly in the chat menu (\"My data\", \"Unsubscribe and delete\"). You may also lodge a complaint with a data protection supervisory authority (Art. 77 GDPR).",
    contact: (email: string | undefined, dpo: string | undefined) =>
      [email ? `Privacy contact: ${email}.` : "", dpo ? `Data protection officer: ${dpo}.` : ""].filter(Boolean).join(" "),
    recordHeading: (title: string) => `Record of processing activities (Art. 30 GDPR): ${title}`,
    recordRows: {
      controller: "Controller",
      purposes: "Purposes",
      legalBasis: "Legal basis",
      categories: "Categories of personal data",
      subjects: "Data subjects",
      subjectsValue: "Users of the chatbot",
      recipients: "Recipients",
      transfers: "Transfers to third countries",
      retention: "Time limit for erasure",
      security: "Technical and organisational measures",
      securityValue:
        "Encryption of stored data (AES-256-GCM), pseudonymised messenger ids (HMAC), no personal data in logs, consent records with time, text hash and flow version, automatic erasure",
      region: "Place of processing",
      hostingRole: "hosting, processor",
      none: "none",
      consent: "Consent (Art. 6(1)(a) GDPR)",
    },
  },
} as const;

const safeguardNames: Record<Language, Record<string, string>> = {
  de: { scc: "Standardvertragsklauseln (Art. 46 Abs. 2 lit. c DSGVO)", bcr: "verbindlichen internen Datenschutzvorschriften (Art. 47 DSGVO)", dpf: "dem EU-US Data Privacy Framework" },
  en: { scc: "standard contractual clauses (Art. 46(2)(c) GDPR)", bcr: "binding corporate rules (Art. 47 GDPR)", dpf: "the EU-US Data Privacy Framework" },
};

/** `P90D` → "90 Tage" / "90 days"; combinations are listed ("1 Jahr, 6 Monate"). */
export function describeDuration(iso: string, lang: Language): string {
  const duration = parseIsoDuration(iso);
  if (!duration) return iso;
  const units: [number, string, string][] =
    lang === "de"
      ? [
          [duration.years, "Jahr", "Jahre"],
          [duration.months, "Monat", "Monate"],
          [duration.weeks, "Woche", "Wochen"],
          [duration.days, "Tag", "Tage"],
          [duration.hours, "Stunde", "Stunden"],
          [duration.minutes, "Minute", "Minuten"],
          [duration.seconds, "Sekunde", "Sekunden"],
        ]
      : [
          [duration.years, "year", "years"],
          [duration.months, "month", "months"],
          [duration.weeks, "week", "weeks"],
          [duration.days, "day", "days"],
          [duration.hours, "hour", "hours"],
          [duration.minutes, "minute", "minutes"],
          [duration.seconds, "second", "seconds"],
        ];
  const parts = units.filter(([count]) => count > 0).map(([count, one, many]) => `${count} ${count === 1 ? one : many}`);
  return parts.join(", ") || iso;
}

function controllerLine(controller: Flow["privacy"]["controller"]): string {
  return [controller.name, controller.address].filter(Boolean).join(", ");
}

function recipientTransfer(recipient: Recipient, lang: Language): string {
  if (isInEea(recipient.country)) return "";
  const words = texts[lang];
  if (recipient.safeguard) return words.transfer(safeguardNames[lang][recipient.safeguard] ?? recipient.safeguard);
  return needsNoSafeguard(recipient.country) ? words.adequacy : "";
}

/** The messenger platforms that receive messages because a channel runs the flow, once each. */
export function platformsOf(channels: readonly MessengerChannel[] = []): { platform: string; name: string; country: string }[] {
  return [...new Set(channels)].map((channel) => messengerPlatforms[channel]);
}

/** Fields as readers see them: their labels in the text's language (docs/flows.md#field-labels). */
function labelList(flow: Flow, fields: readonly string[], lang: Language): string {
  return fields.map((field) => fieldLabel(flow, field, lang)).join(", ");
}

/** The passage for the website's privacy policy, one section per flow. */
export function privacyPolicyText(flows: readonly Flow[], options: PrivacyTextOptions): string {
  const words = texts[options.lang];
  const sections = flows.map((flow) => {
    const processing = processingOf(flow);
    const lines = [`## ${words.policyHeading}: ${processing.title}`, "", words.intro(processing.title, controllerLine(processing.controller)), ""];
    if (processing.personalFields.length === 0 && processing.purposes.length === 0) {
      lines.push(words.noPersonal, "");
    } else {
      lines.push(words.purposesIntro, "");
      for (const purpose of processing.purposes) lines.push(words.purposeLine(purpose.purpose, labelList(flow, purpose.fields, options.lang)));
      lines.push("", words.withdraw, "");
    }
    if (processing.recipients.length > 0) {
      lines.push(words.recipientsIntro, "");
      for (const recipient of processing.recipients) {
        lines.push(words.recipientLine(recipient.name, countryName(recipient.country, options.lang), labelList(flow, recipient.fields, options.lang), recipientTransfer(recipient, options.lang)));
      }
      lines.push("");
    }
    const platforms = platformsOf(options.channels);
    if (platforms.length > 0) {
      lines.push(words.platformsIntro, "");
      for (const platform of platforms) lines.push(words.platformLine(platform.platform, platform.name, countryName(platform.country, options.lang)));
      lines.push("");
    }
    lines.push(words.retention(describeDuration(processing.retention, options.lang)), "", words.region(options.region));
    if (options.hostingProvider) lines.push("", words.hosting(options.hostingProvider));
    lines.push("", words.browserStorage, "", words.rights);
    const contact = words.contact(processing.controller.email, processing.controller.dpo);
    if (contact) lines.push("", contact);
    return lines.join("\n");
  });
  return `${sections.join("\n\n")}\n`;
}

/** The record of processing activities (Art. 30(1) GDPR), one table per flow. */
export function processingRecordText(flows: readonly Flow[], options: PrivacyTextOptions): string {
  const words = texts[options.lang];
  const rows = words.recordRows;
  const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ");
  const sections = flows.map((flow) => {
    const processing = processingOf(flow);
    const transfers = processing.recipients.filter((recipient) => !isInEea(recipient.country));
    const table: [string, string][] = [
      [rows.controller, controllerLine(processing.controller)],
      [rows.purposes, processing.purposes.map((purpose) => purpose.purpose).join("; ") || rows.none],
      [rows.legalBasis, processing.purposes.length > 0 ? rows.consent : rows.none],
      [rows.categories, labelList(flow, processing.personalFields, options.lang) || rows.none],
      [rows.subjects, rows.subjectsValue],
      [
        rows.recipients,
        [
          ...processing.recipients.map((recipient) => `${recipient.name} (${countryName(recipient.country, options.lang)})`),
          ...(options.hostingProvider ? [`${options.hostingProvider} (${rows.hostingRole})`] : []),
          ...platformsOf(options.channels).map((platform) => `${platform.name} (${platform.platform}, ${countryName(platform.country, options.lang)})`),
        ].join("; ") || rows.none,
      ],
      [
        rows.transfers,
        transfers.map((recipient) => `${recipient.name}, ${countryName(recipient.country, options.lang)}${recipientTransfer(recipient, options.lang)}`).join("; ") || rows.none,
      ],
      [rows.retention, describeDuration(processing.retention, options.lang)],
      [rows.region, options.region],
      [rows.security, rows.securityValue],
    ];
    return [`## ${words.recordHeading(processing.title)}`, "", "| | |", "| --- | --- |", ...table.map(([key, value]) => `| ${cell(key)} | ${cell(value)} |`)].join("\n");
  });
  return `${sections.join("\n\n")}\n`;
}
