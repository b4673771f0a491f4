import { describe, expect, it } from "vitest";
import { secureRandomBytes } from "./random-pool.ts";

describe("secureRandomBytes", () => {
  it("returns exactly the bytes asked for, pooled or not", () => {
    for (const length of [0, 1, 12, 16, 32, 64, 65, 1000]) expect(secureRandomBytes(length)).toHaveLength(length);
  });

  it("never hands out the same bytes twice, across many refills of the pool", () => {
    // 3,000 × 16 bytes is about a dozen refills of the 4 KiB pool.
    const drawn = Array.from({ length: 3000 }, () => secureRandomBytes(16).toString("hex"));
    expect(new Set(drawn).size).toBe(drawn.length);
    // The pool wipes what it hands out: a bug returning a wiped region would give zeros.
    expect(drawn.filter((hex) => /^0+$/.test(hex))).toEqual([]);
  });

  it("returns independent copies, not views of the pool", () => {
    const first = secureRandomBytes(12);
    const copy = Buffer.from(first);
    for (let i = 0; i < 1000; i++) secureRandomBytes(12);
    expect(first.equals(copy)).toBe(true);
    expect(first.buffer.byteLength).not.toBe(4096);
  });

  it("spreads its bytes over all values", () => {
    const counts = new Array<number>(256).fill(0);
    for (let i = 0; i < 2000; i++) for (const byte of secureRandomBytes(32)) counts[byte] = (counts[byte] ?? 0) + 1;
    // 64,000 bytes: 250 expected per value; a stuck or biased source falls far outside this.
    expect(Math.min(...counts)).toBeGreaterThan(150);
    expect(Math.max(...counts)).toBeLessThan(350);
  });

  it("refuses a negative or fractional length", () => {
    expect(() => secureRandomBytes(-1)).toThrow(RangeError);
    expect(() => secureRandomBytes(1.5)).toThrow(RangeError);
  });
});
