import { describe, expect, it } from "vitest";
import { WindowLimiter } from "./window-limiter.ts";

describe("WindowLimiter", () => {
  it("allows `limit` hits per key and window, keys independently, and starts afresh in the next window", () => {
    let now = 1_000;
    const limiter = new WindowLimiter(2, 10_000, () => now);
    expect([limiter.allow("a"), limiter.allow("a"), limiter.allow("a"), limiter.allow("b")]).toEqual([true, true, false, true]);
    now += 9_999;
    expect(limiter.allow("a")).toBe(false);
    now += 1;
    expect([limiter.allow("a"), limiter.allow("a"), limiter.allow("a")]).toEqual([true, true, false]);
  });
});
