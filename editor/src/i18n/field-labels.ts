/**
 * Labels and help for node properties in German and English, keyed by property name. The
 * English help falls back to the schema's `description`, so a new property is never unlabelled.
 */
import type { UiLanguage } from "./ui-language.ts";

interface FieldLabel {
  de: string;
  en: string;
  helpDe?: string;
  helpEn?: string;
}

export const fieldLabels: Record<string, FieldLabel> = {
  text: { de: "Text", en: "Text", helpDe: "Was der Bot sagt. {{feld}} fügt einen gespeicherten Wert ein.", helpEn: "What the bot says. {{field}} inserts a stored value." },
  next: { de: "Weiter zu", en: "Next", helpDe: "Der nächste Schritt.", helpEn: "The next step." },
  options: { de: "Antwortmöglichkeiten", en: "Options", helpDe: "Die Knöpfe, die der Bot anbietet.", helpEn: "The buttons the bot offers." },
  label: { de: "Beschriftung", en: "Label" },
  value: { de: "Gespeicherter Wert", en: "Stored value", helpDe: "Optional; sonst die Beschriftung.", helpEn: "Optional; the label otherwise." },
  field: { de: "Feld", en: "Field", helpDe: "Name, unter dem die Antwort gespeichert wird.", helpEn: "Name under which the answer is stored." },
  personal: { de: "Personenbezogen", en: "Personal", helpDe: "Leer lassen, um es am Feldnamen und Format zu erkennen.", helpEn: "Leave unset to guess from the field name and format." },
  format: { de: "Format", en: "Format", helpDe: "Welche Antworten gültig sind.", helpEn: "Which answers are valid." },
  pattern: { de: "Muster (regulärer Ausdruck)", en: "Pattern (regular expression)" },
  retries: { de: "Wiederholungen", en: "Retries", helpDe: "Wie oft nach einer ungültigen Antwort erneut gefragt wird.", helpEn: "How often to ask again after an invalid answer." },
  retryText: { de: "Text bei ungültiger Antwort", en: "Text after an invalid answer" },
  invalid: { de: "Bei ungültiger Antwort", en: "When invalid", helpDe: "Wohin es nach zu vielen ungültigen Antworten geht.", helpEn: "Where to go after too many invalid answers." },
  purpose: { de: "Zweck", en: "Purpose", helpDe: "Wofür die Daten verwendet werden – ein Zweck je Einwilligung.", helpEn: "What the data is used for – one purpose per consent." },
  covers: { de: "Umfasste Felder", en: "Fields covered", helpDe: "Die Felder, die nach Zustimmung gespeichert werden dürfen.", helpEn: "The fields that may be stored once the user agrees." },
  accept: { de: "Bei Zustimmung", en: "On accept" },
  decline: { de: "Bei Ablehnung", en: "On decline" },
  if: { de: "Wenn", en: "If", helpDe: "Die Zweige werden der Reihe nach geprüft.", helpEn: "Branches are tried in order." },
  else: { de: "Sonst", en: "Else" },
  exists: { de: "ist vorhanden", en: "exists" },
  equals: { de: "ist gleich", en: "equals" },
  matches: { de: "passt auf Muster", en: "matches pattern" },
  lt: { de: "kleiner als", en: "less than" },
  gt: { de: "größer als", en: "greater than" },
  set: { de: "Felder setzen", en: "Set fields" },
  url: { de: "Adresse (https)", en: "URL (https)" },
  sends: { de: "Gesendete Felder", en: "Fields sent" },
  processor: { de: "Auftragsverarbeiter", en: "Processor", helpDe: "Wer die Daten empfängt, und in welchem Land.", helpEn: "Who receives the data, and in which country." },
  name: { de: "Name", en: "Name" },
  country: { de: "Land (ISO-Code, z. B. DE)", en: "Country (ISO code, e.g. DE)" },
  safeguard: { de: "Garantie (Drittland)", en: "Safeguard (third country)" },
  map: { de: "Antwort in Felder übernehmen", en: "Map reply into fields" },
  timeout: { de: "Zeitlimit (ms)", en: "Timeout (ms)" },
  error: { de: "Bei Fehler", en: "On error" },
  shares: { de: "Geteilte Felder", en: "Shared fields" },
  noAgent: { de: "Wenn niemand da ist", en: "When nobody is there", helpDe: "Weiter hier außerhalb der Öffnungszeiten.", helpEn: "Continue here outside the opening hours." },
  unclaimedMinutes: { de: "Wartezeit (Minuten)", en: "Waiting time (minutes)", helpDe: "So lange wartet die Person höchstens, bis jemand das Gespräch übernimmt.", helpEn: "How long the visitor waits at most until someone takes the conversation." },
  unclaimed: { de: "Wenn niemand übernimmt", en: "When nobody takes it", helpDe: "Weiter hier, wenn niemand das Gespräch in der Wartezeit übernommen hat.", helpEn: "Continue here when nobody took the conversation within the waiting time." },
  knowledgeBase: {
    de: "Wissensdatenbank",
    en: "Knowledge base",
    helpDe: "Der Name der Datei <name>.faq.yaml neben dem Flow, aus der die Antworten kommen.",
    helpEn: "The name of the file <name>.faq.yaml next to the flow that holds the answers.",
  },
  thresholds: { de: "Schwellen", en: "Thresholds", helpDe: "Wie sicher der Bot sein muss (0 bis 1); leer: die der Wissensdatenbank.", helpEn: "How sure the bot must be (0 to 1); empty: the knowledge base's." },
  answer: { de: "Antworten ab", en: "Answer from", helpDe: "Ab diesem Wert antwortet der Bot direkt.", helpEn: "From this score the bot answers directly." },
  suggest: { de: "Vorschlagen ab", en: "Suggest from", helpDe: "Ab diesem Wert bietet der Bot die besten Einträge als Knöpfe an.", helpEn: "From this score the bot offers the best entries as buttons." },
  margin: { de: "Vorsprung", en: "Margin", helpDe: "So weit muss der beste Eintrag vor dem zweiten liegen, damit direkt geantwortet wird.", helpEn: "How far the best entry must lead the second for a direct answer." },
  suggestText: { de: "Text über den Vorschlägen", en: "Text above the suggestions" },
  keepUnanswered: {
    de: "Unbeantwortete Fragen sammeln",
    en: "Collect unanswered questions",
    helpDe: "Fragen ohne passenden Eintrag werden maskiert (ohne E-Mail, Telefon, Namen, lange Nummern) für die Redaktion aufbewahrt.",
    helpEn: "Questions without a fitting entry are kept masked (no e-mail, phone, names, long numbers) for editors to review.",
  },
  fallback: { de: "Wenn unsicher", en: "When unsure", helpDe: "Wohin es geht, wenn kein Eintrag gut genug passt – meist eine Übergabe an einen Menschen.", helpEn: "Where to go when no entry fits well enough – usually a handover to a human." },
};

export function labelOf(property: string, lang: UiLanguage): string {
  return fieldLabels[property]?.[lang] ?? property;
}

export function helpOf(property: string, lang: UiLanguage, schemaDescription?: string): string | undefined {
  const label = fieldLabels[property];
  return lang === "de" ? (label?.helpDe ?? schemaDescription) : (label?.helpEn ?? schemaDescription);
}
