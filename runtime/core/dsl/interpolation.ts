/** `{{field}}` placeholders in bot texts. */

const placeholderPattern = /\{\{\s*([A-Za-z][A-Za-z0-9_-]*)\s*\}\}/g;

export function fieldsInText(text: string): string[] {
  // Most texts have no placeholder; skipping the regex for them matters on large flows.
  if (!text.includes("{{")) return [];
  return Array.from(text.matchAll(placeholderPattern), (match) => match[1] ?? "");
}

/** Replaces each `{{field}}` with `valueFor(field)`. */
export function interpolate(text: string, valueFor: (field: string) => string): string {
  if (!text.includes("{{")) return text;
  return text.replace(placeholderPattern, (_, field: string) => valueFor(field));
}
