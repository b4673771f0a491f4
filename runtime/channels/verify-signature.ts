/**
 * Authenticity checks on the raw request bytes, in constant time (docs/channels.md#telegram-secret-token, docs/channels.md#meta-webhook-verification-and-signatures):
 * Telegram's secret-token header, Meta's `X-Hub-Signature-256` (HMAC-SHA256 of the body with
 * the app secret) and Meta's GET verification handshake.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { Channel, Verification } from "../app/messaging/channel.ts";

/** Equal-length digests, so neither the length nor the content of the secret leaks through timing. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = createHash("sha256").update(a, "utf8").digest();
  const right = createHash("sha256").update(b, "utf8").digest();
  return timingSafeEqual(left, right);
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function verifyTelegramSecret(headers: IncomingHttpHeaders, secret: string): Verification {
  const sent = header(headers, "x-telegram-bot-api-secret-token");
  if (sent === undefined) return { ok: false, status: 401, reason: "secret token missing" };
  return constantTimeEqual(sent, secret) ? { ok: true } : { ok: false, status: 403, reason: "secret token wrong" };
}

/** `sha256=<lowercase hex HMAC-SHA256(app secret, raw body)>`; the hash is taken over the bytes exactly as received. */
export function verifyMetaSignature(rawBody: Buffer, headers: IncomingHttpHeaders, appSecret: string): Verification {
  const sent = header(headers, "x-hub-signature-256");
  if (sent === undefined) return { ok: false, status: 401, reason: "signature missing" };
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(sent.trim());
  if (!match?.[1]) return { ok: false, status: 403, reason: "signature malformed" };
  const expected = createHmac("sha256", appSecret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(match[1], "hex")) ? { ok: true } : { ok: false, status: 403, reason: "signature wrong" };
}

export function signMeta(rawBody: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac("sha256", appSecret).update(rawBody).digest("hex")}`;
}

/** `hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`: the challenge when the token matches. */
export function metaHandshake(query: Record<string, unknown>, verifyToken: string): string | undefined {
  const mode = query["hub.mode"];
  const token = query["hub.verify_token"];
  const challenge = query["hub.challenge"];
  if (mode !== "subscribe" || typeof token !== "string" || typeof challenge !== "string") return undefined;
  // The challenge is echoed as text/plain; only a plain token shape is echoed back.
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(challenge)) return undefined;
  return constantTimeEqual(token, verifyToken) ? challenge : undefined;
}

/**
 * What WhatsApp and Messenger share as Meta platforms: deliveries signed with the app secret,
 * the GET handshake with the verify token, and replies only within 24 hours of the user's message.
 */
export function metaWebhook(appSecret: string, verifyToken: string): Pick<Channel, "replyWindowMs" | "verify" | "handshake"> {
  return {
    replyWindowMs: 24 * 60 * 60 * 1000,
    verify: (rawBody, headers) => verifyMetaSignature(rawBody, headers, appSecret),
    handshake: (query) => metaHandshake(query, verifyToken),
  };
}
