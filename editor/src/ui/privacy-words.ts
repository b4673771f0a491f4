/**
 * The privacy desk's facts in words, in the UI's language: ledger entry types, decisions and
 * reasons, request outcomes, channels, dates. The server writes short codes (`given`,
 * `erased 2`, `entry 17 was changed; acknowledged by …`); a DPO reads sentences.
 */
import type { LedgerEntry } from "../api/privacy-api.ts";
import { type MessageKey, t } from "../i18n/messages.ts";
import type { UiLanguage } from "../i18n/ui-language.ts";

const channelNames: Record<string, string> = { telegram: "Telegram", whatsapp: "WhatsApp", messenger: "Facebook Messenger" };

export function channelName(lang: UiLanguage, channel: string | undefined): string {
  if (channel === "web") return lang === "de" ? "Web-Chat" : "Web chat";
  return channel ? (channelNames[channel] ?? channel) : "";
}

export function dateTime(lang: UiLanguage, iso: string): string {
  return new Date(iso).toLocaleString(lang === "de" ? "de-DE" : "en-GB", { dateStyle: "medium", timeStyle: "short" });
}

export function date(lang: UiLanguage, iso: string): string {
  return new Date(iso).toLocaleDateString(lang === "de" ? "de-DE" : "en-GB", { dateStyle: "medium" });
}

const typeKeys: Record<LedgerEntry["type"], MessageKey> = {
  consent: "ledgerTypeConsent",
  erasure: "ledgerTypeErasure",
  export: "ledgerTypeExport",
  correction: "ledgerTypeCorrection",
  request: "ledgerTypeRequest",
  acknowledgement: "ledgerTypeAcknowledgement",
};

export function ledgerType(lang: UiLanguage, type: string): string {
  return type in typeKeys ? t(lang, typeKeys[type as LedgerEntry["type"]]) : type;
}

const decisionKeys: Record<string, MessageKey> = { given: "ledgerDecisionGiven", declined: "ledgerDecisionDeclined", withdrawn: "ledgerDecisionWithdrawn" };
const reasonKeys: Record<string, MessageKey> = {
  visitor: "ledgerReasonVisitor",
  retention: "ledgerReasonRetention",
  request: "ledgerReasonRequest",
  withdrawal: "ledgerReasonWithdrawal",
};

const problemKeys: Record<string, MessageKey> = {
  "was changed": "ledgerBrokenChanged",
  "was removed": "ledgerBrokenRemoved",
  "is out of order": "ledgerBrokenReordered",
  "and those after it were removed": "ledgerBrokenTail",
};

/** A break as the server describes it (`entry 17 was changed`), in words. */
export function breakText(lang: UiLanguage, text: string): string {
  const match = /^entry (\d+) (.+)$/.exec(text);
  const key = match && problemKeys[match[2] ?? ""];
  return match && key ? t(lang, key, { seq: match[1] ?? "" }) : text;
}

/** A break the verification found, in words. */
export function brokenEntryText(lang: UiLanguage, broken: { seq: number; problem: "changed" | "removed" | "reordered" | "tail-removed" }): string {
  const keys: Record<typeof broken.problem, MessageKey> = { changed: "ledgerBrokenChanged", removed: "ledgerBrokenRemoved", reordered: "ledgerBrokenReordered", "tail-removed": "ledgerBrokenTail" };
  return t(lang, keys[broken.problem], { seq: broken.seq });
}

/** A request's outcome code (`nothing-stored`, `found 2`, `erased 2`, …) in words. */
export function outcomeText(lang: UiLanguage, outcome: string): string {
  const counted = /^(found|erased) (\d+)$/.exec(outcome);
  if (counted) return t(lang, counted[1] === "found" ? "outcomeFound" : "outcomeErased", { count: counted[2] ?? "" });
  const keys: Record<string, MessageKey> = {
    "nothing-stored": "outcomeNothingStored",
    "nothing-to-erase": "outcomeNothingToErase",
    exported: "outcomeExported",
    extended: "outcomeExtended",
    corrected: "outcomeCorrected",
  };
  return outcome in keys ? t(lang, keys[outcome] as MessageKey) : outcome;
}

/** What an entry says beyond its type — the decision, or the reason / outcome — and the request it belongs to. */
export function ledgerDetail(lang: UiLanguage, entry: LedgerEntry): string {
  const detail = ledgerFact(lang, entry);
  return entry.request ? t(lang, "ledgerOfRequest", { detail, id: entry.request }) : detail;
}

function ledgerFact(lang: UiLanguage, entry: LedgerEntry): string {
  if (entry.decision) return decisionKeys[entry.decision] ? t(lang, decisionKeys[entry.decision] as MessageKey) : entry.decision;
  const reason = entry.reason ?? "";
  if (entry.type === "request") return outcomeText(lang, reason);
  if (entry.type === "acknowledgement") {
    const match = /^(.*); acknowledged by (.*)$/.exec(reason);
    return match ? t(lang, "ledgerAcknowledgedBy", { what: breakText(lang, match[1] ?? ""), who: match[2] ?? "" }) : breakText(lang, reason);
  }
  return reasonKeys[reason] ? t(lang, reasonKeys[reason] as MessageKey) : reason;
}

/** A pseudonym is long; the screen shows its start, the title the whole. */
export function shortPseudonym(person: string | undefined): string {
  return person ? `${person.slice(0, 10)}…` : "";
}
