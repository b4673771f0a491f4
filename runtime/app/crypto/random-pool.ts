/**
 * Cryptographically secure random bytes for the hot path (IVs, conversation ids, tokens), drawn
 * from a pool that is refilled from the CSPRNG 4 KiB at a time: one call into OpenSSL per few
 * hundred uses instead of one per use, as Node does for `randomUUID`. Every byte is handed out
 * once and wiped from the pool when it is, so the pool never holds a copy of a used secret.
 */
import { randomBytes, randomFillSync } from "node:crypto";

const poolBytes = 4096;
/** Larger requests bypass the pool: they would waste most of a refill. */
const maxPooledBytes = 64;
const pool = Buffer.alloc(poolBytes);
let offset = poolBytes;

/** `length` fresh random bytes, like `crypto.randomBytes(length)`. */
export function secureRandomBytes(length: number): Buffer {
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`cannot draw ${length} random bytes`);
  if (length > maxPooledBytes) return randomBytes(length);
  if (offset + length > poolBytes) {
    randomFillSync(pool);
    offset = 0;
  }
  const bytes = Buffer.from(pool.subarray(offset, offset + length));
  pool.fill(0, offset, offset + length);
  offset += length;
  return bytes;
}
