/**
 * What a visitor sees instead of a field's id (docs/flows.md#field-labels): the flow's own
 * `fields:` label, else a good default for well-known German and English names, else the id in
 * words (`preferred_date` → "preferred date").
 */
import type { Flow } from "./flow.generated.ts";

type Language = "de" | "en";

/** Default labels, keyed by the name lower-cased without `-`, `_` and spaces (as personal-fields.ts compares). */
const wellKnown: Record<string, { de: string; en: string }> = Object.create(null);
function known(names: string[], de: string, en: string): void {
  for (const name of names) wellKnown[name] = { de, en };
}
known(["name", "fullname", "vollername", "kundenname", "yourname", "customername", "contactname"], "Name", "name");
known(["vorname", "firstname", "givenname", "rufname"], "Vorname", "first name");
known(["nachname", "lastname", "surname", "familyname"], "Nachname", "last name");
known(["email", "mail", "emailadresse", "mailadresse", "emailaddress"], "E-Mail-Adresse", "email address");
known(["phone", "phonenumber", "telefon", "telefonnummer", "tel"], "Telefonnummer", "phone number");
known(["mobile", "mobil", "mobilnummer", "handy", "handynummer"], "Mobilnummer", "mobile number");
known(["fax"], "Faxnummer", "fax number");
known(["address", "adresse", "anschrift"], "Anschrift", "address");
known(["street", "strasse", "straße"], "Straße", "street");
known(["hausnummer"], "Hausnummer", "house number");
known(["city", "ort", "wohnort", "stadt"], "Ort", "city");
known(["plz", "postleitzahl", "postcode", "zipcode", "zip"], "Postleitzahl", "postcode");
known(["birthday", "birthdate", "dateofbirth", "dob", "geburtsdatum", "geburtstag"], "Geburtsdatum", "date of birth");
known(["company", "firma", "unternehmen", "companyname", "firmenname"], "Firma", "company");
known(["message", "nachricht", "anliegen", "concern"], "Nachricht", "message");
known(["iban"], "IBAN", "IBAN");
known(["customerid", "kundennummer"], "Kundennummer", "customer number");
known(["preferreddate", "wunschtermin", "wunschdatum", "date", "datum"], "Wunschtermin", "preferred date");
known(["time", "uhrzeit", "preferredtime", "wunschzeit"], "Uhrzeit", "time");
known(["question", "frage"], "Frage", "question");
known(["salutation", "anrede"], "Anrede", "salutation");
known(["topic", "thema"], "Thema", "topic");

function normalise(name: string): string {
  return name.toLowerCase().replace(/[-_\s]/g, "");
}

/** The id in words: `preferred_date`, `preferredDate` → "preferred date". */
function inWords(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[-_]+/g, " ")
    .trim()
    .toLowerCase();
}

/** The default label of a field name in a language, without the flow's `fields:` block. */
export function defaultFieldLabel(name: string, language: Language): string {
  const key = normalise(name);
  return wellKnown[key]?.[language] ?? inWords(name);
}

/**
 * A field's label in the given language (the flow's own, by default).
 *
 * @example
 * fieldLabel(flow, "phone") // "Telefonnummer" in a German flow
 */
export function fieldLabel(flow: Pick<Flow, "fields" | "language">, name: string, language: Language = flow.language): string {
  const declared = flow.fields && Object.hasOwn(flow.fields, name) ? flow.fields[name]?.label : undefined;
  if (typeof declared === "string") {
    // A plain label is in the flow's language; the other language falls back to the default.
    if (language === flow.language) return declared;
  } else if (declared?.[language]) {
    return declared[language];
  }
  return defaultFieldLabel(name, language);
}
