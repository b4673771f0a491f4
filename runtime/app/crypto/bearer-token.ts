/**
 * Bearer tokens for conversations and the admin API: 32 random bytes, shown to their owner
 * once, stored only as an HMAC-SHA256 hash under the `token` key, and compared in constant time.
 */
import { createHmac, type KeyObject, timingSafeEqual } from "node:crypto";
import type { KeyRing } from "./keys.ts";
import { secureRandomBytes } from "./random-pool.ts";

const tokenBytes = 32;

/** A new random token, base64url (43 characters). */
export function generateBearerToken(): string {
  return secureRandomBytes(tokenBytes).toString("base64url");
}

/** The hash to store for `token`, under the ring's current key. */
export function hashBearerToken(key: KeyObject, token: string): string {
  return tokenDigest(key, token).toString("base64url");
}

function tokenDigest(key: KeyObject, token: string): Buffer {
  return createHmac("sha256", key).update(token, "utf8").digest();
}

/**
 * Whether `token` is the one whose hash is stored, under the current key or a previous one
 * (so a change of secret does not lock out tokens issued before it). Compares in constant time.
 */
export function bearerTokenMatches(ring: KeyRing, token: string, storedHash: string): boolean {
  const stored = Buffer.from(storedHash, "base64url");
  let matches = false;
  for (const { key } of [ring.current, ...ring.previous]) {
    const candidate = tokenDigest(key, token);
    // Lengths differ only for a malformed stored hash; timingSafeEqual throws on unequal lengths.
    if (candidate.length === stored.length && timingSafeEqual(candidate, stored)) matches = true;
  }
  return matches;
}
