/**
 * The German wording of the benchmark flow: a municipal utility's customer-service bot
 * (Stadtwerke). Realistic texts matter for the benchmark because text length drives the YAML
 * parser's cost and the file size; the characters outside Latin-1 (–, „“, €) also make the
 * source a two-byte string, as real German flows are.
 */
import type { InputNode, Processor } from "../dsl/flow.ts";

/** A data-collecting process with its own consent: one GDPR purpose, its fields, its processor. */
export interface Purpose {
  /** What the consent is for, in plain words; `{topic}` is replaced by the section's title. */
  purpose: string;
  consentText: string;
  inputs: readonly PersonalInput[];
  processor: Processor;
  url: string;
  /** The closing text; reads collected fields so none of them is flagged as unused. */
  thanks: string;
}

export interface PersonalInput {
  field: string;
  text: string;
  format?: InputNode["format"];
  pattern?: string;
  /** Only where the field name alone does not make the field personal (`wunschtermin`). */
  personal?: true;
  retryText?: string;
}

export interface Topic {
  /** Node id prefix: lower-case ASCII. */
  slug: string;
  title: string;
  intro: string;
  facts: readonly string[];
  questions: readonly { label: string; answer: string }[];
  purpose: keyof typeof purposes;
}

export const purposes = {
  callback: {
    purpose: "Rückruf zum Thema {topic}",
    consentText:
      "Dürfen wir Ihren Namen und Ihre Telefonnummer speichern und an unseren Dienstleister Muster CRM GmbH (Deutschland) weitergeben, damit wir Sie zum Thema {topic} zurückrufen können?",
    inputs: [
      { field: "name", text: "Wie dürfen wir Sie ansprechen? Bitte nennen Sie Vor- und Nachnamen." },
      {
        field: "telefon",
        text: "Unter welcher Telefonnummer erreichen wir Sie am besten?",
        format: "phone",
        retryText:
          "Das sieht nicht wie eine Telefonnummer aus. Bitte geben Sie sie mit Vorwahl ein, z. B. 0561 123456.",
      },
    ],
    processor: { name: "Muster CRM GmbH", country: "DE" },
    url: "https://crm.stadtwerke-nordhessen.example/api/rueckrufe",
    thanks:
      "Vielen Dank, {{name}}! Wir rufen Sie werktags innerhalb von 24 Stunden unter {{telefon}} zurück. Ihre Vorgangsnummer: {{vorgangsnummer}}.",
  },
  newsletter: {
    purpose: "Newsletter zum Thema {topic}",
    consentText:
      "Möchten Sie unseren Newsletter zum Thema {topic} erhalten? Dafür speichern wir Ihre E-Mail-Adresse und geben sie an unseren Versanddienstleister Postfach Versand GmbH (Deutschland) weiter. Sie können sich jederzeit wieder abmelden.",
    inputs: [
      {
        field: "email",
        text: "An welche E-Mail-Adresse dürfen wir den Newsletter schicken?",
        format: "email",
        retryText: "Bitte prüfen Sie die E-Mail-Adresse – sie sollte etwa so aussehen: name@beispiel.de.",
      },
    ],
    processor: { name: "Postfach Versand GmbH", country: "DE" },
    url: "https://newsletter.postfach-versand.example/v2/subscribers",
    thanks:
      "Fast geschafft! Wir haben eine Bestätigungs-E-Mail an {{email}} geschickt. Bitte klicken Sie auf den Link darin.",
  },
  appointment: {
    purpose: "Terminvereinbarung zum Thema {topic}",
    consentText:
      "Für einen Termin zum Thema {topic} benötigen wir Ihren Namen, Ihre E-Mail-Adresse, Ihre Telefonnummer und Ihren Wunschtermin. Dürfen wir diese Daten speichern und an unser Buchungssystem (Kalenderwerk GmbH, Österreich) übermitteln?",
    inputs: [
      { field: "name", text: "Auf welchen Namen dürfen wir den Termin eintragen?" },
      { field: "email", text: "An welche E-Mail-Adresse sollen wir die Terminbestätigung senden?", format: "email" },
      { field: "telefon", text: "Unter welcher Nummer erreichen wir Sie, falls sich etwas ändert?", format: "phone" },
      {
        field: "wunschtermin",
        text: "Welcher Tag passt Ihnen am besten? Bitte im Format TT.MM.JJJJ.",
        format: "date",
        personal: true,
        retryText: "Bitte geben Sie das Datum im Format TT.MM.JJJJ an, z. B. 14.03.2026.",
      },
    ],
    processor: { name: "Kalenderwerk GmbH", country: "AT" },
    url: "https://api.kalenderwerk.example/v1/bookings",
    thanks: "Danke, {{name}}! Ihr Wunschtermin am {{wunschtermin}} ist vorgemerkt. Die Bestätigung kommt an {{email}}.",
  },
  offer: {
    purpose: "Individuelles Angebot zum Thema {topic}",
    consentText:
      "Für ein individuelles Angebot zum Thema {topic} benötigen wir Ihren Vor- und Nachnamen, Ihre E-Mail-Adresse und Ihre Postleitzahl. Dürfen wir diese Daten speichern und an unser Angebotsportal (Angebotsportaal B.V., Niederlande) übermitteln?",
    inputs: [
      { field: "vorname", text: "Wie lautet Ihr Vorname?" },
      { field: "nachname", text: "Und Ihr Nachname?" },
      { field: "email", text: "An welche E-Mail-Adresse dürfen wir das Angebot schicken?", format: "email" },
      { field: "plz", text: "In welcher Postleitzahl liegt die Lieferadresse?", format: "postcode" },
    ],
    processor: { name: "Angebotsportaal B.V.", country: "NL" },
    url: "https://angebote.angebotsportaal.example/api/anfragen",
    thanks:
      "Vielen Dank, {{vorname}} {{nachname}}! Ihr Angebot für PLZ {{plz}} erhalten Sie in den nächsten Tagen per E-Mail.",
  },
  outage: {
    purpose: "Bearbeitung Ihrer Störungsmeldung zum Thema {topic}",
    consentText:
      "Damit unser Netzservice die Störung beheben kann, benötigen wir Ihren Namen, Ihre Telefonnummer und die Adresse des betroffenen Anschlusses. Dürfen wir diese Daten speichern und an die Netzbetrieb Service GmbH (Deutschland) weitergeben?",
    inputs: [
      { field: "name", text: "Wie heißen Sie?" },
      { field: "telefon", text: "Unter welcher Nummer kann der Techniker Sie erreichen?", format: "phone" },
      { field: "strasse", text: "In welcher Straße und Hausnummer liegt der betroffene Anschluss?" },
      { field: "plz", text: "Und die Postleitzahl?", format: "postcode" },
    ],
    processor: { name: "Netzbetrieb Service GmbH", country: "DE" },
    url: "https://stoerung.netzbetrieb-service.example/api/meldungen",
    thanks:
      "Danke, {{name}}. Ihre Meldung für {{strasse}}, {{plz}} ist eingegangen (Vorgang {{vorgangsnummer}}). Ein Techniker meldet sich unter {{telefon}}.",
  },
  account: {
    purpose: "Änderung Ihrer Vertragsdaten zum Thema {topic}",
    consentText:
      "Um Ihre Vertragsdaten zu ändern, benötigen wir Ihre Kundennummer, Ihre E-Mail-Adresse und Ihre IBAN. Dürfen wir diese Daten speichern und an unser Abrechnungszentrum (Abrechnungszentrum Nord GmbH, Deutschland) übermitteln?",
    inputs: [
      {
        field: "kundennummer",
        text: "Wie lautet Ihre Kundennummer? Sie finden sie oben rechts auf jeder Rechnung.",
        pattern: "^[0-9]{8}$",
        retryText: "Die Kundennummer besteht aus 8 Ziffern, z. B. 40012345.",
      },
      { field: "email", text: "An welche E-Mail-Adresse sollen wir die Bestätigung schicken?", format: "email" },
      {
        field: "iban",
        text: "Wie lautet die IBAN, von der wir künftig abbuchen sollen?",
        pattern: "^[A-Z]{2}[0-9]{2}[A-Z0-9 ]{11,30}$",
        retryText: "Bitte geben Sie die IBAN ohne Sonderzeichen ein, z. B. DE89 3704 0044 0532 0130 00.",
      },
    ],
    processor: { name: "Abrechnungszentrum Nord GmbH", country: "DE" },
    url: "https://abrechnung.stadtwerke-nordhessen.example/api/vertragsdaten",
    thanks:
      "Ihre Änderung zur Kundennummer {{kundennummer}} ist eingegangen. Die Bestätigung schicken wir an {{email}}; die neue Bankverbindung gilt ab dem nächsten Abschlag.",
  },
} as const satisfies Record<string, Purpose>;

