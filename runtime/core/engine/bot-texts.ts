/**
 * The bot's own words (menu, consent buttons, retries, my-data, unsubscribe) in German and
 * English; the flow's `language` picks one.
 */
import type { Language } from "../validate/problem.ts";
import type { InputFormat } from "./conversation.ts";

const retryByFormat: Record<InputFormat, { de: string; en: string }> = {
  text: { de: "Bitte geben Sie eine Antwort ein.", en: "Please type an answer." },
  email: { de: "Das sieht nicht nach einer E-Mail-Adresse aus. Bitte noch einmal.", en: "That does not look like an email address. Please try again." },
  phone: { de: "Das sieht nicht nach einer Telefonnummer aus. Bitte noch einmal.", en: "That does not look like a phone number. Please try again." },
  number: { de: "Bitte geben Sie eine Zahl ein.", en: "Please enter a number." },
  date: { de: "Bitte geben Sie ein Datum ein, z. B. 24.12.2026.", en: "Please enter a date, e.g. 2026-12-24." },
  postcode: { de: "Bitte geben Sie eine gültige Postleitzahl ein.", en: "Please enter a valid postcode." },
  url: { de: "Bitte geben Sie eine Webadresse ein.", en: "Please enter a web address." },
};

const monthNames = {
  de: ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"],
  en: ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
} as const;

/** `2027-03-05` as people write it: „5. März 2027“, "5 March 2027" (the same everywhere, no locale data needed). */
export function longDate(isoDate: string, language: Language): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  const month = match ? monthNames[language][Number(match[2]) - 1] : undefined;
  if (!match || !month) return isoDate;
  const day = Number(match[3]);
  return language === "de" ? `${day}. ${month} ${match[1]}` : `${day} ${month} ${match[1]}`;
}

