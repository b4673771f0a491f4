/**
 * The paperwork for the data protection officer (docs/privacy.md#generated-privacy-texts),
 * generated from the flows and the runtime's real configuration, German and English, as
 * Markdown: the annex of technical and organisational measures (Art. 32 GDPR), the deletion
 * concept (Löschkonzept) and a data processing agreement template (Art. 28 GDPR) per processor.
 * Pure: facts in, text out.
 */
import { countryName } from "../dsl/countries.ts";
import type { Flow } from "../dsl/flow.ts";
import { fieldLabel } from "../dsl/field-labels.ts";
import { describeDuration, type PrivacyTextOptions, processingOf } from "./privacy-text.ts";

/** What the runtime really does, read from its configuration by the server. */
export interface DeploymentFacts extends PrivacyTextOptions {
  /** `embedded` (lowdb files in the data directory) or `postgres`. */
  store: "embedded" | "postgres";
  /** Where the master secret comes from: `BOTSCHAFT_SECRET` or the key file created on first start. */
  secretSource: "environment" | "key-file";
  proofPeriodDays: number;
  auditRetentionDays: number;
  unansweredRetentionDays: number;
  /** `BOTSCHAFT_TRUST_PROXY` is set: TLS ends at a reverse proxy in front. */
  behindProxy: boolean;
}

