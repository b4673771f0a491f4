import type { Language } from "../core/index.ts";

/** The message language when `--lang` is absent: German for a German locale (`LANG=de_DE.UTF-8`), else English. */
export function defaultLanguage(locale: string | undefined): Language {
  return locale?.toLowerCase().startsWith("de") ? "de" : "en";
}
