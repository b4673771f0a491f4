import { describe, expect, it } from "vitest";
import type { ConversationState, OutgoingMessage } from "../engine/conversation.ts";
import { botTexts } from "../engine/bot-texts.ts";
import { prepareFlow } from "../engine/runnable-flow.ts";
import { callbackRequestFlow, germanProcessor, node } from "../validate/test-flow-builder.ts";
import { noteRecipients, planNotices, withTold } from "./recipient-notices.ts";

const time = "2026-11-22T10:00:00.000Z";

/** The reference flow; `send-crm` sends name and phone to Muster CRM GmbH, which takes notices. */
function runnable(withNotices = true) {
  const flow = withNotices ? callbackRequestFlow() : callbackRequestFlow().with("send-crm", node.webhookWithoutNotices(["name", "phone"], "thanks", germanProcessor));
  return prepareFlow(flow.build(), "v1");
}

function state(overrides: Partial<ConversationState> = {}): ConversationState {
  return {
    flow: "callback-request",
    version: "v1",
    language: "de",
    channel: "web",
    node: "thanks",
    waiting: "reply",
    retries: 0,
    fields: { name: "Erika", phone: "+491701234567", anliegen: "Heizung" },
    consents: [{ consent: "consent", purpose: "Rückruf", fields: ["name", "phone"], textHash: "h", flowVersion: "v1", decision: "accept", at: time, channel: "web" }],
    startedAt: time,
    lastActivityAt: time,
    ...overrides,
  };
}

describe("noteRecipients", () => {
  it("records the personal fields a step sent to a processor that takes notices, with the delivery key, never a value", () => {
    const noted = noteRecipients(runnable(), state(), [{ node: "send-crm", delivery: "key-1", fields: ["name", "phone", "anliegen"] }], time);
    expect(noted.recipients).toEqual([{ node: "send-crm", processor: "Muster CRM GmbH", notices: "https://crm.muster.example/gdpr", fields: ["name", "phone"], delivery: "key-1", at: time }]);
    expect(JSON.stringify(noted.recipients)).not.toContain("Erika");
  });

  it("records nothing for a step without notices or for an unknown node", () => {
    const before = state();
    expect(noteRecipients(runnable(false), before, [{ node: "send-crm", delivery: "key-1", fields: ["name"] }], time)).toBe(before);
    expect(noteRecipients(runnable(), before, [{ node: "constructor", delivery: "key-1", fields: ["name"] }], time)).toBe(before);
  });
});

describe("planNotices", () => {
  const sent = noteRecipients(runnable(), state(), [
    { node: "send-crm", delivery: "key-1", fields: ["name", "phone"] },
    { node: "send-crm", delivery: "key-2", fields: ["phone"] },
  ], time);

  it("asks each processor once to erase, naming every delivery key, without values", () => {
    expect(planNotices(sent, sent, { erased: true }, time)).toEqual([
      {
        url: "https://crm.muster.example/gdpr",
        body: { type: "erasure", processor: "Muster CRM GmbH", subject: { deliveries: ["key-1", "key-2"] }, fields: ["name", "phone"], flow: "callback-request", time },
        survivesErasure: true,
      },
    ]);
  });

  it("sends a corrected value only to whom received the field, and binds it to the conversation", () => {
    const after = { ...sent, fields: { ...sent.fields, name: "Erika Musterfrau" } };
    expect(planNotices(sent, after, { corrected: ["name"] }, time)).toEqual([
      {
        url: "https://crm.muster.example/gdpr",
        body: { type: "correction", processor: "Muster CRM GmbH", subject: { deliveries: ["key-1"] }, fields: ["name"], values: { name: "Erika Musterfrau" }, flow: "callback-request", time },
        survivesErasure: false,
      },
    ]);
    expect(planNotices(sent, after, { corrected: ["anliegen"] }, time)).toEqual([]);
  });

  it("asks to erase what a withdrawn consent covered", () => {
    const consent = sent.consents[0] as ConversationState["consents"][number];
    const after = { ...sent, fields: { anliegen: "Heizung" }, consents: [...sent.consents, { ...consent, decision: "withdraw" as const }] };
    expect(planNotices(sent, after, {}, time).map((notice) => notice.body)).toEqual([
      { type: "withdrawal", processor: "Muster CRM GmbH", subject: { deliveries: ["key-1", "key-2"] }, fields: ["name", "phone"], purpose: "Rückruf", flow: "callback-request", time },
    ]);
  });

  it("owes nothing when nothing was sent", () => {
    expect(planNotices(state(), state(), { erased: true }, time)).toEqual([]);
  });
});

describe("withTold", () => {
  const erasure = planNotices(noteRecipients(runnable(), state(), [{ node: "send-crm", delivery: "k", fields: ["name"] }], time), state(), { erased: true }, time);

  it("puts the sentence right after the confirmation, before the status", () => {
    const texts = botTexts("de");
    const messages: OutgoingMessage[] = [{ type: "text", text: texts.unsubscribed }, { type: "status", status: "erased" }];
    expect(withTold(runnable(), state(), messages, erasure)).toEqual([
      { type: "text", text: texts.unsubscribed },
      { type: "text", text: "Muster CRM GmbH wurde gebeten, Ihre Daten ebenfalls zu löschen." },
      { type: "status", status: "erased" },
    ]);
    expect(withTold(runnable(), state(), messages, [])).toEqual(messages);
  });

  it("names several processors in one sentence, in German and English", () => {
    const two = [erasure[0], { ...erasure[0], body: { ...erasure[0]?.body, processor: "Beispiel Mail AG" } }] as typeof erasure;
    const [, german] = withTold(runnable(), state(), [{ type: "text", text: botTexts("de").unsubscribed }], two);
    expect(german).toEqual({ type: "text", text: "Muster CRM GmbH und Beispiel Mail AG wurden gebeten, Ihre Daten ebenfalls zu löschen." });
    const [, english] = withTold(runnable(), state({ language: "en" }), [{ type: "text", text: botTexts("en").unsubscribed }], two);
    expect(english).toEqual({ type: "text", text: "Muster CRM GmbH and Beispiel Mail AG have been asked to delete your data too." });
  });
});
