import { describe, expect, it } from "vitest";
import { bearerTokenMatches, generateBearerToken, hashBearerToken } from "./bearer-token.ts";
import { deriveRuntimeKeys } from "./keys.ts";

const ring = deriveRuntimeKeys("a".repeat(32)).token;

describe("bearer tokens", () => {
  it("are 32 random bytes in base64url, different every time", () => {
    const tokens = Array.from({ length: 100 }, generateBearerToken);
    for (const token of tokens) expect(Buffer.from(token, "base64url")).toHaveLength(32);
    expect(tokens[0]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set(tokens).size).toBe(100);
  });

  it("are stored as a hash that is not the token and matches only the token", () => {
    const token = generateBearerToken();
    const stored = hashBearerToken(ring.current.key, token);
    expect(stored).not.toBe(token);
    expect(bearerTokenMatches(ring, token, stored)).toBe(true);
    expect(bearerTokenMatches(ring, generateBearerToken(), stored)).toBe(false);
    expect(bearerTokenMatches(ring, `${token}x`, stored)).toBe(false);
  });

  it("do not match a stored hash of another length, without throwing", () => {
    const token = generateBearerToken();
    expect(bearerTokenMatches(ring, token, "")).toBe(false);
    expect(bearerTokenMatches(ring, token, hashBearerToken(ring.current.key, token).slice(0, 20))).toBe(false);
  });

  it("still match after the secret changed when the old secret is kept as a previous one", () => {
    const token = generateBearerToken();
    const stored = hashBearerToken(ring.current.key, token);
    expect(bearerTokenMatches(deriveRuntimeKeys("b".repeat(32)).token, token, stored)).toBe(false);
    expect(bearerTokenMatches(deriveRuntimeKeys("b".repeat(32), ["a".repeat(32)]).token, token, stored)).toBe(true);
  });
});
