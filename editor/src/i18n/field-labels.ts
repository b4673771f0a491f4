/**
 * Labels and help for node properties in German and English, keyed by property name. The
 * English help falls back to the schema's `description`; German never does (a test checks that
 * every schema property has German help).
 */
import type { UiLanguage } from "./ui-language.ts";

interface FieldLabel {
  de: string;
  en: string;
  helpDe?: string;
  helpEn?: string;
}

export const fieldLabels: Record<string, FieldLabel> = {
  text: { de: "Text", en: "Text", helpDe: "Was der Bot sagt. {{feld}} fügt eine gespeicherte Angabe ein.", helpEn: "What the bot says. {{field}} inserts a stored answer." },
  next: { de: "Weiter zu", en: "Continue with", helpDe: "Der Schritt, mit dem es danach weitergeht.", helpEn: "The step that comes next." },
  options: { de: "Antwortmöglichkeiten", en: "Options", helpDe: "Die Knöpfe, die der Bot anbietet; jeder führt zu einem eigenen Schritt.", helpEn: "The buttons the bot offers; each leads to its own step." },
  label: { de: "Beschriftung", en: "Label", helpDe: "Der Text auf dem Knopf. Sie können ihn jederzeit ändern.", helpEn: "The text on the button. You can change it at any time." },
  value: { de: "Gespeicherter Wert", en: "Stored value", helpDe: "Was gespeichert wird, wenn dieser Knopf gewählt wird; leer: die Beschriftung.", helpEn: "What is stored when this button is chosen; empty: the label." },
  field: { de: "Gespeichert unter", en: "Stored as", helpDe: "Ein kurzer Name für die Antwort, z. B. email; unter diesem Namen nutzen andere Schritte sie.", helpEn: "A short name for the answer, e.g. email; other steps use it under this name." },
  personal: { de: "Personenbezogen", en: "Personal data", helpDe: "Leer lassen: Der Editor erkennt es am Namen und an der Art der Antwort.", helpEn: "Leave empty: the editor tells from the name and the kind of answer." },
  format: { de: "Art der Antwort", en: "Kind of answer", helpDe: "Welche Antworten gültig sind; passend dazu zeigt das Handy die richtige Tastatur.", helpEn: "Which answers are valid; phones show the matching keyboard." },
  pattern: { de: "Zusätzliche Prüfung (für Fortgeschrittene)", en: "Extra check (advanced)", helpDe: "Optional: ein regulärer Ausdruck, dem die Antwort zusätzlich entsprechen muss.", helpEn: "Optional: a regular expression the answer must match as well." },
  retries: { de: "Erneut fragen", en: "Ask again", helpDe: "Wie oft nach einer ungültigen Antwort erneut gefragt wird.", helpEn: "How often to ask again after an invalid answer." },
  retryText: { de: "Text bei ungültiger Antwort", en: "Text after an invalid answer", helpDe: "Leer: ein passender Standardtext.", helpEn: "Empty: a fitting default text." },
  invalid: { de: "Nach zu vielen ungültigen Antworten", en: "After too many invalid answers", helpDe: "Wohin es dann geht; leer: Der Bot fragt weiter.", helpEn: "Where to go then; empty: the bot keeps asking." },
  purpose: { de: "Zweck", en: "Purpose", helpDe: "Wofür die Angaben verwendet werden, in einfachen Worten – ein Zweck je Einwilligung.", helpEn: "What the details are used for, in plain words – one purpose per consent." },
  covers: { de: "Umfasste Angaben", en: "Details covered", helpDe: "Die Angaben, die nach der Zustimmung gespeichert werden dürfen.", helpEn: "The details that may be stored once the visitor agrees." },
  accept: { de: "Bei Zustimmung", en: "If they agree", helpDe: "Der Schritt nach einem „Ja“.", helpEn: "The step after a “yes”." },
  decline: { de: "Bei Ablehnung", en: "If they decline", helpDe: "Der Schritt nach einem „Nein“; dort darf nicht nach den umfassten Angaben gefragt werden.", helpEn: "The step after a “no”; it must not ask for the covered details." },
  if: { de: "Wenn", en: "If", helpDe: "Die Zweige werden der Reihe nach geprüft; der erste passende gilt.", helpEn: "Branches are tried in order; the first that fits applies." },
  else: { de: "Sonst", en: "Otherwise", helpDe: "Wohin es geht, wenn kein Zweig passt.", helpEn: "Where to go when no branch fits." },
  exists: { de: "ist vorhanden", en: "is given", helpDe: "Ja: Die Angabe liegt vor; nein: Sie fehlt.", helpEn: "Yes: the detail is there; no: it is missing." },
  equals: { de: "ist gleich", en: "equals", helpDe: "Die Angabe hat genau diesen Wert.", helpEn: "The detail has exactly this value." },
  matches: { de: "passt auf Muster", en: "matches pattern", helpDe: "Für Fortgeschrittene: ein regulärer Ausdruck.", helpEn: "Advanced: a regular expression." },
  lt: { de: "kleiner als", en: "less than", helpDe: "Die Angabe als Zahl ist kleiner als dieser Wert.", helpEn: "The detail, as a number, is less than this." },
  gt: { de: "größer als", en: "greater than", helpDe: "Die Angabe als Zahl ist größer als dieser Wert.", helpEn: "The detail, as a number, is greater than this." },
  set: { de: "Angaben setzen", en: "Set details", helpDe: "Je Zeile ein Name und der Wert, den er bekommt.", helpEn: "One name and the value it gets per line." },
  url: { de: "Adresse (https)", en: "Address (https)", helpDe: "Wohin die Angaben geschickt werden, z. B. an Ihr CRM. Zugangsdaten gehören in die Server-Konfiguration, nie hierher.", helpEn: "Where the details are sent, e.g. your CRM. Credentials belong in the server configuration, never here." },
  sends: { de: "Gesendete Angaben", en: "Details sent", helpDe: "Nur diese Angaben verlassen den Bot.", helpEn: "Only these details leave the bot." },
  processor: { de: "Empfänger (Auftragsverarbeiter)", en: "Recipient (processor)", helpDe: "Wer die Angaben empfängt, und in welchem Land. Nötig, sobald personenbezogene Angaben gesendet werden.", helpEn: "Who receives the details, and in which country. Needed as soon as personal details are sent." },
  name: { de: "Name", en: "Name", helpDe: "Der Firmenname des Empfängers.", helpEn: "The recipient's company name." },
  country: { de: "Land (z. B. DE)", en: "Country (e.g. DE)", helpDe: "Das Land, in dem verarbeitet wird, als Kürzel mit zwei Buchstaben.", helpEn: "The country of processing, as a two-letter code." },
  safeguard: { de: "Garantie (Drittland)", en: "Safeguard (third country)", helpDe: "Nur für Länder außerhalb der EU ohne Angemessenheitsbeschluss.", helpEn: "Only for countries outside the EU without an adequacy decision." },
  notices: {
    de: "Mitteilungen an den Empfänger",
    en: "Notices to the recipient",
    helpDe: "Wohin der Bot dem Empfänger meldet, wenn jemand seine Angaben korrigiert, eine Einwilligung widerruft oder alles löschen lässt (Art. 17 Abs. 2, Art. 19 DSGVO).",
    helpEn: "Where the bot tells the recipient when someone corrects their details, withdraws a consent or has everything deleted (Art. 17(2), 19 GDPR).",
  },
  "notices.url": {
    de: "Adresse für Löschungen und Korrekturen (https)",
    en: "Address for erasures and corrections (https)",
    helpDe: "Die Datenschutz-Adresse des Empfängers, z. B. https://crm.muster.example/api/gdpr. Leer: Der Empfänger erfährt von Löschungen nichts.",
    helpEn: "The recipient's privacy address, e.g. https://crm.muster.example/api/gdpr. Empty: the recipient learns nothing of erasures.",
  },
  integration: { de: "Ziel", en: "Target", helpDe: "Eine fertige Integration: E-Mail an das Team, Newsletter bei Brevo oder CleverReach.", helpEn: "A ready-made integration: e-mail to the team, a Brevo or CleverReach newsletter." },
  map: { de: "Antwort übernehmen", en: "Take over from the reply", helpDe: "Je Zeile: Name: /stelle/in/der/antwort, z. B. ticket: /ticket/id.", helpEn: "Per line: name: /place/in/the/reply, e.g. ticket: /ticket/id." },
  timeout: { de: "Wartezeit (Sekunden)", en: "Waiting time (seconds)", helpDe: "So viele Sekunden wartet der Bot auf die Antwort, dann gilt es als Fehler.", helpEn: "How many seconds the bot waits for the reply before it counts as an error." },
  delivery: {
    de: "Zustellung",
    en: "Delivery",
    helpDe: "Sofort: Das Gespräch wartet auf die Antwort und kann bei einem Fehler verzweigen. Zuverlässig: Die Angaben werden mit dem Gespräch gespeichert und im Hintergrund zugestellt, bei Ausfall des Empfängers bis zu 24 Stunden lang erneut versucht; das Gespräch geht sofort weiter.",
    helpEn: "Immediately: the conversation waits for the reply and can branch on a failure. Reliably: the details are stored with the conversation and delivered in the background, retried for up to 24 hours while the recipient is down; the conversation goes on at once.",
  },
  error: { de: "Bei Fehler", en: "On failure", helpDe: "Wohin es geht, wenn der Empfänger nicht oder falsch antwortet; leer: wie bei Erfolg.", helpEn: "Where to go when the recipient does not answer or fails; empty: as on success." },
  shares: { de: "Geteilte Angaben", en: "Shared details", helpDe: "Welche gespeicherten Angaben die Person im Kundenservice sehen darf.", helpEn: "Which stored details the service agent may see." },
  history: {
    de: "Bisheriges Gespräch zeigen",
    en: "Show the conversation so far",
    helpDe: "Die Person im Kundenservice sieht auch den Chat vor der Übergabe (höchstens die letzten 50 Nachrichten); das Lesen wird protokolliert. Aus: nur, was nach der Übergabe geschrieben wird, und die geteilten Angaben.",
    helpEn: "The service agent also sees what the bot and the visitor wrote before the handover (at most the last 50 messages); reading it is in the audit trail. Off: only what is written after the handover, and the shared details.",
  },
  noAgent: { de: "Wenn niemand da ist", en: "When nobody is there", helpDe: "Weiter hier außerhalb der Öffnungszeiten.", helpEn: "Continue here outside the opening hours." },
  unclaimedMinutes: { de: "Wartezeit (Minuten)", en: "Waiting time (minutes)", helpDe: "So lange wartet die Person höchstens, bis jemand das Gespräch übernimmt.", helpEn: "How long the visitor waits at most until someone takes the conversation." },
  unclaimed: { de: "Wenn niemand übernimmt", en: "When nobody takes it", helpDe: "Weiter hier, wenn niemand das Gespräch in der Wartezeit übernommen hat.", helpEn: "Continue here when nobody took the conversation within the waiting time." },
  knowledgeBase: {
    de: "Wissensdatenbank",
    en: "Knowledge base",
    helpDe: "Der Name der Wissensdatenbank, aus der die Antworten kommen (siehe Menü „Wissensdatenbanken“).",
    helpEn: "The name of the knowledge base that holds the answers (see the “Knowledge bases” menu).",
  },
  thresholds: { de: "Schwellen", en: "Thresholds", helpDe: "Wie sicher der Bot sein muss (0 bis 1); leer: die der Wissensdatenbank.", helpEn: "How sure the bot must be (0 to 1); empty: the knowledge base's." },
  answer: { de: "Antworten ab", en: "Answer from", helpDe: "Ab diesem Wert antwortet der Bot direkt.", helpEn: "From this score the bot answers directly." },
  suggest: { de: "Vorschlagen ab", en: "Suggest from", helpDe: "Ab diesem Wert bietet der Bot die besten Einträge als Knöpfe an.", helpEn: "From this score the bot offers the best entries as buttons." },
  margin: { de: "Vorsprung", en: "Margin", helpDe: "So weit muss der beste Eintrag vor dem zweiten liegen, damit direkt geantwortet wird.", helpEn: "How far the best entry must lead the second for a direct answer." },
  suggestText: { de: "Text über den Vorschlägen", en: "Text above the suggestions", helpDe: "Leer: „Meinten Sie eines davon?“", helpEn: "Empty: “Did you mean one of these?”" },
  keepUnanswered: {
    de: "Unbeantwortete Fragen sammeln",
    en: "Collect unanswered questions",
    helpDe: "Fragen ohne passenden Eintrag werden maskiert (ohne E-Mail, Telefon, Namen, lange Nummern) für die Redaktion aufbewahrt.",
    helpEn: "Questions without a fitting entry are kept masked (no e-mail, phone, names, long numbers) for editors to review.",
  },
  fallback: { de: "Wenn unsicher", en: "When unsure", helpDe: "Wohin es geht, wenn kein Eintrag gut genug passt – meist eine Übergabe an einen Menschen.", helpEn: "Where to go when no entry fits well enough – usually a handover to a human." },
};

