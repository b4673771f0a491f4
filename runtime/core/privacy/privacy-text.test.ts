import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Flow } from "../dsl/flow.ts";
import { checkFlowSource } from "../load/check-flow-source.ts";
import { describeDuration, privacyPolicyText, processingOf, processingRecordText } from "./privacy-text.ts";

function example(name: string): Flow {
  const { flow } = checkFlowSource(readFileSync(new URL(`../../../examples/${name}.yaml`, import.meta.url), "utf8"), { fileName: `${name}.yaml` });
  if (!flow) throw new Error(`${name} does not validate`);
  return flow;
}

describe("privacy texts generated from flows", () => {
  it("reads purposes, personal fields, recipients and retention from the reference flow", () => {
    expect(processingOf(example("callback-request"))).toEqual({
      flow: "callback-request",
      title: "Rückruf anfordern",
      controller: { name: "Muster GmbH", address: "Musterstraße 1, 10115 Berlin", email: "datenschutz@muster.example" },
      personalFields: ["name", "phone"],
      purposes: [{ purpose: "Rückruf zu Ihrem Anliegen", fields: ["name", "phone"] }],
      recipients: [{ name: "Muster CRM GmbH", country: "DE", fields: ["name", "phone"] }],
      retention: "P90D",
    });
  });

  it("writes the German policy passage: purposes, consent, recipients, retention, region, rights", () => {
    const text = privacyPolicyText([example("callback-request")], { lang: "de", region: "EU (Frankfurt)" });
    expect(text).toContain("## Chatbot: Rückruf anfordern");
    expect(text).toContain("Verantwortlich ist Muster GmbH, Musterstraße 1, 10115 Berlin.");
    expect(text).toContain("den Chatbot „Rückruf anfordern“");
    expect(text).toContain("Art. 6 Abs. 1 lit. a DSGVO");
    expect(text).toContain("- **Rückruf zu Ihrem Anliegen**: Name, Telefonnummer");
    expect(text).toContain("- Muster CRM GmbH, Deutschland: Name, Telefonnummer\n");
    expect(text).toContain("90 Tage nach Ihrer letzten Nachricht");
    expect(text).toContain("EU (Frankfurt)");
    expect(text).toContain("Art. 77 DSGVO");
    expect(text).toContain("Datenschutz-Kontakt: datenschutz@muster.example.");
  });

  it("names a third-country transfer and its safeguard, in English", () => {
    const text = privacyPolicyText([example("demo-request")], { lang: "en", region: "EU" });
    expect(text).toMatch(/- Pipeline Cloud Inc\., United States: [a-z, ]+ — transfer to a third country based on standard contractual clauses \(Art\. 46\(2\)\(c\) GDPR\)/);
    expect(text).toContain("1 year after your last message");
  });

  it("says so when a flow stores no personal data", () => {
    const flow = example("callback-request");
    const withoutData: Flow = {
      ...flow,
      start: "hours",
      nodes: { hours: { type: "message", text: "Montag bis Freitag.", next: "done" }, done: { type: "end" } },
      menu: ["privacy", "imprint", "my-data", "unsubscribe"],
    };
    const text = privacyPolicyText([withoutData], { lang: "en", region: "EU" });
    expect(text).toContain("The chatbot stores no personal data you enter.");
    expect(text).not.toContain("Recipients");
  });

  it("writes the record of processing activities as one table per flow", () => {
    const record = processingRecordText([example("callback-request"), example("demo-request")], { lang: "de", region: "EU" });
    expect(record).toContain("## Verzeichnis von Verarbeitungstätigkeiten (Art. 30 DSGVO): Rückruf anfordern");
    expect(record).toContain("| Zwecke | Rückruf zu Ihrem Anliegen |");
    expect(record).toContain("| Kategorien personenbezogener Daten | Name, Telefonnummer |");
    expect(record).toContain("| Drittlandübermittlungen | keine |");
    expect(record).toMatch(/\| Drittlandübermittlungen \| Pipeline Cloud Inc\., Vereinigte Staaten — Übermittlung in ein Drittland auf Grundlage von Standardvertragsklauseln/);
    expect(record).toContain("| Löschfrist | 90 Tage |");
  });

  it.each([
    ["P90D", "de", "90 Tage"],
    ["P1Y6M", "de", "1 Jahr, 6 Monate"],
    ["P1D", "en", "1 day"],
    ["P2W", "en", "2 weeks"],
    ["nonsense", "en", "nonsense"],
  ] as const)("describes %s in %s as %s", (iso, lang, expected) => {
    expect(describeDuration(iso, lang)).toBe(expected);
  });
});
