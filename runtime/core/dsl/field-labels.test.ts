import { describe, expect, it } from "vitest";
import { defaultFieldLabel, fieldLabel } from "./field-labels.ts";
import { buildFlowGraph } from "../validate/flow-graph.ts";
import { indexFields } from "../validate/personal-fields-index.ts";
import type { Flow } from "./flow.ts";

describe("field labels", () => {
  it("gives well-known names good labels in German and English, whatever their spelling", () => {
    expect(defaultFieldLabel("email", "de")).toBe("E-Mail-Adresse");
    expect(defaultFieldLabel("E-Mail", "en")).toBe("email address");
    expect(defaultFieldLabel("phone", "de")).toBe("Telefonnummer");
    expect(defaultFieldLabel("first_name", "en")).toBe("first name");
    expect(defaultFieldLabel("preferred_date", "de")).toBe("Wunschtermin");
  });

  it("writes other ids in words and never reaches Object.prototype", () => {
    expect(defaultFieldLabel("delivery_note", "en")).toBe("delivery note");
    expect(defaultFieldLabel("orderNumber", "de")).toBe("order number");
    expect(defaultFieldLabel("constructor", "en")).toBe("constructor");
  });

  it("takes the flow's own label, plain in its language or per language", () => {
    const flow = { language: "de", fields: { ticket: { label: "Vorgangsnummer" }, plan: { label: { de: "Tarif", en: "plan" } } } } as Pick<Flow, "fields" | "language">;
    expect(fieldLabel(flow, "ticket")).toBe("Vorgangsnummer");
    expect(fieldLabel(flow, "ticket", "en")).toBe("ticket");
    expect(fieldLabel(flow, "plan", "en")).toBe("plan");
    expect(fieldLabel(flow, "plan")).toBe("Tarif");
    expect(fieldLabel(flow, "email")).toBe("E-Mail-Adresse");
  });

  it("lets the fields block declare a field personal (or not) over the guess from its name", () => {
    const flow = {
      nodes: {
        a: { type: "input", text: "?", field: "ticket", next: "b" },
        b: { type: "input", text: "?", field: "city", next: "c" },
        c: { type: "end" },
      },
      fields: { ticket: { personal: true }, city: { personal: false } },
    } as unknown as Flow;
    const fields = indexFields(buildFlowGraph(flow), flow.fields);
    expect(fields.get("ticket")?.personal).toBe(true);
    expect(fields.get("city")?.personal).toBe(false);
  });
});
