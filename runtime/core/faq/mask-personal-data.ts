/**
 * Masks what identifies a person in a visitor's question before anything keeps it
 * (docs/privacy.md#unanswered-questions): e-mail addresses, IBANs, phone numbers, long digit
 * runs (order, customer, card and account numbers, postcodes), street addresses and names
 * introduced as such ("ich heiße …", "my name is …", "Frau …", "Mr …"). Rule-based, so it
 * cannot promise to find every name: the review list shows masked text only to editors, and a
 * `faq` step can keep nothing at all (`keepUnanswered: false`).
 */

const masks: readonly [RegExp, string][] = [
  // E-mail addresses, also with spaces around the @ or "at" spelled out.
  [/[\p{L}\p{N}._%+-]+\s?(?:@|\(at\)|\[at\])\s?[\p{L}\p{N}.-]+\.[\p{L}]{2,}/giu, "[email]"],
  // IBANs (country code, check digits, up to 30 more letters and digits, in groups or not).
  [/\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}\b/giu, "[number]"],
  // Phone numbers: an optional +, then at least 6 digits with spaces, dashes, slashes, dots or brackets between.
  [/(?:\+|\b00|\b0)\d[\d\s/().-]{4,}\d/gu, "[phone]"],
  // Any other run of 5 or more digits, also grouped ("1234 5678 9012").
  [/\b\d(?:[\s.-]?\d){4,}\b/gu, "[number]"],
  // Street addresses: a German street word with its house number, or an English number before a street word.
  [/\b[\p{L}-]+(?:straße|strasse|str\.|weg|gasse|allee|platz|ring|damm|ufer)\s+\d+\s?[a-z]?\b/giu, "[address]"],
  [/\b\d+\s+(?:[A-Z][\p{L}-]+\s){1,3}(?:street|st\.|road|rd\.|avenue|ave\.|lane|way|drive)\b/gu, "[address]"],
];

/** A word matched in any case, for the words that introduce a name (the name itself must be capitalised). */
function anyCase(words: string): string {
  return words.replace(/\p{L}/gu, (letter) => `[${letter.toLowerCase()}${letter.toUpperCase()}]`).replace(/ /g, "\\s+");
}

const capitalisedName = "(\\p{Lu}[\\p{L}'-]+(?:\\s+\\p{Lu}[\\p{L}'-]+){0,2})";

/** Words that introduce a name, and the name after them: one to three capitalised words (any words after "ich heiße"). */
const nameIntroductions = [
  new RegExp(`\\b(?:${["ich heiße", "ich heisse", "mein name ist", "mein name lautet"].map(anyCase).join("|")})\\s+((?:[\\p{L}'-]+\\s?){1,3})`, "gu"),
  new RegExp(`\\b(?:${["my name is", "my name's", "name:", "this is", "i am", "i'm", "ich bin", "hier ist", "hier spricht"].map(anyCase).join("|")})\\s+${capitalisedName}`, "gu"),
  new RegExp(`\\b(?:${["herr", "herrn", "frau", "mr", "mrs", "ms", "miss", "dr", "prof"].map(anyCase).join("|")})\\.?\\s+${capitalisedName}`, "gu"),
  // A signature at the end: "…, Gruß Anna Schmidt", "Thanks, John".
  new RegExp(`\\b(?:${["gruß", "grüße", "gruss", "lg", "vg", "mfg", "danke", "thanks", "regards", "cheers", "best"].map(anyCase).join("|")})[,!.]?\\s+${capitalisedName}\\s*[.!]?$`, "gu"),
];

/** The longest question kept; longer ones are cut, so one visitor cannot fill the review list. */
export const maxKeptQuestionChars = 500;

/**
 * A question with personal data replaced by placeholders, trimmed and cut to a bounded length.
 *
 * @example
 * maskPersonalData("Ich heiße Anna Schmidt, Bestellung 1234567, anna@example.org");
 * // "Ich heiße [name], Bestellung [number], [email]"
 */
export function maskPersonalData(text: string): string {
  let masked = text.normalize("NFKC").replace(/\s+/g, " ").trim();
  for (const [pattern, replacement] of masks) masked = masked.replace(pattern, replacement);
  for (const pattern of nameIntroductions) {
    masked = masked.replace(pattern, (whole: string, name: string) => {
      const trimmed = name.trim().replace(/[,.!?;:]+$/, "");
      if (trimmed === "" || trimmed.startsWith("[")) return whole;
      return whole.replace(trimmed, "[name]");
    });
  }
  return masked.length > maxKeptQuestionChars ? `${masked.slice(0, maxKeptQuestionChars - 1)}…` : masked;
}
