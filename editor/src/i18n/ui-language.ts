/** The editor's UI languages and the browser default. */
export type UiLanguage = "de" | "en";

export function defaultUiLanguage(preferred: readonly string[]): UiLanguage {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split("-")[0];
    if (base === "de" || base === "en") return base;
  }
  return "en";
}