export const topics: readonly Topic[] = [
  {
    slug: "abschlag",
    title: "Abschlag & Rechnung",
    intro: "Hier dreht sich alles um Ihre Jahresrechnung und Ihre monatlichen Abschläge.",
    facts: [
      "Ihre Jahresrechnung erhalten Sie nach der Zählerablesung, meist im Januar oder Februar.",
      "Den Abschlag berechnen wir aus Ihrem Verbrauch des Vorjahres und den aktuellen Preisen.",
      "Sie können Ihren Abschlag jederzeit im Kundenportal anpassen – auch mitten im Jahr.",
    ],
    questions: [
      {
        label: "Warum ist mein Abschlag gestiegen?",
        answer:
          "Meist liegt es an einem höheren Verbrauch im Vorjahr oder an geänderten Preisen. Die Berechnung steht auf Seite 2 Ihrer Rechnung.",
      },
      {
        label: "Wann wird abgebucht?",
        answer:
          "Der Abschlag wird jeweils zum 15. des Monats von Ihrem Konto abgebucht, sofern Sie uns ein SEPA-Mandat erteilt haben.",
      },
    ],
    purpose: "account",
  },
  {
    slug: "zaehlerstand",
    title: "Zählerstand melden",
    intro: "Sie möchten Ihren Zählerstand mitteilen? Das geht schnell und ohne Anmeldung.",
    facts: [
      "Den Zählerstand lesen Sie links von der Kommastelle ab; Nachkommastellen brauchen wir nicht.",
      "Bei einem Zwei-Tarif-Zähler notieren Sie bitte beide Stände (HT und NT).",
      "Ein Foto des Zählers hilft uns, Ablesefehler zu vermeiden.",
    ],
    questions: [
      {
        label: "Wo finde ich die Zählernummer?",
        answer:
          "Die Zählernummer steht auf dem Typenschild des Zählers, meist unter einem Strichcode, und auf Ihrer letzten Rechnung.",
      },
      {
        label: "Was passiert ohne Ablesung?",
        answer:
          "Dann schätzen wir Ihren Verbrauch anhand der Vorjahreswerte. Sie können die Schätzung später korrigieren lassen.",
      },
    ],
    purpose: "callback",
  },
  {
    slug: "umzug",
    title: "Umzug",
    intro: "Sie ziehen um? Wir nehmen Ihren Vertrag gern an die neue Adresse mit.",
    facts: [
      "Bitte melden Sie Ihren Umzug spätestens zwei Wochen vor dem Auszug.",
      "Am Auszugstag lesen Sie die Zählerstände ab und notieren sie für uns.",
      "Innerhalb unseres Versorgungsgebiets läuft Ihr Tarif zu den gleichen Konditionen weiter.",
    ],
    questions: [
      {
        label: "Kann ich meinen Tarif mitnehmen?",
        answer:
          "Ja, innerhalb unseres Versorgungsgebiets übernehmen wir Ihren Tarif. Außerhalb endet der Vertrag mit dem Auszug.",
      },
      {
        label: "Brauche ich einen Nachmieter?",
        answer: "Nein. Wir melden die Entnahmestelle ab; der Nachmieter schließt einen eigenen Vertrag.",
      },
    ],
    purpose: "appointment",
  },
  {
    slug: "tarife",
    title: "Tarife & Preise",
    intro: "Strom, Gas, Wärme: Hier finden Sie den passenden Tarif für Ihren Haushalt.",
    facts: [
      "Unser Ökostromtarif „Nordhessen Natur“ stammt zu 100 % aus erneuerbaren Quellen.",
      "Der Grundpreis deckt Messung und Abrechnung; der Arbeitspreis richtet sich nach Ihrem Verbrauch.",
      "Bei Preisänderungen informieren wir Sie mindestens sechs Wochen im Voraus.",
    ],
    questions: [
      {
        label: "Welcher Tarif passt zu mir?",
        answer:
          "Bis etwa 2.500 kWh im Jahr lohnt sich meist der Basistarif, darüber der Komforttarif mit niedrigerem Arbeitspreis.",
      },
      {
        label: "Gibt es eine Preisgarantie?",
        answer:
          "Ja, im Tarif „Nordhessen Fix“ garantieren wir den Arbeitspreis für 24 Monate, ausgenommen Steuern und Abgaben.",
      },
    ],
    purpose: "offer",
  },
  {
    slug: "stoerung",
    title: "Störung melden",
    intro: "Kein Strom, kein Gas oder kein Wasser? Wir helfen Ihnen so schnell wie möglich.",
    facts: [
      "Bei Gasgeruch verlassen Sie bitte sofort das Gebäude und rufen Sie den Notdienst unter 0561 782 0 an.",
      "Prüfen Sie zuerst, ob nur Ihre Wohnung betroffen ist oder auch die Nachbarn.",
      "Aktuelle Versorgungsunterbrechungen finden Sie auf unserer Störungskarte im Internet.",
    ],
    questions: [
      {
        label: "Ist die Störung bekannt?",
        answer:
          "Geplante Arbeiten und bekannte Störungen zeigen wir auf unserer Störungskarte. Ist Ihre Straße dort nicht markiert, melden Sie die Störung bitte hier.",
      },
      {
        label: "Wer zahlt die Reparatur?",
        answer:
          "Störungen im öffentlichen Netz beheben wir kostenlos. Für die Hausinstallation ist der Eigentümer zuständig.",
      },
    ],
    purpose: "outage",
  },
  {
    slug: "vertrag",
    title: "Vertrag & Kündigung",
    intro: "Fragen zu Laufzeit, Kündigung oder Vertragsänderungen beantworten wir hier.",
    facts: [
      "Nach der Erstlaufzeit können Sie Ihren Vertrag mit einer Frist von einem Monat kündigen.",
      "Bei einer Preiserhöhung haben Sie ein Sonderkündigungsrecht.",
      "Eine Kündigung bestätigen wir Ihnen innerhalb einer Woche schriftlich.",
    ],
    questions: [
      {
        label: "Wie kündige ich?",
        answer:
          "Sie können online, per E-Mail oder per Post kündigen. Bitte geben Sie Ihre Kundennummer und den gewünschten Termin an.",
      },
      {
        label: "Kann ich den Tarif wechseln?",
        answer: "Ein Wechsel in einen anderen unserer Tarife ist jederzeit zum Monatsende möglich.",
      },
    ],
    purpose: "account",
  },
  {
    slug: "emobil",
    title: "E-Mobilität & Ladestationen",
    intro: "Laden Sie Ihr Elektroauto zu Hause oder an unseren öffentlichen Ladesäulen.",
    facts: [
      "Mit der Ladekarte der Stadtwerke laden Sie an über 300 Säulen in Nordhessen.",
      "Eine Wallbox für zu Hause planen und installieren wir gemeinsam mit Fachbetrieben aus der Region.",
      "Für Wallboxen gibt es einen eigenen, günstigeren Autostromtarif.",
    ],
    questions: [
      {
        label: "Was kostet das Laden?",
        answer:
          "An unseren Säulen zahlen Sie 0,49 € je kWh (AC) bzw. 0,59 € je kWh (DC); eine Grundgebühr fällt nicht an.",
      },
      {
        label: "Brauche ich eine Genehmigung?",
        answer:
          "Wallboxen bis 11 kW müssen beim Netzbetreiber nur angemeldet werden; größere bedürfen einer Genehmigung.",
      },
    ],
    purpose: "offer",
  },
  {
    slug: "glasfaser",
    title: "Internet & Glasfaser",
    intro: "Schnelles Internet über unser Glasfasernetz – hier erfahren Sie, ob Ihre Adresse versorgt ist.",
    facts: [
      "Unser Glasfasernetz bietet Bandbreiten bis 1 Gbit/s im Download und 500 Mbit/s im Upload.",
      "Der Hausanschluss ist während der Ausbauphase kostenlos.",
      "Ihre Rufnummer nehmen wir beim Wechsel gern mit.",
    ],
    questions: [
      {
        label: "Ist meine Adresse versorgt?",
        answer:
          "Die Verfügbarkeit prüfen Sie auf unserer Website. Liegt Ihre Adresse im Ausbaugebiet, melden wir uns vor Baubeginn.",
      },
      {
        label: "Wie lange dauert der Anschluss?",
        answer: "Nach Vertragsabschluss dauert die Schaltung meist zwei bis vier Wochen.",
      },
    ],
    purpose: "newsletter",
  },
  {
    slug: "waerme",
    title: "Fernwärme & Wärmepumpe",
    intro: "Heizen ohne eigenen Kessel: Fernwärme oder Wärmepumpe – wir beraten Sie.",
    facts: [
      "Fernwärme liefern wir aus unserem Heizkraftwerk mit Kraft-Wärme-Kopplung.",
      "Für Wärmepumpen bieten wir einen eigenen Heizstromtarif mit separatem Zähler an.",
      "Eine Förderung durch die BEG ist in vielen Fällen möglich.",
    ],
    questions: [
      {
        label: "Lohnt sich eine Wärmepumpe?",
        answer:
          "Das hängt vor allem von der Dämmung und den Heizflächen ab. In einer Vor-Ort-Beratung rechnen wir es für Ihr Haus durch.",
      },
      {
        label: "Kann ich Fernwärme bekommen?",
        answer: "Fernwärme ist in Teilen der Innenstadt und in Neubaugebieten verfügbar. Wir prüfen Ihre Adresse gern.",
      },
    ],
    purpose: "appointment",
  },
  {
    slug: "zahlung",
    title: "Zahlungsschwierigkeiten",
    intro: "Wenn es finanziell eng wird, finden wir gemeinsam eine Lösung.",
    facts: [
      "Melden Sie sich bitte frühzeitig – vor einer Sperrung sprechen wir immer mit Ihnen.",
      "Eine Ratenzahlung vereinbaren wir in vielen Fällen ohne zusätzliche Kosten.",
      "Beratungsstellen in Ihrer Nähe unterstützen Sie kostenlos bei der Haushaltsplanung.",
    ],
    questions: [
      {
        label: "Kann ich in Raten zahlen?",
        answer: "Ja. Offene Beträge können Sie in der Regel in bis zu zwölf Monatsraten begleichen.",
      },
      {
        label: "Droht eine Sperrung?",
        answer:
          "Eine Sperrung kündigen wir mindestens vier Wochen vorher an. Sprechen Sie uns vorher an, dann finden wir eine Lösung.",
      },
    ],
    purpose: "callback",
  },
];