const words = {
  de: {
    tomHeading: "Anlage: Technische und organisatorische Maßnahmen (Art. 32 DSGVO) — Chatbot",
    tomDone: "Umgesetzt durch Botschaft (aus der laufenden Konfiguration):",
    tomTodo: "Aufgabe des Betreibers:",
    encryption: "Verschlüsselung gespeicherter Angaben mit AES-256-GCM, je Gespräch ein eigener Datenschlüssel; Löschen vernichtet den Schlüssel (Crypto-Shredding).",
    keys: (source: DeploymentFacts["secretSource"]) =>
      source === "environment"
        ? "Hauptschlüssel aus der Umgebungsvariable BOTSCHAFT_SECRET; alle Teilschlüssel per HKDF-SHA256 abgeleitet."
        : "Hauptschlüssel in einer Schlüsseldatei im Datenverzeichnis (nur für den Dienstnutzer lesbar); alle Teilschlüssel per HKDF-SHA256 abgeleitet.",
    store: (store: DeploymentFacts["store"]) =>
      store === "postgres" ? "Speicherung in PostgreSQL; Schlüssel in eigener, partitionierter Tabelle, nach Löschungen umgeschrieben." : "Speicherung im eingebetteten Speicher (Dateien im Datenverzeichnis) mit Journal und fsync.",
    region: (region: string, provider: string | undefined) => `Ort der Verarbeitung: ${region}${provider ? `, Hosting: ${provider}` : ""}.`,
    pseudonyms: "Messenger-Kennungen nur als HMAC-Pseudonym; Zugangs-Token nur als Hash gespeichert.",
    logs: "Protokolle ohne personenbezogene Werte (Methode, Pfad, Status, Dauer).",
    retention: (days: number, audit: number, unanswered: number) =>
      `Automatische Löschung nach der Löschfrist jedes Flows (höchstens zwei Jahre); Nachweisbuch ${days} Tage; Audit-Protokoll ${audit} Tage; unbeantwortete Fragen (maskiert) ${unanswered} Tage.`,
    ledger: "Einwilligungen, Löschungen und Exporte in einem verketteten, schlüsselgesicherten Nachweisbuch ohne personenbezogene Werte.",
    access: "Zugriff für das Team nur mit Rollen (Admin, Redaktion, Live-Chat, Datenschutz); Anmeldung mit Sitzung und CSRF-Schutz; jede Einsicht in Nutzerdaten im Audit-Protokoll.",
    tls: (proxy: boolean) =>
      proxy ? "TLS endet am vorgeschalteten Reverse-Proxy (BOTSCHAFT_TRUST_PROXY gesetzt)." : "Der Dienst spricht HTTP auf 127.0.0.1; ein Reverse-Proxy mit TLS muss davor stehen.",
    todo: [
      "Backups des Datenverzeichnisses bzw. der Datenbank verschlüsseln, Aufbewahrung festlegen und nach einer Wiederherstellung das Löschprotokoll erneut anwenden (`botschaft erasures apply`).",
      "Den Hauptschlüssel getrennt von Daten und Backups aufbewahren.",
      "Betriebssystem, Node.js und PostgreSQL aktuell halten; Zugang zum Server beschränken.",
      "Auftragsverarbeitungsverträge mit Hoster und Empfängern abschließen.",
    ],
    deletionHeading: "Löschkonzept — Chatbot",
    deletionColumns: ["Datenart", "Wo", "Löschung", "Frist"],
    answers: (flow: string, fields: string) => `Angaben im Flow „${flow}“: ${fields || "keine personenbezogenen"}`,
    answersWhere: "Gesprächszustand, verschlüsselt",
    answersWhen: "Ablauf der Frist nach der letzten Nachricht; „Abmelden & löschen“; Widerruf der Einwilligung (betroffene Felder); Anfrage an den Datenschutz",
    deliveries: "Messenger-Zustellungen und Antworten",
    deliveriesWhere: "Eingang/Ausgang, verschlüsselt unter kurzlebigen Schlüsseln",
    deliveriesWhen: "nach Verarbeitung bzw. Versand; danach nur Hash der Zustell-ID zur Dublettenprüfung",
    deliveriesPeriod: "Schlüssel binnen Minuten; Hash 8 Tage",
    ledgerRow: "Nachweisbuch (Einwilligungen, Löschungen, Exporte; Pseudonym, keine Werte)",
    ledgerWhere: "eigene Speicherrolle, verkettet",
    ledgerWhen: "Bereinigung hinter einem Prüfpunkt",
    auditRow: "Audit-Protokoll (Team-Aktionen)",
    unansweredRow: "Unbeantwortete Fragen, maskiert, ohne Bezug zum Gespräch",
    automatic: "automatisch",
    backups: "Backups",
    backupsWhere: "beim Betreiber",
    backupsWhen: "nach Backup-Konzept des Betreibers; Löschprotokoll nach Wiederherstellung anwenden",
    backupsPeriod: "vom Betreiber festzulegen",
    days: (days: number) => `${days} Tage`,
    dpaHeading: (name: string) => `Vertrag über die Auftragsverarbeitung (Art. 28 DSGVO) — Vorlage: ${name}`,
    dpaIntro: (controller: string, processor: string, country: string) =>
      `Zwischen ${controller} (Verantwortlicher) und ${processor}, ${country} (Auftragsverarbeiter). Diese Vorlage ist aus dem Chatbot erzeugt und ersetzt keine rechtliche Prüfung.`,
    dpaSubject: (fields: string, purposes: string) => `Gegenstand: Verarbeitung von ${fields} zu folgenden Zwecken: ${purposes}.`,
    dpaDuties: [
      "Verarbeitung nur auf dokumentierte Weisung (Art. 28 Abs. 3 lit. a DSGVO).",
      "Vertraulichkeit der zur Verarbeitung befugten Personen (lit. b).",
      "Maßnahmen nach Art. 32 DSGVO (lit. c).",
      "Unterauftragsverarbeiter nur mit Genehmigung (lit. d).",
      "Unterstützung bei Betroffenenrechten, insbesondere Berichtigung und Löschung auf Mitteilung des Verantwortlichen (lit. e, Art. 19 DSGVO).",
      "Löschung oder Rückgabe nach Ende der Verarbeitung (lit. g).",
      "Nachweise und Überprüfungen (lit. h).",
    ],
    dpaTransfer: (safeguard: string) => `Drittlandübermittlung: ${safeguard}.`,
  },
  en: {
    tomHeading: "Annex: technical and organisational measures (Art. 32 GDPR) — chatbot",
    tomDone: "In place through Botschaft (read from the running configuration):",
    tomTodo: "The operator's part:",
    encryption: "Stored data encrypted with AES-256-GCM under a data key per conversation; erasure destroys the key (crypto-shredding).",
    keys: (source: DeploymentFacts["secretSource"]) =>
      source === "environment"
        ? "Master secret from the environment variable BOTSCHAFT_SECRET; every key derived with HKDF-SHA256."
        : "Master secret in a key file in the data directory (readable by the service user only); every key derived with HKDF-SHA256.",
    store: (store: DeploymentFacts["store"]) =>
      store === "postgres" ? "Stored in PostgreSQL; keys in a partitioned table of their own, rewritten after erasures." : "Stored in the embedded store (files in the data directory) with a journal and fsync.",
    region: (region: string, provider: string | undefined) => `Place of processing: ${region}${provider ? `, hosted by ${provider}` : ""}.`,
    pseudonyms: "Messenger ids only as HMAC pseudonyms; access tokens stored only as hashes.",
    logs: "Logs without personal values (method, path, status, duration).",
    retention: (days: number, audit: number, unanswered: number) =>
      `Automatic erasure after each flow's retention (two years at most); proof ledger ${days} days; audit trail ${audit} days; unanswered questions (masked) ${unanswered} days.`,
    ledger: "Consents, erasures and exports in a chained, keyed proof ledger without personal values.",
    access: "Team access by role only (admin, editor, agent, DPO); sessions with CSRF protection; every view of end-user data in the audit trail.",
    tls: (proxy: boolean) =>
      proxy ? "TLS ends at the reverse proxy in front (BOTSCHAFT_TRUST_PROXY set)." : "The service speaks HTTP on 127.0.0.1; a reverse proxy with TLS must stand in front.",
    todo: [
      "Encrypt backups of the data directory or database, set their retention, and re-apply the erasure log after a restore (`botschaft erasures apply`).",
      "Keep the master secret apart from the data and the backups.",
      "Keep the operating system, Node.js and PostgreSQL up to date; restrict access to the server.",
      "Conclude processing agreements with the hosting provider and the recipients.",
    ],
    deletionHeading: "Deletion concept — chatbot",
    deletionColumns: ["Data", "Where", "Deleted when", "Period"],
    answers: (flow: string, fields: string) => `Answers in the flow "${flow}": ${fields || "none personal"}`,
    answersWhere: "conversation state, encrypted",
    answersWhen: "retention after the last message; \"Unsubscribe & delete\"; withdrawal of consent (fields concerned); a request to the privacy desk",
    deliveries: "Messenger deliveries and replies",
    deliveriesWhere: "inbox/outbox, encrypted under short-lived keys",
    deliveriesWhen: "once processed or sent; then only a hash of the delivery id for deduplication",
    deliveriesPeriod: "keys within minutes; hash 8 days",
    ledgerRow: "Proof ledger (consents, erasures, exports; pseudonym, no values)",
    ledgerWhere: "store role of its own, chained",
    ledgerWhen: "pruned behind a checkpoint",
    auditRow: "Audit trail (team actions)",
    unansweredRow: "Unanswered questions, masked, not linked to the conversation",
    automatic: "automatically",
    backups: "Backups",
    backupsWhere: "at the operator",
    backupsWhen: "by the operator's backup concept; re-apply the erasure log after a restore",
    backupsPeriod: "set by the operator",
    days: (days: number) => `${days} days`,
    dpaHeading: (name: string) => `Data processing agreement (Art. 28 GDPR) — template: ${name}`,
    dpaIntro: (controller: string, processor: string, country: string) =>
      `Between ${controller} (controller) and ${processor}, ${country} (processor). This template is generated from the chatbot and is no substitute for legal review.`,
    dpaSubject: (fields: string, purposes: string) => `Subject: processing of ${fields} for these purposes: ${purposes}.`,
    dpaDuties: [
      "Processing only on documented instructions (Art. 28(3)(a) GDPR).",
      "Confidentiality of the persons authorised to process (b).",
      "Measures under Art. 32 GDPR (c).",
      "Sub-processors only with authorisation (d).",
      "Assistance with data subjects' rights, in particular rectification and erasure when the controller notifies them (e, Art. 19 GDPR).",
      "Deletion or return at the end of the processing (g).",
      "Information and audits (h).",
    ],
    dpaTransfer: (safeguard: string) => `Transfer to a third country: ${safeguard}.`,
  },
} as const;