/** The label key of a property inside an object: `notices.url` when it has labels of its own, else the plain name. */
export function nestedProperty(parent: string, name: string): string {
  return fieldLabels[`${parent}.${name}`] ? `${parent}.${name}` : name;
}

/** Plain words for the values of choice fields (the stored value stays as it is). */
export const valueLabels: Record<string, Record<string, { de: string; en: string }>> = {
  format: {
    text: { de: "beliebiger Text", en: "any text" },
    email: { de: "E-Mail-Adresse", en: "e-mail address" },
    phone: { de: "Telefonnummer", en: "phone number" },
    number: { de: "Zahl", en: "number" },
    date: { de: "Datum", en: "date" },
    postcode: { de: "Postleitzahl", en: "postcode" },
    url: { de: "Internetadresse", en: "web address" },
  },
  safeguard: {
    scc: { de: "Standardvertragsklauseln", en: "standard contractual clauses" },
    bcr: { de: "verbindliche interne Datenschutzvorschriften", en: "binding corporate rules" },
    dpf: { de: "EU-US Data Privacy Framework", en: "EU-US Data Privacy Framework" },
  },
  delivery: {
    sync: { de: "Sofort – wartet auf die Antwort", en: "Immediately – waits for the reply" },
    durable: { de: "Zuverlässig – im Hintergrund", en: "Reliably – in the background" },
  },
};

export function valueLabelOf(property: string, value: string, lang: UiLanguage): string {
  return valueLabels[property]?.[value]?.[lang] ?? value;
}

export function labelOf(property: string, lang: UiLanguage): string {
  return fieldLabels[property]?.[lang] ?? property;
}

/** The help under a field; a German screen never falls back to the schema's English description. */
export function helpOf(property: string, lang: UiLanguage, schemaDescription?: string): string | undefined {
  const label = fieldLabels[property];
  return lang === "de" ? label?.helpDe : (label?.helpEn ?? schemaDescription);
}