/** Towns of the service area; combined with the topics so section titles do not repeat. */
export const towns: readonly string[] = [
  "Kassel",
  "Baunatal",
  "Vellmar",
  "Lohfelden",
  "Kaufungen",
  "Fuldatal",
  "Niestetal",
  "Ahnatal",
  "Calden",
  "Schauenburg",
  "Fuldabrück",
  "Espenau",
];

/** Sentences every section adds to its topic's own facts. */
export const generalFacts: readonly string[] = [
  "Alle Informationen zum Thema {topic} finden Sie auch rund um die Uhr in Ihrem Kundenportal.",
  "Unser Kundenzentrum in {town} ist Montag bis Freitag von 8 bis 18 Uhr und samstags von 9 bis 13 Uhr geöffnet.",
  "Tipp: Mit dem Online-Postfach erhalten Sie Rechnungen und Briefe papierlos und sparen Porto.",
  "Sie möchten mehr erfahren? Über das Menü gelangen Sie jederzeit zurück zur Themenübersicht.",
];

export const generalQuestions: readonly { label: string; answer: string }[] = [
  {
    label: "Wo finde ich Formulare?",
    answer:
      "Alle Formulare zum Thema {topic} stehen im Downloadbereich unserer Website und im Kundenzentrum {town} bereit.",
  },
  {
    label: "Gilt das auch für Mieter?",
    answer:
      "Ja. Als Mieterin oder Mieter schließen Sie Ihren Vertrag direkt mit uns; der Vermieter muss nicht zustimmen.",
  },
];

export function fillIn(template: string, values: { topic: string; town: string }): string {
  return template.replaceAll("{topic}", values.topic).replaceAll("{town}", values.town);
}
