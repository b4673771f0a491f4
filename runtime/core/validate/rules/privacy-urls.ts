import { message } from "../messages.ts";
import type { UnlocatedProblem } from "../problem.ts";
import type { Rule } from "./rule.ts";

const urlKeys = ["policyUrl", "imprintUrl"] as const;

function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" && url.hostname.length > 0;
  } catch {
    return false;
  }
}

/** The privacy policy and imprint must exist and be served over TLS. */
export const privacyUrls: Rule = ({ flow, lang }) => {
  const problems: UnlocatedProblem[] = [];
  for (const key of urlKeys) {
    const value = flow.privacy[key];
    if (value === undefined) {
      problems.push({ rule: "privacy-urls", severity: "error", pointer: "/privacy", message: message("privacy-url-missing", { key }, lang) });
    } else if (!isHttpsUrl(value)) {
      problems.push({
        rule: "privacy-urls",
        severity: "error",
        pointer: `/privacy/${key}`,
        message: message("privacy-url-not-https", { key, value }, lang),
      });
    }
  }
  return problems;
};