/** "A", "A und B", "A, B und C". */
function joinNames(names: readonly string[], and: string): string {
  return names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} ${and} ${names.at(-1)}`;
}

const texts = {
  de: {
    menu: { privacy: "Datenschutz", imprint: "Impressum", "my-data": "Meine Daten", unsubscribe: "Abmelden & löschen" },
    accept: "Ja, einverstanden",
    decline: "Nein, danke",
    pickAnOption: "Bitte wählen Sie eine der Optionen.",
    answerTheConsent: "Bitte antworten Sie mit „Ja“ oder „Nein“.",
    notStored: "Diese Angabe speichere ich nicht, weil dafür keine Einwilligung vorliegt.",
    ended: "Das Gespräch ist beendet. Über das Menü erreichen Sie weiterhin Datenschutz, Impressum und Ihre Daten.",
    handover: "Sie sind mit einem Menschen verbunden; bitte warten Sie auf die Antwort.",
    noAgent: "Gerade ist niemand von uns da. Schreiben Sie uns Ihr Anliegen hier; wir antworten, sobald jemand da ist.",
    nobodyFree: "Leider ist gerade niemand frei. Schreiben Sie uns Ihr Anliegen hier; wir antworten, sobald jemand frei ist.",
    agentJoined: "Jemand aus unserem Team ist jetzt für Sie da.",
    loop: "Entschuldigung, hier ist etwas schiefgelaufen. Das Gespräch wurde beendet.",
    myDataIntro: "Das ist alles, was ich über Sie gespeichert habe:",
    myDataEmpty: "Ich habe nichts über Sie gespeichert.",
    deleteAfter: (date: string) => `Gelöscht wird es spätestens am ${longDate(date, "de")}.`,
    exportOption: "Als JSON exportieren",
    correctOption: (field: string) => `${field} korrigieren`,
    withdrawOption: (purpose: string) => `Einwilligung „${purpose}“ widerrufen`,
    back: "Zurück zum Gespräch",
    correctPrompt: (field: string) => `Bitte geben Sie den neuen Wert für „${field}“ ein.`,
    corrected: (field: string) => `„${field}“ wurde korrigiert.`,
    withdrawn: (purpose: string) => `Ihre Einwilligung „${purpose}“ ist widerrufen; die Daten dazu sind gelöscht.`,
    unsubscribed: "Sie sind abgemeldet. Alle über Sie gespeicherten Daten wurden gelöscht.",
    toldErasure: (names: readonly string[]) => `${joinNames(names, "und")} ${names.length === 1 ? "wurde" : "wurden"} gebeten, Ihre Daten ebenfalls zu löschen.`,
    toldCorrection: (names: readonly string[]) => `${joinNames(names, "und")} ${names.length === 1 ? "wurde" : "wurden"} über die Korrektur informiert.`,
    toldWithdrawal: (names: readonly string[]) => `${joinNames(names, "und")} ${names.length === 1 ? "wurde" : "wurden"} gebeten, diese Daten ebenfalls zu löschen.`,
    faqSuggest: "Meinten Sie eines davon?",
    faqNone: "Nichts davon",
    faqInWords: "Schreiben Sie Ihre Frage bitte in Worten, dann suche ich die Antwort.",
  },
  en: {
    menu: { privacy: "Privacy policy", imprint: "Imprint", "my-data": "My data", unsubscribe: "Unsubscribe & delete" },
    accept: "Yes, I agree",
    decline: "No, thanks",
    pickAnOption: "Please choose one of the options.",
    answerTheConsent: "Please answer “yes” or “no”.",
    notStored: "I am not storing this, because there is no consent for it.",
    ended: "The conversation has ended. The menu still offers the privacy policy, the imprint and your data.",
    handover: "You are connected to a person; please wait for their reply.",
    noAgent: "Nobody from our team is here right now. Leave us your message here; we will answer as soon as someone is back.",
    nobodyFree: "Sorry, nobody is free right now. Leave us your message here; we will answer as soon as someone is free.",
    agentJoined: "A member of our team is with you now.",
    loop: "Sorry, something went wrong here. The conversation has ended.",
    myDataIntro: "This is everything I have stored about you:",
    myDataEmpty: "I have stored nothing about you.",
    deleteAfter: (date: string) => `It will be deleted on ${longDate(date, "en")} at the latest.`,
    exportOption: "Export as JSON",
    correctOption: (field: string) => `Correct ${field}`,
    withdrawOption: (purpose: string) => `Withdraw consent “${purpose}”`,
    back: "Back to the conversation",
    correctPrompt: (field: string) => `Please enter the new value for “${field}”.`,
    corrected: (field: string) => `“${field}” has been corrected.`,
    withdrawn: (purpose: string) => `Your consent “${purpose}” is withdrawn; its data has been deleted.`,
    unsubscribed: "You are unsubscribed. Everything stored about you has been deleted.",
    toldErasure: (names: readonly string[]) => `${joinNames(names, "and")} ${names.length === 1 ? "has" : "have"} been asked to delete your data too.`,
    toldCorrection: (names: readonly string[]) => `${joinNames(names, "and")} ${names.length === 1 ? "has" : "have"} been told about the correction.`,
    toldWithdrawal: (names: readonly string[]) => `${joinNames(names, "and")} ${names.length === 1 ? "has" : "have"} been asked to delete this data too.`,
    faqSuggest: "Did you mean one of these?",
    faqNone: "None of these",
    faqInWords: "Please type your question in words and I will look for the answer.",
  },
} as const;

export type BotTexts = (typeof texts)[Language];

export function botTexts(language: Language): BotTexts {
  return texts[language];
}

export function retryText(format: InputFormat, language: Language): string {
  return retryByFormat[format][language];
}

const acceptWords = new Set(["ja", "yes", "ok", "okay", "einverstanden", "agree", "y", "j"]);
const declineWords = new Set(["nein", "no", "n", "ablehnen", "decline"]);

/** A typed answer to a consent question: accept, decline or neither. */
export function consentAnswer(text: string): "accept" | "decline" | undefined {
  const word = text.trim().toLowerCase().replace(/[.!]+$/, "");
  return acceptWords.has(word) ? "accept" : declineWords.has(word) ? "decline" : undefined;
}
