import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import request from "supertest";
import { openTestStore } from "../testing/open-test-store.ts";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pseudonym } from "../app/crypto/pseudonym.ts";
import { messengerChannel } from "./messenger.ts";
import { type FakePlatform, type RecordedCall, startFakePlatform } from "../testing/fake-platform.ts";
import { createTestRuntime, type TestRuntime, eventually, messengerPageId, metaAppSecret, metaVerifyToken, phoneNumberId, testKeys } from "../testing/create-test-runtime.ts";
import { signMeta } from "./verify-signature.ts";

const waUser = "4915112345678";
const psid = "6543210987654321";
let nextId = 0;

type Kind = "sticker" | "image" | "location" | "mystery";

/** Builders of genuine payloads per platform (docs/channels.md#whatsapp-payloads, docs/channels.md#messenger-protocol). */
interface MetaPlatform {
  name: "whatsapp" | "messenger";
  user: string;
  text(text: string, at?: number, id?: string): unknown;
  press(payload: string, title: string, at?: number): unknown;
  other(kind: Kind): unknown;
  /** Outgoing texts in sending order (interactive bodies included). */
  texts(calls: RecordedCall[]): string[];
  /** Payloads of the buttons, list rows or quick replies of a call. */
  choices(call: RecordedCall | undefined): string[];
  sendPath: string;
  authorization: string;
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function whatsappEnvelope(message: Record<string, unknown>): unknown {
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: "102290129340398",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "4930123456", phone_number_id: phoneNumberId },
              contacts: [{ profile: { name: "Anna" }, wa_id: waUser }],
              messages: [{ from: waUser, id: `wamid.HBgL${++nextId}`, timestamp: String(nowSeconds()), ...message }],
            },
          },
        ],
      },
    ],
  };
}

function messengerEnvelope(event: Record<string, unknown>, at = Date.now()): unknown {
  return { object: "page", entry: [{ id: messengerPageId, time: at, messaging: [{ sender: { id: psid }, recipient: { id: messengerPageId }, timestamp: at, ...event }] }] };
}

const whatsapp: MetaPlatform = {
  name: "whatsapp",
  user: waUser,
  sendPath: `${phoneNumberId}/messages`,
  authorization: "Bearer wa-access-token",
  text: (text, at = nowSeconds(), id = `wamid.HBgL${++nextId}`) => whatsappEnvelope({ id, timestamp: String(at), type: "text", text: { body: text } }),
  press: (payload, title, at = nowSeconds()) =>
    whatsappEnvelope({ timestamp: String(at), type: "interactive", context: { from: "4930123456", id: "wamid.ours" }, interactive: { type: "button_reply", button_reply: { id: payload, title } } }),
  other: (kind) =>
    whatsappEnvelope(
      kind === "sticker"
        ? { type: "sticker", sticker: { mime_type: "image/webp", sha256: "abc", id: "media-1", animated: false } }
        : kind === "image"
          ? { type: "image", image: { mime_type: "image/jpeg", sha256: "def", id: "media-2" } }
          : kind === "location"
            ? { type: "location", location: { latitude: 52.52, longitude: 13.405 } }
            : { type: "unsupported", errors: [{ code: 131051, title: "Message type unknown" }] },
    ),
  texts: (calls) =>
    calls.flatMap((call) => {
      const body = call.body as { type?: string; text?: { body: string }; interactive?: { body: { text: string } } };
      return body.type === "text" ? [body.text?.body ?? ""] : body.type === "interactive" ? [body.interactive?.body.text ?? ""] : [];
    }),
  choices: (call) => {
    const action = (call?.body as { interactive?: { action: { buttons?: { reply: { id: string } }[]; sections?: { rows: { id: string }[] }[] } } } | undefined)?.interactive?.action;
    return action?.buttons?.map((button) => button.reply.id) ?? action?.sections?.flatMap((section) => section.rows.map((row) => row.id)) ?? [];
  },
};

