import { describe, expect, it } from "vitest";
import { blindIndexTerm, blindIndexTerms, normalisePhone } from "./blind-index.ts";

describe("blind index terms", () => {
  it("matches e-mail addresses whatever their case and surrounding spaces", () => {
    expect(blindIndexTerm("email", "  Erika.Mustermann@Example.ORG ", "de")).toBe("email:erika.mustermann@example.org");
    expect(blindIndexTerm("email", "kein-at", "de")).toBeUndefined();
  });

  it("reads national numbers of a German flow with +49, and international ones the same in any flow", () => {
    expect(normalisePhone("030 1234567", "49")).toBe("49301234567");
    expect(normalisePhone("+49 30 1234567", "49")).toBe("49301234567");
    expect(normalisePhone("0049 (30) 123-4567", undefined)).toBe("49301234567");
    expect(blindIndexTerm("phone", "030 1234567", "de")).toBe(blindIndexTerm("phone", "+49 30 1234567", "en"));
    expect(normalisePhone("030 1234567", undefined)).toBe("0301234567");
    expect(normalisePhone("ruf mich an", "49")).toBeUndefined();
  });

  it("indexes e-mail and phone fields by format or name, once each, and nothing else", () => {
    const formats: Record<string, "email" | "phone" | "text"> = { contact: "email", tel: "phone" };
    const terms = blindIndexTerms(
      { name: "Erika", contact: "ERIKA@example.org", tel: "0170 1234567", handy: "+49 170 1234567", work_mail: "erika@example.org", note: "x@y.de" },
      (field) => formats[field] ?? "text",
      "de",
    );
    expect(terms).toEqual(["email:erika@example.org", "phone:491701234567"]);
  });
});
