/**
 * What the requests desk finds a person by (docs/privacy.md#requests-desk): e-mail addresses and
 * phone numbers a conversation stored, normalised so that the same person matches however the
 * address was typed — e-mail case, phone numbers in national and international form (`030
 * 1234567` and `+49 30 1234567` in a German flow). The edges turn each term into a keyed hash
 * (the blind index); the terms themselves are never stored.
 */
import type { FieldValue, InputFormat } from "../engine/conversation.ts";

export type BlindIndexKind = "email" | "phone";

/** Country calling codes by flow language, for numbers typed in national form (`0…`). */
const callingCodeByLanguage: Record<string, string> = { de: "49" };

export function normaliseEmail(value: string): string | undefined {
  const trimmed = value.trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(trimmed) ? trimmed : undefined;
}

/**
 * A phone number as international digits without `+`: `+49 30 1234567`, `0049 30 1234567` and
 * — with calling code 49 — `030 1234567` all become `49301234567`.
 */
export function normalisePhone(value: string, callingCode: string | undefined): string | undefined {
  const text = value.trim();
  if (!/^\+?[\d\s()/.-]+$/.test(text)) return undefined;
  let digits = text.replace(/\D/g, "");
  if (text.startsWith("+")) {
    // international already
  } else if (digits.startsWith("00")) {
    digits = digits.slice(2);
  } else if (digits.startsWith("0") && callingCode) {
    digits = callingCode + digits.slice(1);
  }
  return digits.length >= 6 && digits.length <= 15 ? digits : undefined;
}

/** The term a value is indexed and looked up under: `email:…` or `phone:…`. */
export function blindIndexTerm(kind: BlindIndexKind, value: string, language: string): string | undefined {
  const normalised = kind === "email" ? normaliseEmail(value) : normalisePhone(value, callingCodeByLanguage[language]);
  return normalised === undefined ? undefined : `${kind}:${normalised}`;
}

function kindOf(field: string, format: InputFormat, value: FieldValue): BlindIndexKind | undefined {
  if (format === "email") return "email";
  if (format === "phone") return "phone";
  const name = field.toLowerCase();
  if (/mail/.test(name) && typeof value === "string" && value.includes("@")) return "email";
  if (/phone|telefon|mobil|handy/.test(name)) return "phone";
  return undefined;
}

/** The terms of every e-mail address and phone number among a conversation's stored fields, once each. */
export function blindIndexTerms(fields: Readonly<Record<string, FieldValue>>, formatOf: (field: string) => InputFormat, language: string): string[] {
  const terms = new Set<string>();
  for (const [field, value] of Object.entries(fields)) {
    const kind = kindOf(field, formatOf(field), value);
    if (!kind || typeof value !== "string") continue;
    const term = blindIndexTerm(kind, value, language);
    if (term) terms.add(term);
  }
  return [...terms];
}