const messenger: MetaPlatform = {
  name: "messenger",
  user: psid,
  sendPath: "me/messages",
  authorization: "Bearer page-access-token",
  text: (text, at = Date.now(), id = `m_${++nextId}`) => messengerEnvelope({ message: { mid: id, text } }, at),
  press: (payload, title, at = Date.now()) => messengerEnvelope({ message: { mid: `m_${++nextId}`, text: title, quick_reply: { payload } } }, at),
  other: (kind) =>
    messengerEnvelope({
      message: {
        mid: `m_${++nextId}`,
        attachments:
          kind === "mystery"
            ? [{ type: "fallback", payload: null }]
            : [{ type: kind === "sticker" ? "image" : kind, payload: kind === "location" ? { coordinates: { lat: 52.52, long: 13.405 } } : { url: "https://scontent.example/x.png", ...(kind === "sticker" ? { sticker_id: 369239263222822 } : {}) } }],
      },
    }),
  texts: (calls) =>
    calls.flatMap((call) => {
      const message = (call.body as { message?: { text?: string; attachment?: { payload: { text: string } } } }).message;
      return message?.text !== undefined ? [message.text] : message?.attachment ? [message.attachment.payload.text] : [];
    }),
  choices: (call) => ((call?.body as { message?: { quick_replies?: { payload: string }[] } } | undefined)?.message?.quick_replies ?? []).map((reply) => reply.payload),
};

