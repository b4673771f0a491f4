import { describe, expect, it } from "vitest";
import { defaultLanguage } from "./default-language.ts";

describe("defaultLanguage", () => {
  it.each(["de_DE.UTF-8", "de_AT", "de", "DE_CH.utf8"])("is German for LANG=%s", (locale) => {
    expect(defaultLanguage(locale)).toBe("de");
  });

  it.each(["en_US.UTF-8", "C.UTF-8", "POSIX", "fr_FR", "", undefined])("is English for LANG=%s", (locale) => {
    expect(defaultLanguage(locale)).toBe("en");
  });
});