const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ");

/** The annex of technical and organisational measures, from the real configuration. */
export function tomAnnexText(facts: DeploymentFacts): string {
  const w = words[facts.lang];
  const done = [
    w.encryption,
    w.keys(facts.secretSource),
    w.store(facts.store),
    w.region(facts.region, facts.hostingProvider),
    w.pseudonyms,
    w.logs,
    w.retention(facts.proofPeriodDays, facts.auditRetentionDays, facts.unansweredRetentionDays),
    w.ledger,
    w.access,
    w.tls(facts.behindProxy),
  ];
  return [`## ${w.tomHeading}`, "", w.tomDone, "", ...done.map((line) => `- ${line}`), "", w.tomTodo, "", ...w.todo.map((line) => `- ${line}`), ""].join("\n");
}

/** The deletion concept: what is kept where, what deletes it, and when. */
export function deletionConceptText(flows: readonly Flow[], facts: DeploymentFacts): string {
  const w = words[facts.lang];
  const rows: string[][] = flows.map((flow) => {
    const processing = processingOf(flow);
    const fields = processing.personalFields.map((field) => fieldLabel(flow, field, facts.lang)).join(", ");
    return [w.answers(flow.title, fields), w.answersWhere, w.answersWhen, describeDuration(processing.retention, facts.lang)];
  });
  if ((facts.channels ?? []).length > 0) rows.push([w.deliveries, w.deliveriesWhere, w.deliveriesWhen, w.deliveriesPeriod]);
  rows.push(
    [w.ledgerRow, w.ledgerWhere, w.ledgerWhen, w.days(facts.proofPeriodDays)],
    [w.auditRow, "—", w.automatic, w.days(facts.auditRetentionDays)],
    [w.unansweredRow, "—", w.automatic, w.days(facts.unansweredRetentionDays)],
    [w.backups, w.backupsWhere, w.backupsWhen, w.backupsPeriod],
  );
  const header = `| ${w.deletionColumns.join(" | ")} |`;
  const rule = `| ${w.deletionColumns.map(() => "---").join(" | ")} |`;
  return [`## ${w.deletionHeading}`, "", header, rule, ...rows.map((row) => `| ${row.map(cell).join(" | ")} |`), ""].join("\n");
}

/** A data processing agreement template for each processor the flow sends personal data to. */
export function processingAgreementTexts(flow: Flow, facts: Pick<DeploymentFacts, "lang">): string {
  const w = words[facts.lang];
  const processing = processingOf(flow);
  const controller = [processing.controller.name, processing.controller.address].join(", ");
  const purposes = processing.purposes.map((purpose) => purpose.purpose).join("; ");
  return processing.recipients
    .map((recipient) => {
      const fields = recipient.fields.map((field) => fieldLabel(flow, field, facts.lang)).join(", ");
      const lines = [`## ${w.dpaHeading(recipient.name)}`, "", w.dpaIntro(controller, recipient.name, countryName(recipient.country, facts.lang)), "", w.dpaSubject(fields, purposes), ""];
      lines.push(...w.dpaDuties.map((duty) => `- ${duty}`), "");
      if (recipient.safeguard) lines.push(w.dpaTransfer(recipient.safeguard.toUpperCase()), "");
      return lines.join("\n");
    })
    .join("\n");
}
