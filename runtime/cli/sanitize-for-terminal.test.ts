import { describe, expect, it } from "vitest";
import { sanitizeForTerminal } from "./sanitize-for-terminal.ts";

describe("sanitizeForTerminal", () => {
  it("leaves ordinary text, umlauts, tabs and emoji alone", () => {
    expect(sanitizeForTerminal("Rückruf\tanfordern ✓ 📞")).toBe("Rückruf\tanfordern ✓ 📞");
  });

  it("turns every kind of line break into a space", () => {
    expect(sanitizeForTerminal("a\nb\r\nc\rd\u2028e")).toBe("a b c d\\u{2028}e");
  });

  it("shows escape sequences, C1 controls and bidirectional overrides as escapes", () => {
    expect(sanitizeForTerminal("\u001b[2J\u009b\u202eevil\u2066")).toBe("\\u{1b}[2J\\u{9b}\\u{202e}evil\\u{2066}");
  });
});
