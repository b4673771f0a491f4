/**
 * Plain names and the ids derived from them: "Newsletter-Anmeldung" → `newsletter-anmeldung`,
 * "E-Mail fragen" → `e-mail-fragen`. Ids stay what files, references and embed codes use; people
 * type names.
 */

const spelledOut: Record<string, string> = { ä: "ae", ö: "oe", ü: "ue", ß: "ss", Ä: "ae", Ö: "oe", Ü: "ue" };

/** Lower-case letters and digits joined by single dashes (a flow id; also a valid step id); "" when nothing is left. */
export function idFromName(name: string, maxLength = 60): string {
  const id = name
    .replace(/[äöüßÄÖÜ]/g, (letter) => spelledOut[letter] ?? letter)
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return id.slice(0, maxLength).replace(/-+$/, "");
}

/** The id a name gives, made unique against `taken` with a number. */
export function freshIdFromName(name: string, taken: (id: string) => boolean, maxLength = 60): string {
  const base = idFromName(name, maxLength);
  if (base === "" || !taken(base)) return base;
  for (let number = 2; ; number++) if (!taken(`${base}-${number}`)) return `${base}-${number}`;
}
