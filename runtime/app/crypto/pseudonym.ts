/**
 * Pseudonyms of channel user ids (docs/privacy.md#security-of-processing): a keyed HMAC-SHA256, so the store can find a
 * user's conversation again without holding the raw id, and nobody without the key can go
 * from a pseudonym back to an id by trying candidates (ids such as phone numbers are guessable).
 */
import { createHmac, type KeyObject } from "node:crypto";

/**
 * The pseudonym of `channelUserId` on `channel`. The channel is part of the input, so the same
 * number on WhatsApp and Telegram gives two unrelated pseudonyms.
 *
 * @example
 * ```ts
 * const channelUser = pseudonym(keys.pseudonym.current.key, "telegram", String(update.message.from.id));
 * ```
 */
export function pseudonym(key: KeyObject, channel: string, channelUserId: string): string {
  return createHmac("sha256", key).update(`${channel}\u0000${channelUserId}`, "utf8").digest("base64url");
}
