/**
 * The live chat with WhatsApp and Messenger users on the fake Graph API
 * (docs/inbox.md#messengers): the agent's replies and the bot's messages after a hand-back go
 * through the outbox to the user; the reply windows are shown to the agent and a reply after
 * them is refused with the reason (WhatsApp 24 hours; Messenger 24 hours, then 7 days with the
 * HUMAN_AGENT tag); the page's own echoes never become visitor messages.
 */
import request from "supertest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestRuntime, eventually, messengerPageId, metaAppSecret, phoneNumberId, type TestRuntime } from "../testing/create-test-runtime.ts";
import { type FakePlatform, type RecordedCall, startFakePlatform } from "../testing/fake-platform.ts";
import { helpdeskFlow } from "../testing/live-chat-fixtures.ts";
import { signMeta } from "./verify-signature.ts";

const waUser = "4915112345678";
const psid = "6543210987654321";
const hour = 3_600_000;
let nextId = 0;

function whatsapp(message: Record<string, unknown>, at: Date): unknown {
  const value = {
    messaging_product: "whatsapp",
    metadata: { display_phone_number: "4930123456", phone_number_id: phoneNumberId },
    contacts: [{ profile: { name: "Anna" }, wa_id: waUser }],
    messages: [{ from: waUser, id: `wamid.live${++nextId}`, timestamp: String(Math.floor(at.getTime() / 1000)), ...message }],
  };
  return { object: "whatsapp_business_account", entry: [{ id: "102290129340398", changes: [{ field: "messages", value }] }] };
}

function messenger(event: Record<string, unknown>, at: Date, from = psid, to = messengerPageId): unknown {
  const ms = at.getTime();
  return { object: "page", entry: [{ id: messengerPageId, time: ms, messaging: [{ sender: { id: from }, recipient: { id: to }, timestamp: ms, ...event }] }] };
}

interface Platform {
  name: "whatsapp" | "messenger";
  text(text: string, at: Date): unknown;
  press(value: string, title: string, at: Date): unknown;
  /** The texts sent to the user, from call `from` on. */
  sent(calls: readonly RecordedCall[], from?: number): string[];
}

const platforms: Platform[] = [
  {
    name: "whatsapp",
    text: (text, at) => whatsapp({ type: "text", text: { body: text } }, at),
    press: (value, title, at) => whatsapp({ type: "interactive", interactive: { type: "button_reply", button_reply: { id: `c:${value}`, title } } }, at),
    sent: (calls, from = 0) =>
      calls.slice(from).flatMap((call) => {
        const body = call.body as { to?: string; type?: string; text?: { body: string }; interactive?: { body: { text: string } } };
        if (call.method !== `${phoneNumberId}/messages` || body.to !== waUser) return [];
        return body.type === "text" ? [body.text?.body ?? ""] : body.type === "interactive" ? [body.interactive?.body.text ?? ""] : [];
      }),
  },
  {
    name: "messenger",
    text: (text, at) => messenger({ message: { mid: `m_live${++nextId}`, text } }, at),
    press: (value, title, at) => messenger({ message: { mid: `m_live${++nextId}`, text: title, quick_reply: { payload: `c:${value}` } } }, at),
    sent: (calls, from = 0) =>
      calls.slice(from).flatMap((call) => {
        const body = call.body as { recipient?: { id: string }; message?: { text?: string } };
        return call.method === "me/messages" && body.recipient?.id === psid && body.message?.text !== undefined ? [body.message.text] : [];
      }),
  },
];

