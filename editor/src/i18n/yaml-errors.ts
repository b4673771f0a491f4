/**
 * YAML syntax errors in the UI's language, by the `yaml` library's error code; the library's own
 * (English) text only for a code not listed here, in English screens.
 */
import type { SourceError } from "../model/flow-document.ts";
import type { UiLanguage } from "./ui-language.ts";

const texts: Record<string, { de: string; en: string }> = {
  BAD_INDENT: {
    de: "Die Einrückung stimmt nicht: Einträge auf derselben Ebene müssen in derselben Spalte beginnen, und eine mit [ oder { begonnene Liste muss mit ] bzw. } enden.",
    en: "The indentation is off: entries on the same level must start in the same column, and a list begun with [ or { must end with ] or }.",
  },
  DUPLICATE_KEY: { de: "Dieser Name steht hier zweimal; jeder darf auf einer Ebene nur einmal vorkommen.", en: "This name appears twice here; each may occur only once per level." },
  MISSING_CHAR: { de: "Hier fehlt ein schließendes Zeichen, z. B. ein Anführungszeichen oder eine Klammer.", en: "A closing character is missing here, e.g. a quote or a bracket." },
  UNEXPECTED_TOKEN: { de: "Hier steht etwas, das an dieser Stelle nicht stehen darf – oft ein fehlender Doppelpunkt oder eine falsche Einrückung.", en: "Something here does not belong in this place – often a missing colon or wrong indentation." },
  BLOCK_AS_IMPLICIT_KEY: { de: "Zwei Doppelpunkte in einer Zeile: Setzen Sie den Wert in Anführungszeichen oder rücken Sie ihn in eine eigene Zeile ein.", en: "Two colons on one line: put the value in quotes or indent it on a line of its own." },
  TAB_AS_INDENT: { de: "Tabulatoren sind als Einrückung nicht erlaubt; bitte Leerzeichen verwenden.", en: "Tabs are not allowed for indentation; please use spaces." },
  MULTILINE_IMPLICIT_KEY: { de: "Ein Name muss in einer Zeile stehen; vermutlich fehlt ein schließendes Anführungszeichen.", en: "A name must be on one line; probably a closing quote is missing." },
  MULTIPLE_ANCHORS: { de: "Ein Wert darf höchstens einen Anker (&name) haben.", en: "A value can have at most one anchor (&name)." },
  MULTIPLE_TAGS: { de: "Ein Wert darf höchstens eine Typangabe (!tag) haben.", en: "A value can have at most one tag (!tag)." },
  MULTIPLE_DOCS: { de: "Die Datei darf nur ein Dokument enthalten (kein zweites ---).", en: "The file may hold only one document (no second ---)." },
  BAD_DQ_ESCAPE: { de: "Ungültiges Escape-Zeichen (\\) in einem Text in doppelten Anführungszeichen.", en: "Invalid escape (\\) in a double-quoted text." },
  BAD_SCALAR_START: { de: "Ein Text darf nicht mit diesem Zeichen beginnen; setzen Sie ihn in Anführungszeichen.", en: "A text cannot start with this character; put it in quotes." },
  BLOCK_IN_FLOW: { de: "In einer Liste mit [ ] oder { } sind mehrzeilige Einträge nicht erlaubt.", en: "Multi-line entries are not allowed inside [ ] or { }." },
  BAD_ALIAS: { de: "Dieser Verweis (*name) zeigt auf keinen Anker.", en: "This reference (*name) points to no anchor." },
  KEY_OVER_1024_CHARS: { de: "Dieser Name ist zu lang (höchstens 1024 Zeichen).", en: "This name is too long (at most 1024 characters)." },
  NON_STRING_KEY: { de: "Namen müssen Text sein.", en: "Names must be text." },
  TAG_RESOLVE_FAILED: { de: "Diese Typangabe (!tag) ist unbekannt.", en: "This tag (!tag) is unknown." },
};

const fallback = { de: "Das YAML ist an dieser Stelle nicht lesbar.", en: "The YAML cannot be read here." };

export function translateYamlError(error: SourceError, lang: UiLanguage): string {
  const text = error.code ? texts[error.code] : undefined;
  if (text) return text[lang];
  return lang === "en" ? error.message : fallback.de;
}
