/**
 * Where personal data may go (GDPR Chapter V). EU and EEA members, and the countries with an
 * EU adequacy decision (Art. 45), by ISO 3166-1 alpha-2 code.
 */

const euMembers = [
  "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT",
  "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
];
const eeaNonEuMembers = ["IS", "LI", "NO"];

/**
 * Adequacy decisions in force (European Commission list). Canada's covers commercial
 * organisations (PIPEDA). The United States is adequate only for organisations certified under
 * the EU-US Data Privacy Framework, which a flow declares as `safeguard: dpf`, so `US` is not here.
 */
const adequateCountries = ["AD", "AR", "CA", "FO", "GG", "IL", "IM", "JP", "JE", "NZ", "KR", "CH", "GB", "UY"];

const eeaCountries: ReadonlySet<string> = new Set([...euMembers, ...eeaNonEuMembers]);
const adequate: ReadonlySet<string> = new Set(adequateCountries);

export function isInEea(country: string): boolean {
  return eeaCountries.has(country);
}

/** True when data may go to `country` without a further safeguard. */
export function needsNoSafeguard(country: string): boolean {
  return eeaCountries.has(country) || adequate.has(country);
}

/** The DPF is an adequacy decision for certified US organisations only. */
export function safeguardFits(country: string, safeguard: "scc" | "bcr" | "dpf"): boolean {
  return safeguard !== "dpf" || country === "US";
}

/** The country's name in the reader's language ("AE" → "Vereinigte Arabische Emirate"), the code when Intl does not know it. */
export function countryName(code: string, lang: "de" | "en"): string {
  try {
    return new Intl.DisplayNames([lang], { type: "region" }).of(code) ?? code;
  } catch {
    return code;
  }
}
