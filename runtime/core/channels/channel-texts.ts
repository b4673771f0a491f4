/** The messenger runtime's own words, in German and English (the flow's `language` picks one). */
import type { Language } from "../validate/problem.ts";

export const channelTexts = {
  de: {
    unsupported: "Das kann ich leider nicht lesen. Bitte antworten Sie mit Text oder tippen Sie auf eine der Schaltflächen.",
    privateOnly: (link?: string) =>
      link ? `Ich antworte nur im privaten Chat, damit Ihre Angaben nicht in der Gruppe stehen: ${link}` : "Ich antworte nur im privaten Chat, damit Ihre Angaben nicht in der Gruppe stehen. Bitte schreiben Sie mir direkt.",
    menuTitle: "Menü – was möchten Sie tun?",
    listButton: "Optionen",
    menuHint: "„Menü“: Datenschutz, Impressum, Ihre Daten",
    policyLine: (url: string) => `Datenschutzerklärung: ${url}`,
    exportLink: (url: string) => `Ihre Daten als JSON-Datei (der Link gilt 15 Minuten): ${url}`,
    exportCaption: "Ihre gespeicherten Daten (JSON)",
    chooseByNumber: "Antworten Sie mit der Nummer einer Option:",
    commands: {
      menu: "Menü anzeigen",
      privacy: "Datenschutzerklärung",
      imprint: "Impressum",
      mydata: "Meine Daten ansehen, exportieren, korrigieren",
      stop: "Abmelden und alle Daten löschen",
    },
  },
  en: {
    unsupported: "Sorry, I cannot read that. Please reply with text or tap one of the buttons.",
    privateOnly: (link?: string) =>
      link ? `I only answer in a private chat, so that your details stay out of the group: ${link}` : "I only answer in a private chat, so that your details stay out of the group. Please write to me directly.",
    menuTitle: "Menu – what would you like to do?",
    listButton: "Options",
    menuHint: "Type “menu”: privacy, imprint, your data",
    policyLine: (url: string) => `Privacy policy: ${url}`,
    exportLink: (url: string) => `Your data as a JSON file (the link works for 15 minutes): ${url}`,
    exportCaption: "Your stored data (JSON)",
    chooseByNumber: "Reply with the number of an option:",
    commands: {
      menu: "Show the menu",
      privacy: "Privacy policy",
      imprint: "Imprint",
      mydata: "See, export or correct my data",
      stop: "Unsubscribe and delete all my data",
    },
  },
} as const;

export function textsFor(language: Language) {
  return channelTexts[language];
}
