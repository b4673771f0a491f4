import { messengerPlatforms } from "../../channels/channel-table.ts";
import { countryName, needsNoSafeguard } from "../../dsl/countries.ts";
import { message } from "../messages.ts";
import type { UnlocatedProblem } from "../problem.ts";
import type { Rule } from "./rule.ts";

/**
 * docs/rules.md#messenger-recipient: the company behind a messenger the flow runs on receives
 * everything a visitor types there, so it counts as a recipient with its country. Meta
 * (WhatsApp, Messenger) sits in Ireland; Telegram in the United Arab Emirates, without an EU
 * adequacy decision. The operator cannot sign contractual clauses with a platform the visitor
 * chose, so this is a warning that the visitors must be told, not an error.
 */
export const messengerRecipient: Rule = ({ fields, lang, channels }) => {
  const personal = [...fields].filter(([, use]) => use.personal && use.collectedBy.length > 0).map(([field]) => field).sort();
  if (personal.length === 0) return [];
  const problems: UnlocatedProblem[] = [];
  for (const channel of new Set(channels)) {
    const { platform, name, country } = messengerPlatforms[channel];
    if (needsNoSafeguard(country)) continue;
    problems.push({
      rule: "messenger-recipient",
      severity: "warning",
      pointer: "/privacy",
      message: message("messenger-recipient", { platform, company: name, country: countryName(country, lang), fields: personal }, lang),
    });
  }
  return problems;
};
