/**
 * Which fields hold personal data (docs/flows.md#personal-fields): declared with `personal`, implied by the input
 * format, or guessed from well-known German and English field names.
 */
import type { InputNode } from "./flow.generated.ts";

export const personalFormats: ReadonlySet<NonNullable<InputNode["format"]>> = new Set(["email", "phone"]);

/**
 * Names that are personal data on their own. Compared after lower-casing and removing `-`, `_`
 * and spaces, so `E-Mail`, `e_mail` and `email` are one name.
 */
const personalNames = new Set([
  // names
  "name", "fullname", "vorname", "nachname", "firstname", "lastname", "surname", "givenname", "familyname",
  "vollername", "rufname", "geburtsname", "kundenname", "anrede", "titel",
  // contact
  "email", "mail", "emailadresse", "mailadresse", "telefon", "telefonnummer", "tel", "phone", "phonenumber",
  "mobile", "mobil", "mobilnummer", "handy", "handynummer", "fax", "whatsapp", "telegram",
  // address
  "adresse", "address", "anschrift", "strasse", "straße", "street", "hausnummer", "wohnort", "ort", "city",
  "plz", "postleitzahl", "postcode", "zipcode", "zip",
  // identity and money
  "geburtsdatum", "geburtstag", "birthday", "birthdate", "dateofbirth", "dob", "geburtsort", "alter", "age",
  "iban", "bic", "kontonummer", "kreditkarte", "creditcard", "steuerid", "steuernummer", "taxid",
  "sozialversicherungsnummer", "svnr", "personalausweis", "ausweisnummer", "passport", "reisepass",
  "kundennummer", "customerid", "ip", "ipadresse", "ipaddress", "geschlecht", "gender",
  // special categories (Art. 9 GDPR)
  "gesundheit", "health", "diagnose", "diagnosis", "religion", "konfession",
]);

/** Parts that make a compound name personal wherever they appear as a word: `kunden_email`, `privatePhone`. */
const personalNameParts = new Set([
  "email", "mail", "telefon", "phone", "mobile", "handy", "adresse", "address", "anschrift", "iban",
  "geburtsdatum", "birthday", "birthdate", "vorname", "nachname", "firstname", "lastname", "surname",
  "strasse", "straße", "street", "hausnummer", "plz", "postleitzahl",
]);

/** `name` alone says nothing (`product_name`); with one of these it names a person (`customer_name`). */
const personWords = new Set([
  "customer", "client", "user", "person", "contact", "your", "my", "full", "first", "last", "given", "family",
  "kunde", "kunden", "nutzer", "benutzer", "kontakt", "ihr", "dein", "mein", "voller", "ansprech", "ansprechpartner",
]);

function normalise(name: string): string {
  return name.toLowerCase().replace(/[-_\s]/g, "");
}

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    // `email2`, `telefon1`: a number glued to a name is still that name.
    .replace(/([A-Za-zß])(\d)/g, "$1 $2")
    .toLowerCase()
    .split(/[-_\s]+/)
    .filter((word) => word.length > 0);
}

export function isPersonalFieldName(name: string): boolean {
  if (personalNames.has(normalise(name))) return true;
  const parts = words(name);
  if (parts.some((part) => personalNameParts.has(part))) return true;
  return parts.includes("name") && parts.some((part) => personWords.has(part));
}
