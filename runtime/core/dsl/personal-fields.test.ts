import { describe, expect, it } from "vitest";
import { isPersonalFieldName, personalFormats } from "./personal-fields.ts";

describe("isPersonalFieldName", () => {
  it.each([
    "name",
    "vorname",
    "nachname",
    "telefon",
    "Telefonnummer",
    "e-mail",
    "E-Mail",
    "e_mail",
    "email",
    "mail",
    "phone",
    "phone_number",
    "handy",
    "adresse",
    "address",
    "Straße",
    "plz",
    "iban",
    "geburtsdatum",
    "birthday",
    "gesundheit",
  ])("treats the well-known name %s as personal", (name) => {
    expect(isPersonalFieldName(name)).toBe(true);
  });

  it.each(["customer_email", "kunden_email", "kundenEmail", "privatePhone", "emailAddress", "home-address", "first_name", "firstName", "handy_nr", "phone_2"])(
    "treats the compound name %s as personal because a part is",
    (name) => {
      expect(isPersonalFieldName(name)).toBe(true);
    },
  );

  it.each(["product_name", "productName", "filename", "anliegen", "topic", "bestellnummer", "thumbnail", "hotel", "gmail_labels", "title"])(
    "treats %s as not personal",
    (name) => {
      expect(isPersonalFieldName(name)).toBe(false);
    },
  );

  it.each(["email2", "phone2", "telefon1", "adresse2"])("treats the numbered variant %s as personal", (name) => {
    expect(isPersonalFieldName(name)).toBe(true);
  });

  it.each(["customer_name", "userName", "kunden_name", "ihr_name", "strasse_hausnummer", "lieferPlz"])(
    "treats %s, a name or address part combined with a person word, as personal",
    (name) => {
      expect(isPersonalFieldName(name)).toBe(true);
    },
  );

  it.each(["company_name", "file_name", "display_name_length"])("does not treat %s, a name of a thing, as personal", (name) => {
    expect(isPersonalFieldName(name)).toBe(false);
  });
});

describe("personalFormats", () => {
  it("makes exactly the email and phone formats personal", () => {
    expect([...personalFormats].sort()).toEqual(["email", "phone"]);
  });
});
