/** `{{field}}` placeholders in bot texts. */

const placeholderPattern = /\{\{\s*([A-Za-z][A-Za-z0-9_-]*)\s*\}\}/g;

export function fieldsInText(text: string): string[] {
  // Most texts have no placeholder; skipping the regex for them matters on large flows.
  if (!text.includes("{{")) return [];
  return Array.from(text.matchAll(placeholderPattern), (match) => match[1] ?? "");
}
