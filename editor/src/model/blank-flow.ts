/** The text of a new, empty flow: privacy settings to fill in, the built-in menu and a greeting. */
import { stringify } from "yaml";
import type { UiLanguage } from "../i18n/ui-language.ts";

export function blankFlowText(id: string, lang: UiLanguage, title = id): string {
  const greeting = lang === "de" ? "Hallo! Wie kann ich helfen?" : "Hello! How can I help?";
  return `# yaml-language-server: $schema=../schemas/flow.schema.json
flow: ${id}
title: ${stringify(title, { lineWidth: 0 }).trimEnd()}
language: ${lang}
privacy:
  controller:
    name: ""
    address: ""
    email: ""
  policyUrl: ""
  imprintUrl: ""
  retention: P90D
menu:
  - privacy
  - imprint
  - my-data
  - unsubscribe
start: welcome
nodes:
  welcome:
    type: message
    text: ${greeting}
layout:
  welcome: { x: 0, y: 0 }
`;
}
