import { describe, expect, it } from "vitest";
import { nodeDefinitions } from "../../../runtime/core/index.ts";
import { fieldLabels, helpOf, labelOf, nestedProperty } from "./field-labels.ts";
import { catalogKeys, t } from "./messages.ts";
import { defaultUiLanguage } from "./ui-language.ts";

function propertyNames(schema: { properties?: Record<string, unknown>; items?: unknown }): string[] {
  return Object.entries(schema.properties ?? {}).flatMap(([name, inner]) => {
    const nested = inner as { properties?: Record<string, unknown>; items?: { properties?: Record<string, unknown> } };
    return [name, ...propertyNames(nested), ...propertyNames(nested.items ?? {})];
  });
}

describe("UI languages", () => {
  it("has every message in German and English", () => {
    expect(catalogKeys.de.sort()).toEqual(catalogKeys.en.sort());
  });

  it("fills placeholders", () => {
    expect(t("de", "published", { version: "sha256:abc" })).toBe("Als Version sha256:abc veröffentlicht.");
    expect(t("en", "errorsCount", { count: 2 })).toBe("2 error(s)");
  });

  it("takes the default from the browser's preferred languages, else English", () => {
    expect(defaultUiLanguage(["de-AT", "en"])).toBe("de");
    expect(defaultUiLanguage(["fr-FR", "en-GB"])).toBe("en");
    expect(defaultUiLanguage(["fr"])).toBe("en");
  });

  it("labels every property of every node type in German and English", () => {
    const names = new Set(Object.values(nodeDefinitions).flatMap((definition) => propertyNames(definition.schema as { properties?: Record<string, unknown> })));
    names.delete("type");
    const missing = [...names].filter((name) => !fieldLabels[name]?.de || !fieldLabels[name]?.en);
    expect(missing).toEqual([]);
    // Help in both languages too: a German screen must not show the schema's English description.
    const noHelp = [...names].filter((name) => !fieldLabels[name]?.helpDe || !fieldLabels[name]?.helpEn);
    expect(noHelp).toEqual([]);
    expect(helpOf("unknown-prop", "de", "From the schema.")).toBeUndefined();
    expect(labelOf("timeout", "de")).toContain("Sekunden");
    expect(labelOf("accept", "de")).toBe("Bei Zustimmung");
    expect(helpOf("unknown-prop", "en", "From the schema.")).toBe("From the schema.");
  });

  it("labels a webhook's notices address on its own, not as the step's address", () => {
    expect(nestedProperty("notices", "url")).toBe("notices.url");
    expect(nestedProperty("processor", "name")).toBe("name");
    expect(labelOf(nestedProperty("notices", "url"), "de")).toBe("Adresse für Löschungen und Korrekturen (https)");
    expect(helpOf(nestedProperty("notices", "url"), "en")).toContain("privacy address");
    expect(labelOf(nestedProperty("notices", "url"), "de")).not.toBe(labelOf("url", "de"));
  });
});
