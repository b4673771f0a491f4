import { describe, expect, it } from "vitest";
import { inputFromPayload, inputFromText } from "./channel.ts";
import { constantTimeEqual, metaHandshake, signMeta, verifyMetaSignature, verifyTelegramSecret } from "./verify-signature.ts";

describe("button payloads", () => {
  it("turns choice, menu and number payloads into ordinary engine events", () => {
    expect(inputFromPayload("c:Rückruf anfordern")).toEqual({ kind: "event", event: { type: "choice", value: "Rückruf anfordern" } });
    expect(inputFromPayload("m:my-data")).toEqual({ kind: "event", event: { type: "menu", item: "my-data" } });
    expect(inputFromPayload("t:3")).toEqual({ kind: "event", event: { type: "text", text: "3" } });
    expect(inputFromPayload("GET_STARTED")).toEqual({ kind: "start" });
    expect(inputFromPayload("anything else")).toEqual({ kind: "event", event: { type: "text", text: "anything else" } });
  });
});

describe("keywords", () => {
  it.each([
    ["Menü", { kind: "show-menu" }],
    [" menu! ", { kind: "show-menu" }],
    ["Daten", { kind: "event", event: { type: "menu", item: "my-data" } }],
    ["MY DATA", { kind: "event", event: { type: "menu", item: "my-data" } }],
    ["Stop", { kind: "event", event: { type: "menu", item: "unsubscribe" } }],
    ["Datenschutz", { kind: "event", event: { type: "menu", item: "privacy" } }],
    ["imprint", { kind: "event", event: { type: "menu", item: "imprint" } }],
  ])("reads %j as a menu keyword", (text, input) => {
    expect(inputFromText(text)).toEqual(input);
  });

  it("leaves any other text, also one containing a keyword, to the flow", () => {
    expect(inputFromText("Bitte stoppen Sie nicht")).toEqual({ kind: "event", event: { type: "text", text: "Bitte stoppen Sie nicht" } });
    expect(inputFromText("Meine Daten sind falsch")).toEqual({ kind: "event", event: { type: "text", text: "Meine Daten sind falsch" } });
  });
});

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
