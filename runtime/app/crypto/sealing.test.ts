import { describe, expect, it } from "vitest";
import { deriveRuntimeKeys, type KeyRing } from "./keys.ts";
import { openSealedJson, sealJson } from "./sealing.ts";

const ring = deriveRuntimeKeys("a".repeat(32)).stateEncryption;
const otherRing = deriveRuntimeKeys("b".repeat(32)).stateEncryption;
const state = { node: "ask-email", answers: { name: "Erika Mustermann", städte: ["Köln", "Zürich"] }, retries: 2 };

/** Flips one bit of the payload's byte at `index`, keeping the text well-formed. */
function flipPayloadByte(sealed: string, index: number): string {
  const [version, keyId, encoded] = sealed.split(".");
  const payload = Buffer.from(encoded ?? "", "base64url");
  payload[index] = (payload[index] ?? 0) ^ 0x01;
  return `${version}.${keyId}.${payload.toString("base64url")}`;
}

describe("sealJson and openSealedJson", () => {
  it("open what they sealed, unchanged", () => {
    expect(openSealedJson(sealJson(state, ring, "conversation-1"), ring, "conversation-1")).toEqual(state);
    expect(openSealedJson(sealJson(null, ring, "c"), ring, "c")).toBeNull();
  });

  it("give a different text each time, with a version and key id prefix and no plain value in it", () => {
    const first = sealJson(state, ring, "conversation-1");
    const second = sealJson(state, ring, "conversation-1");
    expect(first).not.toBe(second);
    expect(first.startsWith(`s1.${ring.current.id}.`)).toBe(true);
    expect(first).not.toContain("Erika");
  });

  it("refuse a sealed value with any changed byte: IV, ciphertext or tag", () => {
    const sealed = sealJson(state, ring, "conversation-1");
    const length = Buffer.from(sealed.split(".")[2] ?? "", "base64url").length;
    for (const index of [0, 11, 12, length - 17, length - 1]) {
      expect(() => openSealedJson(flipPayloadByte(sealed, index), ring, "conversation-1")).toThrow(
        expect.objectContaining({ code: "sealed-tampered" }),
      );
    }
  });

  it("refuse a sealed value moved to another context", () => {
    const sealed = sealJson(state, ring, "conversation-1");
    expect(() => openSealedJson(sealed, ring, "conversation-2")).toThrow(
      expect.objectContaining({ code: "sealed-tampered" }),
    );
  });

  it("refuse to open with a key from another secret", () => {
    const sealed = sealJson(state, ring, "c");
    expect(() => openSealedJson(sealed, otherRing, "c")).toThrow(
      expect.objectContaining({ code: "sealed-unknown-key" }),
    );
    const impostor: KeyRing = { current: { id: ring.current.id, key: otherRing.current.key }, previous: [] };
    expect(() => openSealedJson(sealed, impostor, "c")).toThrow(expect.objectContaining({ code: "sealed-tampered" }));
  });

  it("refuse a sealed value relabelled with another key's id", () => {
    const both: KeyRing = { current: ring.current, previous: [otherRing.current] };
    const relabelled = sealJson(state, both, "c").replace(ring.current.id, otherRing.current.id);
    expect(() => openSealedJson(relabelled, both, "c")).toThrow(expect.objectContaining({ code: "sealed-tampered" }));
  });

  it("refuse text that is not a sealed value", () => {
    for (const text of [
      "",
      "plain text",
      `s1.${ring.current.id}.`,
      `s1.${ring.current.id}.AAAA`,
      `s2.${ring.current.id}.AAAA`,
    ]) {
      expect(() => openSealedJson(text, ring, "c")).toThrow(expect.objectContaining({ code: "sealed-malformed" }));
    }
  });

  it("open values sealed under a previous secret after the secret changed, and seal new ones with the new key", () => {
    const oldSealed = sealJson(state, ring, "c");
    const rotated = deriveRuntimeKeys("b".repeat(32), ["a".repeat(32)]).stateEncryption;
    expect(openSealedJson(oldSealed, rotated, "c")).toEqual(state);
    expect(sealJson(state, rotated, "c").startsWith(`s1.${otherRing.current.id}.`)).toBe(true);
  });

  it("refuse a value that is not JSON", () => {
    expect(() => sealJson(undefined, ring, "c")).toThrow(TypeError);
  });
});
