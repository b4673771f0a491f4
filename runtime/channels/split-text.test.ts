import { describe, expect, it } from "vitest";
import { splitText, truncate } from "./split-text.ts";

describe("splitText", () => {
  it("keeps a text within the limit as one part", () => {
    expect(splitText("Hallo", 4096)).toEqual(["Hallo"]);
    expect(splitText("", 4096)).toEqual([""]);
  });

  it("splits at a paragraph, line or word break in the second half of a part", () => {
    expect(splitText("aaaa bbbb cccc", 10)).toEqual(["aaaa bbbb", "cccc"]);
    expect(splitText("aaaaaa\nbbbb cc", 10)).toEqual(["aaaaaa", "bbbb cc"]);
    expect(splitText("aaa\n\nbbbbbbb", 10)).toEqual(["aaa\n\nbbbbb", "bb"]);
  });

  it("cuts a text without breaks at the limit and never inside a surrogate pair", () => {
    const text = `${"x".repeat(9)}🙂${"y".repeat(5)}`;
    const parts = splitText(text, 10);
    expect(parts).toEqual(["x".repeat(9), `🙂${"y".repeat(5)}`]);
    expect(parts.join("")).toBe(text);
  });

  it("keeps every part of a long text within 4096 code units and loses no word", () => {
    const words = Array.from({ length: 3000 }, (_, index) => `Wort${index}`);
    const parts = splitText(words.join(" "), 4096);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.every((part) => part.length <= 4096)).toBe(true);
    expect(parts.join(" ").split(" ")).toEqual(words);
  });
});

describe("truncate", () => {
  it("shortens a label to the limit in code points, marking the cut", () => {
    expect(truncate("Rückruf anfordern", 20)).toBe("Rückruf anfordern");
    expect(truncate("Einwilligung widerrufen bitte", 20)).toBe("Einwilligung widerr…");
    expect(Array.from(truncate("🙂".repeat(30), 20))).toHaveLength(20);
  });
});