describe.each([whatsapp, messenger])("$name channel", (platform) => {
  let fake: FakePlatform;
  let h: TestRuntime;
  const path = `/channels/${platform.name}/webhook`;
  const sent = () => platform.texts(fake.calls);

  function deliver(payload: unknown, signature: string | null | "forged" = "valid") {
    const raw = Buffer.from(typeof payload === "string" ? payload : JSON.stringify(payload), "utf8");
    const call = request(h.app).post(path).set("content-type", "application/json");
    if (signature === "valid") call.set("x-hub-signature-256", signMeta(raw, metaAppSecret));
    if (signature === "forged") call.set("x-hub-signature-256", signMeta(raw, "not-the-app-secret"));
    // A string goes out byte for byte; superagent would serialise a Buffer as JSON.
    return call.send(raw.toString("utf8"));
  }

  beforeEach(async () => {
    fake = await startFakePlatform("graph");
    h = await createTestRuntime({ messengers: { graphBase: fake.base } });
  });

  afterEach(async () => {
    await h.stop();
    await fake.close();
  });

  it("answers the verification handshake only with the right verify token", async () => {
    const ok = await request(h.app).get(path).query({ "hub.mode": "subscribe", "hub.verify_token": metaVerifyToken, "hub.challenge": "1158201444" });
    expect(ok.status).toBe(200);
    expect(ok.text).toBe("1158201444");
    await request(h.app).get(path).query({ "hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1158201444" }).expect(403);
    await request(h.app).get(path).query({ "hub.mode": "unsubscribe", "hub.verify_token": metaVerifyToken, "hub.challenge": "1" }).expect(403);
  });

  it("runs the reference flow: decline, accept, my data as a short-lived link, unsubscribe deleting everything", async () => {
    await deliver(platform.text("Hallo")).expect(200);
    await eventually(() => sent().length === 2);
    expect(sent()).toEqual(["Hallo! Ich bin der Service-Bot der Muster GmbH.", "Wie kann ich helfen?"]);
    expect(platform.choices(fake.calls[1])).toEqual(["c:Rückruf anfordern", "c:Öffnungszeiten"]);
    expect(fake.calls.every((call) => call.method === platform.sendPath && call.authorization === platform.authorization)).toBe(true);

    await deliver(platform.press("c:Rückruf anfordern", "Rückruf anfordern")).expect(200);
    await eventually(() => sent().length === 3);
    expect(sent()[2]).toBe("Dürfen wir Ihren Namen und Ihre Telefonnummer speichern, um Sie zurückzurufen?\n\nDatenschutzerklärung: https://muster.example/datenschutz");
    expect(platform.choices(fake.calls[2])).toEqual(["c:accept", "c:decline"]);

    await deliver(platform.press("c:decline", "Nein, danke")).expect(200);
    await eventually(() => sent().length === 5);
    expect(sent().slice(3)).toEqual(["Kein Problem – ohne Ihre Einwilligung speichern wir nichts.", "Wie kann ich helfen?"]);

    await deliver(platform.press("c:Rückruf anfordern", "Rückruf anfordern")).expect(200);
    await eventually(() => sent().length === 6);
    await deliver(platform.press("c:accept", "Ja, einverstanden")).expect(200);
    await eventually(() => sent().length === 7);
    await deliver(platform.text("Anna Müller")).expect(200);
    await eventually(() => sent().length === 8);
    await deliver(platform.text("+49 30 1234567")).expect(200);
    await eventually(() => sent().length === 9);
    expect(sent().slice(6)).toEqual(["Wie heißen Sie?", "Unter welcher Nummer erreichen wir Sie?", "Danke, Anna Müller! Wir rufen Sie zurück."]);

    await deliver(platform.text("Daten")).expect(200);
    await eventually(() => sent().some((text) => text.includes("/channels/export?token=")));
    const linkText = sent().find((text) => text.includes("/channels/export?token=")) ?? "";
    const link = new URL(/https:\/\/\S+/.exec(linkText)?.[0] ?? "");
    expect(link.origin).toBe("https://bot.muster.example");
    const exported = await request(h.app).get(`${link.pathname}${link.search}`).expect(200);
    expect(exported.headers["content-disposition"]).toContain("attachment");
    expect(exported.body.fields.map((field: { field: string; value: string }) => `${field.field}=${field.value}`)).toEqual(["name=Anna Müller", "phone=+49301234567"]);
    const token = link.searchParams.get("token") ?? "";
    const tampered = `${token.slice(0, 40)}${token[40] === "A" ? "B" : "A"}${token.slice(41)}`;
    await request(h.app).get("/channels/export").query({ token: tampered }).expect(404);

    const channelUser = pseudonym(testKeys.pseudonym.current.key, platform.name, platform.user);
    expect(await h.store.conversations.findByChannelUser(platform.name, channelUser)).toBeDefined();
    await deliver(platform.text("stop")).expect(200);
    await eventually(() => sent().includes("Sie sind abgemeldet. Alle über Sie gespeicherten Daten wurden gelöscht."));
    expect(await h.store.conversations.findByChannelUser(platform.name, channelUser)).toBeUndefined();
    // The link dies with the data.
    await request(h.app).get(`${link.pathname}${link.search}`).expect(404);
  });

  it("reaches all four built-ins by keyword, in German and English", async () => {
    await deliver(platform.text("Menü")).expect(200);
    await eventually(() => sent().length === 1);
    expect(sent()).toEqual(["Menü – was möchten Sie tun?"]);
    expect(platform.choices(fake.calls.at(-1))).toEqual(["m:privacy", "m:imprint", "m:my-data", "m:unsubscribe", "m:hours"]);
    await deliver(platform.text("privacy")).expect(200);
    await eventually(() => JSON.stringify(fake.calls.at(-1)?.body).includes("https://muster.example/datenschutz"));
    await deliver(platform.text("Impressum")).expect(200);
    await eventually(() => JSON.stringify(fake.calls.at(-1)?.body).includes("https://muster.example/impressum"));
    await deliver(platform.text("my data")).expect(200);
    await eventually(() => sent().includes("Ich habe nichts über Sie gespeichert."));
    await deliver(platform.text("Abmelden")).expect(200);
    await eventually(() => sent().includes("Sie sind abgemeldet. Alle über Sie gespeicherten Daten wurden gelöscht."));
  });

  it("refuses a missing or forged signature with 401/403 and processes nothing", async () => {
    await deliver(platform.text("Hallo"), null).expect(401);
    await deliver(platform.text("Hallo"), "forged").expect(403);
    const raw = JSON.stringify(platform.text("Hallo"));
    await request(h.app).post(path).set("content-type", "application/json").set("x-hub-signature-256", signMeta(raw, metaAppSecret)).send(raw.replace("Hallo", "Hallx")).expect(403);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.calls).toEqual([]);
    expect(await h.store.inbox.pending()).toEqual([]);
  });

  it("verifies a genuine payload with non-ASCII text on its raw bytes", async () => {
    // Meta signs the bytes it sends, which may escape non-ASCII (\\u00fc); re-serialising would break the signature.
    const escaped = JSON.stringify(platform.text("Grüße 🙂 مرحبا")).replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
    await deliver(escaped).expect(200);
    await deliver(platform.text("Ωμέγα – Grüße 🙂 مرحبا")).expect(200);
    await eventually(() => sent().length >= 4);
  });

  it("processes a redelivered message once", async () => {
    const payload = platform.text("Hallo");
    await deliver(payload).expect(200);
    await deliver(payload).expect(200);
    await eventually(() => sent().length >= 2);
    await h.settled();
    await deliver(payload).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sent()).toEqual(["Hallo! Ich bin der Service-Bot der Muster GmbH.", "Wie kann ich helfen?"]);
  });

  it("processes a burst of out-of-order messages from one user in the platform's order", async () => {
    const at = platform.name === "whatsapp" ? nowSeconds() : Date.now();
    const step = platform.name === "whatsapp" ? 1 : 1000;
    const burst = [platform.text("Datenschutz", at + 2 * step), platform.press("c:Öffnungszeiten", "Öffnungszeiten", at + step), platform.text("Hallo", at)];
    await Promise.all(burst.map((payload) => deliver(payload).expect(200)));
    await eventually(() => sent().length === 5);
    expect(sent()).toEqual([
      "Hallo! Ich bin der Service-Bot der Muster GmbH.",
      "Wie kann ich helfen?",
      "Montag bis Freitag, 9 bis 17 Uhr.",
      "Wie kann ich helfen?",
      platform.name === "whatsapp" ? "Datenschutz: https://muster.example/datenschutz" : "Datenschutz",
    ]);
  });

  it("retries a 429 after the Retry-After the Graph API asks for", async () => {
    fake.failNext(1, 1);
    await deliver(platform.text("Hallo")).expect(200);
    await eventually(() => sent().length === 3, 8000);
    const [refused, retried] = fake.calls;
    expect(refused?.body).toEqual(retried?.body);
    expect((retried?.at ?? 0) - (refused?.at ?? 0)).toBeGreaterThanOrEqual(950);
    await eventually(async () => (await h.store.outbox.pending()).length === 0);
  });

  it("answers stickers, images, locations and unknown message types politely", async () => {
    for (const kind of ["sticker", "image", "location", "mystery"] as const) await deliver(platform.other(kind)).expect(200);
    await eventually(() => sent().length === 4);
    expect(new Set(sent())).toEqual(new Set(["Das kann ich leider nicht lesen. Bitte antworten Sie mit Text oder tippen Sie auf eine der Schaltflächen."]));
  });

  it("accepts a 3 MB payload", async () => {
    await deliver(platform.text("y".repeat(3 * 1024 * 1024))).expect(200);
    await eventually(() => sent().length === 2);
  });

  it("sends nothing once the 24-hour window of the user's message has closed", async () => {
    const old = platform.name === "whatsapp" ? nowSeconds() - 25 * 3600 : Date.now() - 25 * 3600 * 1000;
    await deliver(platform.text("Hallo", old)).expect(200);
    await h.settled();
    await eventually(async () => (await h.store.outbox.pending()).length === 0);
    expect(fake.calls).toEqual([]);
    expect(h.logLines.join("\n")).toContain("reply window has closed");
  });

  it("neither loses nor repeats a reply when the process dies between processing and sending", async () => {
    await h.stop();
    const dataDir = await mkdtemp(join(tmpdir(), "botschaft-meta-crash-"));
    try {
      const first = await openTestStore("lowdb", { dataDir });
      const crashed = await createTestRuntime({ store: first, messengers: { graphBase: fake.base }, hub: { sendReplies: false } });
      const payload = platform.text("Hallo");
      h = crashed;
      await deliver(payload).expect(200);
      await crashed.settled();
      expect((await first.outbox.pending()).length).toBe(2);
      await crashed.stop();
      await first.close();
      expect(fake.calls).toEqual([]);

      const second = await openTestStore("lowdb", { dataDir });
      h = await createTestRuntime({ store: second, messengers: { graphBase: fake.base } });
      await eventually(() => sent().length === 2);
      await deliver(payload).expect(200);
      await h.settled();
      await eventually(async () => (await second.outbox.pending()).length === 0);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(sent()).toEqual(["Hallo! Ich bin der Service-Bot der Muster GmbH.", "Wie kann ich helfen?"]);
      await h.stop();
      await second.close();
    } finally {
      h = await createTestRuntime({ messengers: { graphBase: fake.base } });
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("never logs the user's id or texts", async () => {
    await deliver(platform.text("Anna Müller")).expect(200);
    await eventually(() => sent().length === 2);
    const log = h.logLines.join("\n");
    expect(log).not.toContain(platform.user);
    expect(log).not.toContain("Anna");
  });
});

describe("deliveries beyond the reference flow: statuses, echoes, other pages, usernames, groups and service events", () => {
  let fake: FakePlatform;
  let h: TestRuntime;
  beforeEach(async () => {
    fake = await startFakePlatform("graph");
    h = await createTestRuntime({ messengers: { graphBase: fake.base } });
  });
  afterEach(async () => {
    await h.stop();
    await fake.close();
  });

  function post(channel: string, payload: unknown) {
    const raw = JSON.stringify(payload);
    return request(h.app).post(`/channels/${channel}/webhook`).set("content-type", "application/json").set("x-hub-signature-256", signMeta(raw, metaAppSecret)).send(raw);
  }

  it("acknowledges WhatsApp status updates, Messenger echoes, deliveries and reads without answering them", async () => {
    const status = {
      object: "whatsapp_business_account",
      entry: [{ id: "W", changes: [{ field: "messages", value: { messaging_product: "whatsapp", metadata: { phone_number_id: phoneNumberId }, statuses: [{ id: "wamid.ours", status: "delivered", timestamp: "1767225600", recipient_id: waUser }] } }] }],
    };
    await post("whatsapp", status).expect(200);
    await post("messenger", messengerEnvelope({ message: { mid: "m_echo", text: "Hallo", is_echo: true } })).expect(200);
    await post("messenger", messengerEnvelope({ delivery: { mids: ["m_1"], watermark: 1 } })).expect(200);
    await post("messenger", messengerEnvelope({ read: { watermark: 1 } })).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.calls).toEqual([]);
    expect(await h.store.inbox.pending()).toEqual([]);
  });

  it("drops Messenger deliveries for another page of the same app, and answers those for its own", async () => {
    const otherPage = "987654321098765";
    const forOtherPage = { object: "page", entry: [{ id: otherPage, time: Date.now(), messaging: [{ sender: { id: psid }, recipient: { id: otherPage }, timestamp: Date.now(), message: { mid: "m_other", text: "Hallo" } }] }] };
    await post("messenger", forOtherPage).expect(200);
    const mislabelled = { object: "page", entry: [{ id: messengerPageId, time: Date.now(), messaging: [{ sender: { id: psid }, recipient: { id: otherPage }, timestamp: Date.now(), message: { mid: "m_mislabelled", text: "Hallo" } }] }] };
    await post("messenger", mislabelled).expect(200);
    await h.settled();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.calls).toEqual([]);
    expect(await h.store.inbox.pending()).toEqual([]);
    expect(h.logLines.filter((line) => line.includes("messenger delivery for another page"))).toHaveLength(2);
    await post("messenger", messengerEnvelope({ message: { mid: "m_ours", text: "Hallo" } })).expect(200);
    await eventually(() => messenger.texts(fake.calls).length === 2);
  });

  it("starts on Messenger's Get Started postback and opens menu items from the persistent menu", async () => {
    await post("messenger", messengerEnvelope({ postback: { mid: "m_gs", title: "Los geht's", payload: "GET_STARTED" } })).expect(200);
    await eventually(() => messenger.texts(fake.calls).length === 2);
    await post("messenger", messengerEnvelope({ postback: { mid: "m_md", title: "Meine Daten", payload: "m:my-data" } })).expect(200);
    await eventually(() => messenger.texts(fake.calls).includes("Ich habe nichts über Sie gespeichert."));
  });

  const bsuid = "DE.13491208655302741918";

  /** A `messages` change as the Cloud API sends it, with the given messages and contacts. */
  function change(messages: Record<string, unknown>[], contacts?: Record<string, unknown>[]) {
    const value = { messaging_product: "whatsapp", metadata: { display_phone_number: "4930123456", phone_number_id: phoneNumberId }, ...(contacts ? { contacts } : {}), messages };
    const raw = JSON.stringify({ object: "whatsapp_business_account", entry: [{ id: "102290129340398", changes: [{ field: "messages", value }] }] });
    return request(h.app).post("/channels/whatsapp/webhook").set("content-type", "application/json").set("x-hub-signature-256", signMeta(raw, metaAppSecret)).send(raw);
  }

  const at = () => String(Math.floor(Date.now() / 1000));

  it("serves a user with a username and no phone number by their business-scoped id, replying through `recipient`", async () => {
    const contacts = [{ profile: { name: "Anna", username: "@anna.muster" }, user_id: bsuid }];
    await change([{ from_user_id: bsuid, id: "wamid.bsuid1", timestamp: at(), type: "text", text: { body: "Hallo" } }], contacts).expect(200);
    await eventually(() => whatsapp.texts(fake.calls).length === 2);
    for (const call of fake.calls) {
      expect(call.body.recipient).toBe(bsuid);
      expect(call.body).not.toHaveProperty("to");
    }
    await change([{ from_user_id: bsuid, id: "wamid.bsuid2", timestamp: at(), type: "interactive", interactive: { type: "button_reply", button_reply: { id: "c:Öffnungszeiten", title: "Öffnungszeiten" } } }], contacts).expect(200);
    await eventually(() => whatsapp.texts(fake.calls).length === 4);
    expect(whatsapp.texts(fake.calls).slice(2)).toEqual(["Montag bis Freitag, 9 bis 17 Uhr.", "Wie kann ich helfen?"]);
    expect(await h.store.conversations.findByChannelUser("whatsapp", pseudonym(testKeys.pseudonym.current.key, "whatsapp", bsuid))).toBeDefined();
    expect(h.logLines.join("\n")).not.toContain(bsuid.slice(3));
  });

  it("keeps a user who still comes with a phone number on it, and answers through `to`", async () => {
    await change([{ from: waUser, from_user_id: bsuid, id: "wamid.both", timestamp: at(), type: "text", text: { body: "Hallo" } }], [{ profile: { name: "Anna" }, wa_id: waUser, user_id: bsuid }]).expect(200);
    await eventually(() => whatsapp.texts(fake.calls).length === 2);
    expect(fake.calls.map((call) => [call.body.to, call.body.recipient])).toEqual([
      [waUser, undefined],
      [waUser, undefined],
    ]);
  });

  it("starts no one-to-one flow for a group message, and answers no system notice, reaction, edit or deletion", async () => {
    const contacts = [{ profile: { name: "Anna" }, wa_id: waUser }];
    await change([{ from: waUser, group_id: "Y2FwaV9ncm91cDoxNzA1NTU1MDEzOToxMjAzNjM0MDQ2OTQyMzM4MjAZD", id: "wamid.group", timestamp: at(), type: "text", text: { body: "Hallo Gruppe" } }], contacts).expect(200);
    await change([{ from: waUser, id: "wamid.system", timestamp: at(), type: "system", system: { body: "User Anna changed from 4915112345678 to 4915187654321", wa_id: "4915187654321", type: "user_changed_number" } }]).expect(200);
    await change([{ from: waUser, id: "wamid.reaction", timestamp: at(), type: "reaction", reaction: { message_id: "wamid.ours", emoji: "👍" } }], contacts).expect(200);
    await change([{ from: waUser, id: "wamid.edit", timestamp: at(), type: "edit", edit: { original_message_id: "wamid.before", message: { type: "text", text: { body: "Anna Müller" } } } }], contacts).expect(200);
    await change([{ from: waUser, id: "wamid.revoke", timestamp: at(), type: "revoke", revoke: { original_message_id: "wamid.before" } }], contacts).expect(200);
    await h.settled();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.calls).toEqual([]);
    expect(await h.store.inbox.pending()).toEqual([]);
    expect(await h.store.conversations.findByChannelUser("whatsapp", pseudonym(testKeys.pseudonym.current.key, "whatsapp", waUser))).toBeUndefined();
    const ignored = h.logLines.map((line) => JSON.parse(line)).filter((line) => line.msg === "delivery ignored");
    expect(ignored.map((line) => [line.level, line.reason])).toEqual([
      [20, "whatsapp group message"],
      [20, "whatsapp system message (user_changed_number)"],
      [20, "whatsapp reaction message"],
      [20, "whatsapp edit message"],
      [20, "whatsapp revoke message"],
    ]);
    const log = h.logLines.join("\n");
    for (const secret of [waUser, "4915187654321", "Anna"]) expect(log).not.toContain(secret);
  });
});

