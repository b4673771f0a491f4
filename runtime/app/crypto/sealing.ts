/**
 * Sealing: AES-256-GCM encryption of a JSON value into one string, for personal data at rest
 * (docs/privacy.md#security-of-processing). The engine state is sealed before it reaches the store, so no store ever holds
 * personal values in the clear.
 *
 * Format: `s1.<keyId>.<base64url(iv ‖ ciphertext ‖ tag)>` with a random 96-bit IV per seal and
 * a 128-bit tag. The format version, the key id and a caller-chosen context (e.g. the
 * conversation id) are authenticated as additional data, so a sealed value cannot be moved to
 * another conversation or relabelled with another key's id without failing to open.
 */
import { createCipheriv, createDecipheriv } from "node:crypto";
import { CryptoError } from "./crypto-error.ts";
import type { KeyRing } from "./keys.ts";
import { secureRandomBytes } from "./random-pool.ts";

const formatVersion = "s1";
const ivBytes = 12;
const tagBytes = 16;
const sealedPattern = /^s1\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/;

function additionalData(keyId: string, context: string): Buffer {
  return Buffer.from(`${formatVersion}.${keyId}.${context}`, "utf8");
}

/**
 * Seals a JSON value with the ring's current key.
 *
 * @example
 * ```ts
 * const sealedState = sealJson(state, keys.stateEncryption, conversationId);
 * const state = openSealedJson(sealedState, keys.stateEncryption, conversationId);
 * ```
 */
export function sealJson(value: unknown, ring: KeyRing, context: string): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError("only JSON values can be sealed");
  const { id, key } = ring.current;
  const iv = secureRandomBytes(ivBytes);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: tagBytes });
  cipher.setAAD(additionalData(id, context));
  const ciphertext = cipher.update(json, "utf8");
  const payload = Buffer.concat([iv, ciphertext, cipher.final(), cipher.getAuthTag()]);
  return `${formatVersion}.${id}.${payload.toString("base64url")}`;
}

/**
 * The id of the key a sealed value names, or undefined when it does not look like one; cheap,
 * since it runs on every turn: `openSealedJson` checks the whole value.
 */
export function sealedKeyId(sealed: string): string | undefined {
  if (!sealed.startsWith(`${formatVersion}.`)) return undefined;
  const end = sealed.indexOf(".", formatVersion.length + 1);
  return end > formatVersion.length + 1 ? sealed.slice(formatVersion.length + 1, end) : undefined;
}

/** Opens a sealed value with whichever of the ring's keys it names; throws a `CryptoError` when it cannot. */
export function openSealedJson(sealed: string, ring: KeyRing, context: string): unknown {
  const match = sealedPattern.exec(sealed);
  const keyId = match?.[1];
  const encoded = match?.[2];
  if (!keyId || !encoded) throw new CryptoError("sealed-malformed", "not a sealed value of a known format");
  const payload = Buffer.from(encoded, "base64url");
  if (payload.length < ivBytes + tagBytes) throw new CryptoError("sealed-malformed", "the sealed value is too short");
  const key = [ring.current, ...ring.previous].find((candidate) => candidate.id === keyId);
  if (!key) throw new CryptoError("sealed-unknown-key", `sealed with key ${keyId}, which this runtime does not have`);

  const decipher = createDecipheriv("aes-256-gcm", key.key, payload.subarray(0, ivBytes), {
    authTagLength: tagBytes,
  });
  decipher.setAAD(additionalData(keyId, context));
  decipher.setAuthTag(payload.subarray(payload.length - tagBytes));
  let json: string;
  try {
    json = Buffer.concat([
      decipher.update(payload.subarray(ivBytes, payload.length - tagBytes)),
      decipher.final(),
    ]).toString("utf8");
  } catch (error) {
    throw new CryptoError("sealed-tampered", "the sealed value fails authentication", { cause: error });
  }
  return JSON.parse(json);
}
