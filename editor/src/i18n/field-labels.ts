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
};

export function labelOf(property: string, lang: UiLanguage): string {
  return fieldLabels[property]?.[lang] ?? property;
}

export function helpOf(property: string, lang: UiLanguage, schemaDescription?: string): string | undefined {
  const label = fieldLabels[property];
  return lang === "de" ? (label?.helpDe ?? schemaDescription) : (label?.helpEn ?? schemaDescription);
}