describe("whatsapp rendering", () => {
  it("falls back from buttons to a list and to numbered options as choices grow", async () => {
    const { whatsappChannel } = await import("./whatsapp.ts");
    const channel = whatsappChannel({ appSecret: "s", verifyToken: "v", phoneNumberId });
    const options = (count: number, label = "Option") => Array.from({ length: count }, (_, index) => ({ label: `${label} ${index + 1}`, value: `v${index}` }));
    const render = (choices: { label: string; value: string }[]) => channel.render([{ type: "choice", text: "Frage?", options: choices }], { recipient: waUser, language: "de" });
    const interactive = (calls: ReturnType<typeof render>) => (calls[0]?.body as { interactive?: { type: string } } | undefined)?.interactive?.type;
    expect(interactive(render(options(3)))).toBe("button");
    expect(interactive(render(options(2, "Eine viel zu lange Beschriftung")))).toBe("list");
    expect(interactive(render(options(10)))).toBe("list");
    const numbered = render(options(11));
    expect((numbered[0]?.body as { text?: { body: string } } | undefined)?.text?.body).toContain("11. Option 11");
    const long = channel.render([{ type: "text", text: "a ".repeat(5000) }], { recipient: waUser, language: "de" });
    expect(long.length).toBe(3);
    expect(long.every((call) => ((call.body as { text: { body: string } }).text.body.length ?? 0) <= 4096)).toBe(true);
  });
});