describe.each(platforms)("the live chat with a $name user", (platform) => {
  let fake: FakePlatform;
  let h: TestRuntime;
  /** An API token with the role `agent`: it outlives the days the clock jumps here, a session would not. */
  let agentToken: string;

  beforeEach(async () => {
    fake = await startFakePlatform("graph");
    h = await createTestRuntime({ flows: [{ id: "helpdesk", yaml: helpdeskFlow }], messengers: { graphBase: fake.base, graphFlow: "helpdesk" }, logLevel: "silent" });
    agentToken = (await h.accounts.createToken("Helpdesk-Integration", ["agent"], { actor: "system" })).token;
  });

  afterEach(async () => {
    await h.close();
    await fake.close();
  });

  const as = () => ({ authorization: `Bearer ${agentToken}` });
  async function deliver(payload: unknown): Promise<void> {
    const raw = JSON.stringify(payload);
    await request(h.app).post(`/channels/${platform.name}/webhook`).set("content-type", "application/json").set("x-hub-signature-256", signMeta(raw, metaAppSecret)).send(raw).expect(200);
    await h.settled();
  }
  const view = async (id: string) => (await request(h.app).get(`/api/v1/inbox/${id}`).set(as()).expect(200)).body;
  const reply = (id: string, text: string) => request(h.app).post(`/api/v1/inbox/${id}/messages`).set(as()).send({ text });

  /** The user reaches the handover; the agent claims it. The handover was asked for at `at`. */
  async function claimed(at: Date): Promise<string> {
    await deliver(platform.text("Hallo", at));
    await eventually(() => platform.sent(fake.calls).includes("Worum geht es?"));
    await deliver(platform.press("rechnung", "Rechnung", at));
    await eventually(async () => (await request(h.app).get("/api/v1/inbox").set(as())).body.conversations.length === 1);
    const id = (await request(h.app).get("/api/v1/inbox").set(as())).body.conversations[0].id as string;
    await request(h.app).post(`/api/v1/inbox/${id}/claim`).set(as()).expect(200);
    await eventually(() => platform.sent(fake.calls).includes("Jemand aus unserem Team ist jetzt für Sie da."));
    return id;
  }

  it("sends the agent's reply to the user and, after the hand-back, the flow's next question", async () => {
    const id = await claimed(h.clock());
    h.clock.advance(2000);
    const wrote = new Date(Math.floor(h.clock().getTime() / 1000) * 1000);
    await deliver(platform.text("Meine Rechnung stimmt nicht.", wrote));
    const seen = await view(id);
    expect(seen.messages.map((entry: { from: string; message: { text: string } }) => `${entry.from}: ${entry.message.text}`)).toEqual([
      "bot: Jemand aus unserem Team ist jetzt für Sie da.",
      "visitor: Meine Rechnung stimmt nicht.",
    ]);
    // The agent's window runs from the user's last message: 24 hours on WhatsApp, 7 days with the HUMAN_AGENT tag on Messenger.
    expect(seen.replyWindowEnd).toBe(new Date(wrote.getTime() + (platform.name === "whatsapp" ? 24 : 7 * 24) * hour).toISOString());

    const before = fake.calls.length;
    await reply(id, "Ich sehe sofort nach.").expect(201);
    await eventually(() => platform.sent(fake.calls, before).includes("Ich sehe sofort nach."));
    const call = fake.calls.slice(before).find((entry) => platform.sent([entry]).includes("Ich sehe sofort nach."));
    if (platform.name === "whatsapp") expect(call?.body).toMatchObject({ messaging_product: "whatsapp", to: waUser, type: "text" });
    else expect(call?.body).toMatchObject({ recipient: { id: psid }, messaging_type: "RESPONSE" });

    const beforeRelease = fake.calls.length;
    await request(h.app).post(`/api/v1/inbox/${id}/release`).set(as()).expect(204);
    await eventually(() => platform.sent(fake.calls, beforeRelease).includes("Wieder beim Bot. Noch etwas?"));
    await deliver(platform.press("nein", "Nein", h.clock()));
    await eventually(() => platform.sent(fake.calls, beforeRelease).includes("Tschüss!"));
  });

  it("keeps the agent to the platform's window after the user's last message, and opens it again when they write", async () => {
    const id = await claimed(h.clock());
    h.clock.advance(2000);
    const lastWrote = new Date(Math.floor(h.clock().getTime() / 1000) * 1000);
    await deliver(platform.text("Sind Sie noch da?", lastWrote));
    h.clock.advance(25 * hour);
    const before = fake.calls.length;
    if (platform.name === "messenger") {
      // Past the 24-hour standard window a person may still answer for 7 days, tagged HUMAN_AGENT.
      await reply(id, "Entschuldigung, jetzt bin ich da.").expect(201);
      await eventually(() => platform.sent(fake.calls, before).includes("Entschuldigung, jetzt bin ich da."));
      const tagged = fake.calls.slice(before).find((entry) => platform.sent([entry]).length > 0);
      expect(tagged?.body).toMatchObject({ recipient: { id: psid }, messaging_type: "MESSAGE_TAG", tag: "HUMAN_AGENT" });
      h.clock.advance(6 * 24 * hour);
    }
    const end = new Date(lastWrote.getTime() + (platform.name === "whatsapp" ? 24 : 7 * 24) * hour).toISOString();
    expect((await view(id)).replyWindowEnd).toBe(end);
    const calls = fake.calls.length;
    const refused = await reply(id, "Hallo?").expect(409);
    expect(refused.body.error.code).toBe("reply-window-closed");
    expect(refused.body.error.message).toContain(`delivers replies only until ${end}`);
    expect(refused.body.error.message).toContain(platform.name === "whatsapp" ? "24 hours after the visitor's last message" : "7 days after the visitor's last message");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.calls.length).toBe(calls);
    expect((await view(id)).messages.map((entry: { message: { text: string } }) => entry.message.text)).not.toContain("Hallo?");

    // The user writes again: the window opens again from that message.
    h.clock.advance(2000);
    const again = new Date(Math.floor(h.clock().getTime() / 1000) * 1000);
    await deliver(platform.text("Hallo, ich bin wieder da.", again));
    expect((await view(id)).replyWindowEnd).toBe(new Date(again.getTime() + (platform.name === "whatsapp" ? 24 : 7 * 24) * hour).toISOString());
    const beforeAgain = fake.calls.length;
    await reply(id, "Willkommen zurück.").expect(201);
    await eventually(() => platform.sent(fake.calls, beforeAgain).includes("Willkommen zurück."));
  });

  it("drops the bot's messages after a hand-back once the platform's 24-hour window for the bot has closed", async () => {
    const id = await claimed(h.clock());
    await deliver(platform.text("Danke!", h.clock()));
    h.clock.advance(25 * hour);
    const before = fake.calls.length;
    await request(h.app).post(`/api/v1/inbox/${id}/release`).set(as()).expect(204);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The flow went on (the question is in the transcript), but the platform would refuse it now.
    expect((await view(id)).messages.map((entry: { message: { text: string } }) => entry.message.text)).toContain("Wieder beim Bot. Noch etwas?");
    expect(platform.sent(fake.calls, before)).toEqual([]);
    expect(await h.store.outbox.pending()).toEqual([]);
  });
});

