import { describe, expect, it } from "vitest";
import { constantTimeEqual, metaHandshake, signMeta, verifyMetaSignature, verifyTelegramSecret } from "./verify-signature.ts";

describe("authenticity checks", () => {
  const body = Buffer.from('{"object":"page","entry":[{"messaging":[{"message":{"text":"Gr\\u00fc\\u00dfe"}}]}]}');

  it("accepts Meta's signature of the exact bytes and refuses any other", () => {
    expect(verifyMetaSignature(body, { "x-hub-signature-256": signMeta(body, "app-secret") }, "app-secret")).toEqual({ ok: true });
    expect(verifyMetaSignature(body, { "x-hub-signature-256": signMeta(body, "other") }, "app-secret")).toMatchObject({ ok: false, status: 403 });
    expect(verifyMetaSignature(body, { "x-hub-signature-256": "sha1=abc" }, "app-secret")).toMatchObject({ ok: false, status: 403 });
    expect(verifyMetaSignature(body, {}, "app-secret")).toMatchObject({ ok: false, status: 401 });
    // The same JSON value, re-serialised with the umlauts unescaped, is other bytes.
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString())));
    expect(verifyMetaSignature(reserialised, { "x-hub-signature-256": signMeta(body, "app-secret") }, "app-secret")).toMatchObject({ ok: false });
  });

  it("checks Telegram's secret header", () => {
    expect(verifyTelegramSecret({ "x-telegram-bot-api-secret-token": "s3cret" }, "s3cret")).toEqual({ ok: true });
    expect(verifyTelegramSecret({ "x-telegram-bot-api-secret-token": "s3cre" }, "s3cret")).toMatchObject({ ok: false, status: 403 });
    expect(verifyTelegramSecret({}, "s3cret")).toMatchObject({ ok: false, status: 401 });
    expect(constantTimeEqual("a", "a")).toBe(true);
    expect(constantTimeEqual("a", "ab")).toBe(false);
  });

  it("answers Meta's handshake only for subscribe with the right token and a plain challenge", () => {
    expect(metaHandshake({ "hub.mode": "subscribe", "hub.verify_token": "v", "hub.challenge": "123" }, "v")).toBe("123");
    expect(metaHandshake({ "hub.mode": "subscribe", "hub.verify_token": "w", "hub.challenge": "123" }, "v")).toBeUndefined();
    expect(metaHandshake({ "hub.mode": "subscribe", "hub.verify_token": "v", "hub.challenge": "<script>" }, "v")).toBeUndefined();
    expect(metaHandshake({ "hub.verify_token": "v", "hub.challenge": "123" }, "v")).toBeUndefined();
  });
});