describe("messenger setup", () => {
  it("sets Get Started and a persistent menu with all four built-ins through the Messenger Profile API", () => {
    const [call, ...rest] = messengerChannel({ appSecret: "s", verifyToken: "v", pageId: messengerPageId }).setup({
      webhookUrl: "https://bot.muster.example/channels/messenger/webhook",
      policyUrl: "https://muster.example/datenschutz",
      imprintUrl: "https://muster.example/impressum",
      customItems: [{ id: "hours", label: "Öffnungszeiten" }],
      language: "de",
    });
    expect(rest).toEqual([]);
    expect(call).toEqual({
      method: "me/messenger_profile",
      body: {
        get_started: { payload: "GET_STARTED" },
        persistent_menu: [
          {
            locale: "default",
            composer_input_disabled: false,
            call_to_actions: [
              { type: "postback", title: "Meine Daten", payload: "m:my-data" },
              { type: "postback", title: "Abmelden & löschen", payload: "m:unsubscribe" },
              { type: "web_url", title: "Datenschutz", url: "https://muster.example/datenschutz" },
              { type: "web_url", title: "Impressum", url: "https://muster.example/impressum" },
              { type: "postback", title: "Öffnungszeiten", payload: "m:hours" },
            ],
          },
        ],
      },
    });
  });
});
