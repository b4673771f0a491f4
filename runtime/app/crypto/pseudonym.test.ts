import { describe, expect, it } from "vitest";
import { deriveRuntimeKeys } from "./keys.ts";
import { pseudonym } from "./pseudonym.ts";

const key = deriveRuntimeKeys("a".repeat(32)).pseudonym.current.key;
const otherKey = deriveRuntimeKeys("b".repeat(32)).pseudonym.current.key;

describe("pseudonym", () => {
  it("gives the same pseudonym for the same user, channel and key", () => {
    expect(pseudonym(key, "telegram", "123456789")).toBe(pseudonym(key, "telegram", "123456789"));
  });

  it("gives unrelated pseudonyms for another user, channel or key", () => {
    const base = pseudonym(key, "whatsapp", "4917012345678");
    expect(
      new Set([
        base,
        pseudonym(key, "whatsapp", "4917012345679"),
        pseudonym(key, "telegram", "4917012345678"),
        pseudonym(otherKey, "whatsapp", "4917012345678"),
      ]).size,
    ).toBe(4);
  });

  it("does not contain the id and is a 43-character base64url string", () => {
    const value = pseudonym(key, "whatsapp", "4917012345678");
    expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(value).not.toContain("4917012345678");
  });

  it("keeps channel and id apart, so no other split of the same characters collides", () => {
    expect(pseudonym(key, "web", "x:1")).not.toBe(pseudonym(key, "web:x", "1"));
  });
});
