/**
 * The catalog of user-facing problem messages, German and English. Every message a flow author
 * can see is built here from a code and its parameters, so wording stays consistent.
 */
import type { Language } from "./problem.ts";

type Builder<P> = { en: (params: P) => string; de: (params: P) => string };

function list(items: readonly string[]): string {
  return items.map((item) => `'${item}'`).join(", ");
}

function arrow(path: readonly string[]): string {
  return path.join(" → ");
}

type ConsentMissingParams = { field: string; node: string; path: readonly string[]; menuLabel: string | undefined };

const entryEn = (menuLabel: string | undefined) => (menuLabel === undefined ? "the start" : `the menu item '${menuLabel}'`);
const entryDe = (menuLabel: string | undefined) => (menuLabel === undefined ? "vom Start" : `vom Menüpunkt '${menuLabel}'`);

const catalog = {
  // Reading the file
  "file-too-large": {
    en: (p: { size: string; limit: string }) => `The file is ${p.size}; flows may be at most ${p.limit}.`,
    de: (p: { size: string; limit: string }) => `Die Datei ist ${p.size} groß; Flows dürfen höchstens ${p.limit} groß sein.`,
  },
  "not-utf8": {
    en: () => "The file is not valid UTF-8 text. Save it as UTF-8.",
    de: () => "Die Datei ist kein gültiger UTF-8-Text. Bitte als UTF-8 speichern.",
  },
  "yaml-syntax": {
    en: (p: { reason: string }) => `The YAML cannot be read: ${p.reason}.`,
    de: (p: { reason: string }) => `Das YAML kann nicht gelesen werden: ${p.reason}.`,
  },
  "yaml-duplicate-key": {
    en: () => "This key appears twice in the same block; each key may appear only once.",
    de: () => "Dieser Schlüssel steht zweimal im selben Block; jeder Schlüssel darf nur einmal vorkommen.",
  },
  "yaml-too-deep": {
    en: (p: { limit: number }) => `The document is nested more than ${p.limit} levels deep.`,
    de: (p: { limit: number }) => `Das Dokument ist mehr als ${p.limit} Ebenen tief verschachtelt.`,
  },
  "yaml-alias-expansion": {
    en: () => "YAML aliases (*name) expand this document to an excessive size; remove the aliases.",
    de: () => "YAML-Aliase (*name) blähen dieses Dokument übermäßig auf; bitte die Aliase entfernen.",
  },
  "yaml-several-documents": {
    en: () => "The file contains several YAML documents (`---`); a flow file holds exactly one.",
    de: () => "Die Datei enthält mehrere YAML-Dokumente (`---`); eine Flow-Datei enthält genau eines.",
  },
  "not-a-flow": {
    en: () => "This is not a flow: a flow file is a YAML mapping with `flow`, `title`, `privacy`, `start` and `nodes`.",
    de: () =>
      "Das ist kein Flow: Eine Flow-Datei ist ein YAML-Mapping mit `flow`, `title`, `privacy`, `start` und `nodes`.",
  },
  "format-unsupported": {
    en: (p: { format: string; current: number }) =>
      `Flow format ${p.format} is not supported by this version of Botschaft (newest: ${p.current}).`,
    de: (p: { format: string; current: number }) =>
      `Das Flow-Format ${p.format} wird von dieser Botschaft-Version nicht unterstützt (neuestes: ${p.current}).`,
  },
  "flow-id-mismatch": {
    en: (p: { id: string; expected: string }) =>
      `The flow id '${p.id}' differs from the file name; rename the file or set \`flow: ${p.expected}\`.`,
    de: (p: { id: string; expected: string }) =>
      `Die Flow-ID '${p.id}' weicht vom Dateinamen ab; Datei umbenennen oder \`flow: ${p.expected}\` setzen.`,
  },

  // JSON Schema
  "schema-required": {
    en: (p: { property: string }) => `'${p.property}' is missing here.`,
    de: (p: { property: string }) => `'${p.property}' fehlt hier.`,
  },
  "schema-unknown-property": {
    en: (p: { property: string }) => `'${p.property}' is not a known setting here (check the spelling).`,
    de: (p: { property: string }) => `'${p.property}' ist hier keine bekannte Einstellung (Schreibweise prüfen).`,
  },
  "schema-type": {
    en: (p: { expected: string }) => `Expected ${p.expected} here.`,
    de: (p: { expected: string }) => `Hier wird ${p.expected} erwartet.`,
  },
  "schema-enum": {
    en: (p: { allowed: readonly string[] }) => `Allowed values: ${list(p.allowed)}.`,
    de: (p: { allowed: readonly string[] }) => `Erlaubte Werte: ${list(p.allowed)}.`,
  },
  "schema-node-type": {
    en: (p: { types: readonly string[] }) => `Unknown or missing node type; use one of ${list(p.types)}.`,
    de: (p: { types: readonly string[] }) => `Unbekannter oder fehlender Schritttyp; erlaubt sind ${list(p.types)}.`,
  },
  "schema-menu-item": {
    en: () => "A menu item is one of 'privacy', 'imprint', 'my-data', 'unsubscribe' or `{ label, goto }`.",
    de: () => "Ein Menüpunkt ist 'privacy', 'imprint', 'my-data', 'unsubscribe' oder `{ label, goto }`.",
  },
  "schema-pattern": {
    en: (p: { what: string }) => `This is not a valid ${p.what}.`,
    de: (p: { what: string }) => `Das ist kein gültiger Wert für ${p.what}.`,
  },
  "schema-reserved-name": {
    en: (p: { name: string; kind: "field" | "node" }) => `'${p.name}' is a name every JavaScript object has; choose another ${p.kind === "field" ? "field name" : "node id"}.`,
    de: (p: { name: string; kind: "field" | "node" }) =>
      `'${p.name}' hat jedes JavaScript-Objekt; bitte ${p.kind === "field" ? "einen anderen Feldnamen" : "eine andere Schritt-ID"} wählen.`,
  },
  "schema-too-short": {
    en: (p: { limit: number }) => `Needs at least ${p.limit} ${p.limit === 1 ? "entry or character" : "entries or characters"}.`,
    de: (p: { limit: number }) => `Benötigt mindestens ${p.limit} ${p.limit === 1 ? "Eintrag bzw. Zeichen" : "Einträge bzw. Zeichen"}.`,
  },
  "schema-too-long": {
    en: (p: { limit: number }) => `At most ${p.limit} entries or characters are allowed here.`,
    de: (p: { limit: number }) => `Hier sind höchstens ${p.limit} Einträge bzw. Zeichen erlaubt.`,
  },
  "schema-range": {
    en: (p: { comparison: string; limit: number }) => `Must be ${p.comparison} ${p.limit}.`,
    de: (p: { comparison: string; limit: number }) => `Muss ${p.comparison} ${p.limit} sein.`,
  },
  "schema-one-test": {
    en: () => "A condition branch needs `field`, `next` and exactly one test (exists, equals, matches, lt or gt).",
    de: () => "Ein Bedingungszweig braucht `field`, `next` und genau einen Test (exists, equals, matches, lt oder gt).",
  },
  "schema-duplicate-items": {
    en: () => "This list contains the same entry twice.",
    de: () => "Diese Liste enthält denselben Eintrag zweimal.",
  },
  "schema-other": {
    en: (p: { detail: string }) => `Invalid value: ${p.detail}.`,
    de: (p: { detail: string }) => `Ungültiger Wert: ${p.detail}.`,
  },

  // Rules
  "ref-unknown": {
    en: (p: { target: string }) => `There is no node '${p.target}'.`,
    de: (p: { target: string }) => `Es gibt keinen Schritt '${p.target}'.`,
  },
  "consent-missing-collect": {
    en: (p: ConsentMissingParams) =>
      `'${p.node}' stores the personal field '${p.field}' without a consent covering it on the way from ${entryEn(p.menuLabel)}: ${arrow(p.path)}. Insert a consent node that covers '${p.field}' before it.`,
    de: (p: ConsentMissingParams) =>
      `'${p.node}' speichert das personenbezogene Feld '${p.field}', ohne dass auf dem Weg ${entryDe(p.menuLabel)} eine Einwilligung dafür eingeholt wurde: ${arrow(p.path)}. Fügen Sie davor einen Einwilligungs-Schritt ein, der '${p.field}' abdeckt.`,
  },
  "consent-missing-send": {
    en: (p: ConsentMissingParams) =>
      `'${p.node}' sends the personal field '${p.field}' to a third party without a consent covering it on the way from ${entryEn(p.menuLabel)}: ${arrow(p.path)}. Insert a consent node that covers '${p.field}' before it.`,
    de: (p: ConsentMissingParams) =>
      `'${p.node}' sendet das personenbezogene Feld '${p.field}' an Dritte, ohne dass auf dem Weg ${entryDe(p.menuLabel)} eine Einwilligung dafür eingeholt wurde: ${arrow(p.path)}. Fügen Sie davor einen Einwilligungs-Schritt ein, der '${p.field}' abdeckt.`,
  },
  "menu-required": {
    en: (p: { missing: readonly string[] }) =>
      `The main menu lacks ${list(p.missing)}; privacy, imprint, my-data and unsubscribe must always be available.`,
    de: (p: { missing: readonly string[] }) =>
      `Im Hauptmenü fehlt ${list(p.missing)}; Datenschutz, Impressum, Meine Daten und Abmelden müssen immer erreichbar sein.`,
  },
  "retention-missing": {
    en: () => "The flow does not say how long answers are kept: set `privacy.retention`, e.g. `P90D`.",
    de: () => "Der Flow legt nicht fest, wie lange Antworten gespeichert werden: `privacy.retention` setzen, z. B. `P90D`.",
  },
  "retention-invalid": {
    en: (p: { value: string }) => `'${p.value}' is not an ISO 8601 duration such as P90D, P6M or P1Y.`,
    de: (p: { value: string }) => `'${p.value}' ist keine ISO-8601-Dauer wie P90D, P6M oder P1Y.`,
  },
  "retention-too-long": {
    en: (p: { value: string }) => `Retention '${p.value}' is longer than two years (P2Y), the maximum.`,
    de: (p: { value: string }) => `Die Speicherdauer '${p.value}' ist länger als zwei Jahre (P2Y), das Maximum.`,
  },
  "retention-zero": {
    en: (p: { value: string }) => `Retention '${p.value}' is zero; the conversation needs its answers for some time.`,
    de: (p: { value: string }) => `Die Speicherdauer '${p.value}' ist null; das Gespräch braucht seine Antworten eine Zeit lang.`,
  },
  "privacy-url-missing": {
    en: (p: { key: string }) => `\`privacy.${p.key}\` is missing; the menu must link to it.`,
    de: (p: { key: string }) => `\`privacy.${p.key}\` fehlt; das Menü muss darauf verlinken.`,
  },
  "privacy-url-not-https": {
    en: (p: { key: string; value: string }) => `\`privacy.${p.key}\` must be an https: address, not '${p.value}'.`,
    de: (p: { key: string; value: string }) => `\`privacy.${p.key}\` muss eine https:-Adresse sein, nicht '${p.value}'.`,
  },
  "processor-missing": {
    en: (p: { node: string; fields: readonly string[] }) =>
      `'${p.node}' sends personal data (${list(p.fields)}) but names no processor; add \`processor: { name, country }\`.`,
    de: (p: { node: string; fields: readonly string[] }) =>
      `'${p.node}' sendet personenbezogene Daten (${list(p.fields)}), nennt aber keinen Auftragsverarbeiter; \`processor: { name, country }\` ergänzen.`,
  },
  "notices-missing": {
    en: (p: { node: string; processor: string; fields: readonly string[] }) =>
      `'${p.node}' sends personal data (${list(p.fields)}) to ${p.processor} but says nowhere to tell them about corrections and erasures; add \`notices: { url: https://… }\`, or erasures stop at the bot.`,
    de: (p: { node: string; processor: string; fields: readonly string[] }) =>
      `'${p.node}' sendet personenbezogene Daten (${list(p.fields)}) an ${p.processor}, nennt aber keine Adresse für Mitteilungen über Korrekturen und Löschungen; \`notices: { url: https://… }\` ergänzen, sonst endet eine Löschung beim Bot.`,
  },
  "third-country": {
    en: (p: { processor: string; country: string }) =>
      `${p.processor} processes data in ${p.country}, outside the EU/EEA and without an adequacy decision; declare a safeguard (\`safeguard: scc\`, \`bcr\` or, for the US, \`dpf\`).`,
    de: (p: { processor: string; country: string }) =>
      `${p.processor} verarbeitet Daten in ${p.country}, außerhalb von EU/EWR und ohne Angemessenheitsbeschluss; eine Garantie angeben (\`safeguard: scc\`, \`bcr\` oder, für die USA, \`dpf\`).`,
  },
  "third-country-dpf": {
    en: (p: { processor: string; country: string }) =>
      `The EU-US Data Privacy Framework covers only the US, not ${p.country}; use \`scc\` or \`bcr\` for ${p.processor}.`,
    de: (p: { processor: string; country: string }) =>
      `Das EU-US Data Privacy Framework gilt nur für die USA, nicht für ${p.country}; für ${p.processor} \`scc\` oder \`bcr\` verwenden.`,
  },
  "messenger-recipient": {
    en: (p: { platform: string; company: string; country: string; fields: readonly string[] }) =>
      `The flow runs on ${p.platform}: ${p.company} in ${p.country}, outside the EU/EEA and without an adequacy decision, receives what visitors type there, including personal data (${list(p.fields)}). The generated privacy text names it as a recipient; say so in the consent text too, or publish the flow without ${p.platform}.`,
    de: (p: { platform: string; company: string; country: string; fields: readonly string[] }) =>
      `Der Flow läuft auf ${p.platform}: ${p.company} in ${p.country}, außerhalb von EU/EWR und ohne Angemessenheitsbeschluss, erhält, was Besucher dort eingeben, auch personenbezogene Daten (${list(p.fields)}). Der erzeugte Datenschutztext nennt es als Empfänger; sagen Sie es auch im Einwilligungstext oder veröffentlichen Sie den Flow ohne ${p.platform}.`,
  },
  "webhook-address": {
    en: (p: { node: string; host: string }) =>
      `'${p.node}' posts to ${p.host}, which is no public address (loopback, private network, link-local or cloud metadata); the runtime refuses to call it. Use the receiving system's public address, or have the operator allow the host in BOTSCHAFT_WEBHOOK_ALLOW_HOSTS.`,
    de: (p: { node: string; host: string }) =>
      `'${p.node}' sendet an ${p.host}, keine öffentliche Adresse (Loopback, privates Netz, Link-local oder Cloud-Metadaten); die Laufzeit ruft sie nicht auf. Verwenden Sie die öffentliche Adresse des empfangenden Systems oder lassen Sie den Host in BOTSCHAFT_WEBHOOK_ALLOW_HOSTS freigeben.`,
  },
  "durable-map": {
    en: (p: { node: string }) =>
      `'${p.node}' has \`delivery: durable\` and a \`map\`: a durable delivery's reply never comes back into the conversation, so this step is called synchronously while the visitor waits. Remove \`map\` to deliver it durably, or \`delivery\` to say that it waits.`,
    de: (p: { node: string }) =>
      `'${p.node}' hat \`delivery: durable\` und ein \`map\`: die Antwort einer zuverlässigen Zustellung kommt nie ins Gespräch zurück, daher wird dieser Schritt synchron aufgerufen, während die Person wartet. \`map\` entfernen, um zuverlässig zuzustellen, oder \`delivery\`, um das Warten auszudrücken.`,
  },
  "durable-error": {
    en: (p: { node: string; error: string }) =>
      `'${p.node}' is delivered durably, so its \`error\` branch ('${p.error}') is never taken: the conversation goes on at once and a delivery that finally fails is shown to the team instead. Remove \`error\`.`,
    de: (p: { node: string; error: string }) =>
      `'${p.node}' wird zuverlässig zugestellt, daher wird sein \`error\`-Zweig ('${p.error}') nie genommen: das Gespräch geht sofort weiter, und eine endgültig gescheiterte Zustellung sieht das Team. \`error\` entfernen.`,
  },
  "integration-property": {
    en: (p: { node: string; property: string }) =>
      `'${p.node}' uses an integration preset, which knows its own address and is always delivered durably; remove \`${p.property}\`.`,
    de: (p: { node: string; property: string }) =>
      `'${p.node}' nutzt eine fertige Integration, die ihre Adresse selbst kennt und immer zuverlässig zugestellt wird; \`${p.property}\` entfernen.`,
  },
  "integration-field": {
    en: (p: { node: string; field: string }) => `'${p.node}' reads the field '${p.field}' for its integration, but does not send it; add it to \`sends\`.`,
    de: (p: { node: string; field: string }) => `'${p.node}' liest für seine Integration das Feld '${p.field}', sendet es aber nicht; zu \`sends\` hinzufügen.`,
  },
  "integration-processor": {
    en: (p: { node: string; provider: string; name: string; country: string }) =>
      `'${p.node}' sends data to ${p.provider}, so its processor must be ${p.provider}'s company: \`processor: { name: ${p.name}, country: ${p.country} }\`. The privacy texts name it.`,
    de: (p: { node: string; provider: string; name: string; country: string }) =>
      `'${p.node}' sendet Daten an ${p.provider}, daher muss der Auftragsverarbeiter dessen Unternehmen sein: \`processor: { name: ${p.name}, country: ${p.country} }\`. Die Datenschutztexte nennen es.`,
  },
  unreachable: {
    en: (p: { node: string }) => `No path from the start or a menu item leads to '${p.node}'.`,
    de: (p: { node: string }) => `Kein Weg vom Start oder einem Menüpunkt führt zu '${p.node}'.`,
  },
  "opening-hours-timezone": {
    en: (p: { zone: string }) => `The opening hours' time zone '${p.zone}' is unknown, so the live chat counts as always open. Use an IANA name such as Europe/Berlin.`,
    de: (p: { zone: string }) => `Die Zeitzone '${p.zone}' der Öffnungszeiten ist unbekannt, daher gilt der Live-Chat als immer geöffnet. Verwenden Sie einen IANA-Namen wie Europe/Berlin.`,
  },
  "opening-hours-range": {
    en: (p: { range: string; day: string }) => `The opening time '${p.range}' on ${p.day} ends before it starts, so it never opens. Write it as e.g. 09:00-17:00; 24:00 ends a day.`,
    de: (p: { range: string; day: string }) => `Die Öffnungszeit '${p.range}' am ${p.day} endet vor ihrem Beginn und öffnet daher nie. Schreiben Sie z. B. 09:00-17:00; 24:00 beendet einen Tag.`,
  },
  "opening-hours-date": {
    en: (p: { date: string }) => `The closed day '${p.date}' is no calendar date, so it never comes.`,
    de: (p: { date: string }) => `Der geschlossene Tag '${p.date}' ist kein Kalenderdatum und kommt daher nie.`,
  },
  "handover-fallback": {
    en: (p: { node: string }) =>
      `The handover '${p.node}' has no 'noAgent' target: outside the opening hours the visitor only learns that nobody is there. Add a step for that case, e.g. one that offers a call back.`,
    de: (p: { node: string }) =>
      `Die Übergabe '${p.node}' hat kein Ziel 'noAgent': außerhalb der Öffnungszeiten erfährt die Person nur, dass niemand da ist. Legen Sie einen Schritt für diesen Fall fest, z. B. ein Rückrufangebot.`,
  },
  "unused-personal": {
    en: (p: { field: string; node: string }) =>
      `The personal field '${p.field}' is collected at '${p.node}' but never used; collect only what you need.`,
    de: (p: { field: string; node: string }) =>
      `Das personenbezogene Feld '${p.field}' wird in '${p.node}' erfasst, aber nie verwendet; erfassen Sie nur, was Sie brauchen.`,
  },
  "channel-limits-count": {
    en: (p: { node: string; count: number; limit: number; channels: string }) =>
      `'${p.node}' offers ${p.count} options; ${p.channels} show at most ${p.limit} as buttons, so the bot lists them as numbers to type there. Split the question in two.`,
    de: (p: { node: string; count: number; limit: number; channels: string }) =>
      `'${p.node}' bietet ${p.count} Optionen; ${p.channels} zeigen höchstens ${p.limit} als Schaltflächen, dort werden sie als Nummern zum Eintippen aufgelistet. Teilen Sie die Frage auf.`,
  },
  "channel-limits-title": {
    en: (p: { label: string; limit: number }) => `'${p.label}' is longer than ${p.limit} characters; WhatsApp and Messenger buttons cut it off. Shorten it.`,
    de: (p: { label: string; limit: number }) => `„${p.label}“ ist länger als ${p.limit} Zeichen; WhatsApp- und Messenger-Schaltflächen schneiden es ab. Kürzen Sie es.`,
  },
  "channel-limits-payload": {
    en: (p: { label: string; limit: number }) =>
      `The value of '${p.label}' is longer than ${p.limit} bytes, more than a Telegram button can carry; the bot falls back to the option's number. Give it a short \`value\`.`,
    de: (p: { label: string; limit: number }) =>
      `Der Wert von „${p.label}“ ist länger als ${p.limit} Byte, mehr als eine Telegram-Schaltfläche tragen kann; der Bot weicht auf die Nummer der Option aus. Geben Sie ihr einen kurzen \`value\`.`,
  },

  // Knowledge bases (*.faq.yaml) and the faq step
  "not-a-knowledge-base": {
    en: () => "This is not a knowledge base: a `.faq.yaml` file is a YAML mapping with `language` and `entries`.",
    de: () => "Das ist keine Wissensdatenbank: Eine `.faq.yaml`-Datei ist ein YAML-Mapping mit `language` und `entries`.",
  },
  "faq-id-twice": {
    en: (p: { id: string }) => `The entry id '${p.id}' is used twice; each entry needs an id of its own.`,
    de: (p: { id: string }) => `Die Eintrags-ID '${p.id}' kommt zweimal vor; jeder Eintrag braucht eine eigene ID.`,
  },
  "faq-duplicate-question": {
    en: (p: { other: string }) => `This question is already asked in entry '${p.other}'; the matcher cannot tell the two apart. Keep it in one entry.`,
    de: (p: { other: string }) => `Diese Frage steht schon im Eintrag '${p.other}'; der Abgleich kann beide nicht unterscheiden. Behalten Sie sie in einem Eintrag.`,
  },
  "faq-near-duplicate-question": {
    en: (p: { other: string; question: string }) =>
      `This question means the same to the matcher as '${p.question}' in entry '${p.other}' (same words after stemming and synonyms); visitors asking it get whichever scores higher. Reword one of them or keep them in one entry.`,
    de: (p: { other: string; question: string }) =>
      `Diese Frage ist für den Abgleich gleichbedeutend mit „${p.question}“ im Eintrag '${p.other}' (gleiche Wörter nach Stammformen und Synonymen); Besucher bekommen, was höher bewertet wird. Formulieren Sie eine um oder behalten Sie beide in einem Eintrag.`,
  },
  "faq-repeated-question": {
    en: () => "This entry has this question twice; once is enough.",
    de: () => "Dieser Eintrag hat diese Frage doppelt; einmal genügt.",
  },
  "faq-knowledge-base-missing": {
    en: (p: { name: string; file: string }) => `There is no knowledge base '${p.name}'; write it as ${p.file} next to the flow.`,
    de: (p: { name: string; file: string }) => `Es gibt keine Wissensdatenbank '${p.name}'; legen Sie sie als ${p.file} neben dem Flow an.`,
  },
  "faq-knowledge-base-invalid": {
    en: (p: { name: string; count: number; first: string }) =>
      `The knowledge base '${p.name}' has ${p.count} error(s) (first: ${p.first}); run \`npx botschaft validate\` on it.`,
    de: (p: { name: string; count: number; first: string }) =>
      `Die Wissensdatenbank '${p.name}' hat ${p.count} Fehler (zuerst: ${p.first}); prüfen Sie sie mit \`npx botschaft validate\`.`,
  },
  "faq-language": {
    en: (p: { name: string; language: string; flowLanguage: string }) =>
      `The knowledge base '${p.name}' is in '${p.language}' but the flow speaks '${p.flowLanguage}'; visitors' questions would not match.`,
    de: (p: { name: string; language: string; flowLanguage: string }) =>
      `Die Wissensdatenbank '${p.name}' ist auf '${p.language}', der Flow aber auf '${p.flowLanguage}'; die Fragen der Besucher würden nicht passen.`,
  },
  "faq-entry-next": {
    en: (p: { entry: string; target: string; name: string }) =>
      `Entry '${p.entry}' of the knowledge base '${p.name}' continues with '${p.target}', which is not a node of this flow.`,
    de: (p: { entry: string; target: string; name: string }) =>
      `Eintrag '${p.entry}' der Wissensdatenbank '${p.name}' geht weiter mit '${p.target}', das kein Schritt dieses Flows ist.`,
  },
} satisfies Record<string, Builder<never>>;

export type MessageCode = keyof typeof catalog;
export type MessageParams<C extends MessageCode> = Parameters<(typeof catalog)[C]["en"]>[0];

export function message<C extends MessageCode>(code: C, params: MessageParams<C>, lang: Language): string {
  const builder = catalog[code][lang] as (params: MessageParams<C>) => string;
  return builder(params);
}
