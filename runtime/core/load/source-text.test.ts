import { describe, expect, it } from "vitest";
import { bytePosition, createPositionIndex, firstInvalidUtf8Offset } from "./source-text.ts";

const encode = (text: string) => new TextEncoder().encode(text);

describe("firstInvalidUtf8Offset", () => {
  it("accepts valid UTF-8 of every length", () => {
    expect(firstInvalidUtf8Offset(encode("aä€😀"))).toBe(-1);
  });

  it.each([
    ["a lone continuation byte", [0x61, 0x80], 1],
    ["a truncated sequence", [0x61, 0xe2, 0x82], 1],
    ["an overlong encoding", [0xc0, 0xaf], 0],
    ["a UTF-16 surrogate", [0xed, 0xa0, 0x80], 0],
    ["a Latin-1 umlaut", [0x47, 0x72, 0xfc, 0x6e], 2],
    ["a code point above U+10FFFF", [0xf4, 0x90, 0x80, 0x80], 0],
  ])("finds %s", (_, bytes, offset) => {
    expect(firstInvalidUtf8Offset(new Uint8Array(bytes))).toBe(offset);
  });
});

describe("positions", () => {
  it("counts columns in characters, not bytes", () => {
    const bytes = encode("a: 1\nüöä: x");
    expect(bytePosition(bytes, bytes.length - 1)).toEqual({ line: 2, column: 6 });
  });

  it("maps text offsets to 1-based lines and columns", () => {
    const positionOf = createPositionIndex("ab\ncd\n\nef");
    expect([0, 1, 3, 6, 7, 8].map(positionOf)).toEqual([
      { line: 1, column: 1 },
      { line: 1, column: 2 },
      { line: 2, column: 1 },
      { line: 3, column: 1 },
      { line: 4, column: 1 },
      { line: 4, column: 2 },
    ]);
  });
});