describe("Messenger page echoes during a live chat", () => {
  let fake: FakePlatform;
  let h: TestRuntime;
  /** An API token with the role `agent`: it outlives the days the clock jumps here, a session would not. */
  let agentToken: string;

  beforeEach(async () => {
    fake = await startFakePlatform("graph");
    h = await createTestRuntime({ flows: [{ id: "helpdesk", yaml: helpdeskFlow }], messengers: { graphBase: fake.base, graphFlow: "helpdesk" }, logLevel: "silent" });
    agentToken = (await h.accounts.createToken("Helpdesk-Integration", ["agent"], { actor: "system" })).token;
  });

  afterEach(async () => {
    await h.close();
    await fake.close();
  });

  it("never shows the page's own sends (is_echo) to the agent as the visitor's messages", async () => {
    const as = { authorization: `Bearer ${agentToken}` };
    const post = async (payload: unknown) => {
      const raw = JSON.stringify(payload);
      await request(h.app).post("/channels/messenger/webhook").set("content-type", "application/json").set("x-hub-signature-256", signMeta(raw, metaAppSecret)).send(raw).expect(200);
      await h.settled();
    };
    await post(messenger({ message: { mid: "m_e1", text: "Hallo" } }, h.clock()));
    await post(messenger({ message: { mid: "m_e2", text: "Rechnung", quick_reply: { payload: "c:rechnung" } } }, h.clock()));
    await eventually(async () => (await request(h.app).get("/api/v1/inbox").set(as)).body.conversations.length === 1);
    const id = (await request(h.app).get("/api/v1/inbox").set(as)).body.conversations[0].id as string;
    await request(h.app).post(`/api/v1/inbox/${id}/claim`).set(as).expect(200);
    await request(h.app).post(`/api/v1/inbox/${id}/messages`).set(as).send({ text: "Wie kann ich helfen?" }).expect(201);
    // Messenger reports the page's own sends back as echoes: from the page, to the user.
    await post(messenger({ message: { mid: "m_echo1", text: "Wie kann ich helfen?", is_echo: true, app_id: 1517776481860111 } }, h.clock(), messengerPageId, psid));
    await post(messenger({ message: { mid: "m_echo2", text: "Jemand aus unserem Team ist jetzt für Sie da.", is_echo: true } }, h.clock(), messengerPageId, psid));
    await post(messenger({ message: { mid: "m_e3", text: "Meine Rechnung ist doppelt." } }, h.clock()));
    const seen = (await request(h.app).get(`/api/v1/inbox/${id}`).set(as).expect(200)).body;
    expect(seen.messages.map((entry: { from: string; message: { text: string } }) => `${entry.from}: ${entry.message.text}`)).toEqual([
      "bot: Jemand aus unserem Team ist jetzt für Sie da.",
      "agent: Wie kann ich helfen?",
      "visitor: Meine Rechnung ist doppelt.",
    ]);
    expect(await h.store.inbox.pending()).toEqual([]);
    // Nor did an echo start a conversation of its own with the page as its "user".
    expect((await request(h.app).get("/api/v1/inbox").set(as)).body.conversations).toHaveLength(1);
    expect(fake.calls.some((call) => (call.body.recipient as { id?: string } | undefined)?.id === messengerPageId)).toBe(false);
  });
});
