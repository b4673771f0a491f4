/**
 * Checking and normalising answers by an input's `format`. Returns the value to store, or
 * undefined when the answer does not fit.
 */
import type { FieldValue, InputFormat } from "./conversation.ts";

export const maxAnswerLength = 1000;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** `2026-03-01`, `1.3.2026` and `01.03.2026` → `2026-03-01`. */
function normaliseDate(text: string): string | undefined {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const german = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text);
  const [year, month, day] = iso
    ? [Number(iso[1]), Number(iso[2]), Number(iso[3])]
    : german
      ? [Number(german[3]), Number(german[2]), Number(german[1])]
      : [0, 0, 0];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || year < 1900 || year > 2200) return undefined;
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

const checks: Record<InputFormat, (text: string) => FieldValue | undefined> = {
  text: (text) => text,
  email: (text) => (/^[^\s@]+@[^\s@.]+(\.[^\s@.]+)*\.[^\s@.]{2,}$/.test(text) && text.length <= 254 ? text : undefined),
  phone: (text) => {
    if (!/^\+?[\d\s()/.-]+$/.test(text)) return undefined;
    const digits = text.replace(/\D/g, "");
    return digits.length >= 6 && digits.length <= 15 ? `${text.startsWith("+") ? "+" : ""}${digits}` : undefined;
  },
  number: (text) => (/^-?\d+([.,]\d+)?$/.test(text) ? Number(text.replace(",", ".")) : undefined),
  date: normaliseDate,
  postcode: (text) => (/^[A-Za-z0-9][A-Za-z0-9 -]{2,9}$/.test(text) ? text.toUpperCase() : undefined),
  url: (text) => {
    try {
      const url = new URL(text);
      return url.protocol === "https:" || url.protocol === "http:" ? url.href : undefined;
    } catch {
      return undefined;
    }
  },
};

export function checkAnswer(text: string, format: InputFormat, pattern?: string): FieldValue | undefined {
  const answer = text.trim();
  if (answer.length === 0 || answer.length > maxAnswerLength) return undefined;
  if (pattern !== undefined && !safeTest(pattern, answer)) return undefined;
  return checks[format](answer);
}

function safeTest(pattern: string, text: string): boolean {
  try {
    return new RegExp(pattern, "u").test(text);
  } catch {
    // An invalid pattern in an unvalidated flow must not break the conversation.
    return false;
  }
}
