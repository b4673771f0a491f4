/**
 * Facebook Messenger channel (docs/channels.md#messenger-protocol): the `hub.*` GET handshake, `X-Hub-Signature-256`
 * on the raw bytes, `entry[] × messaging[]` deduplicated by `mid` (echoes, deliveries and reads
 * ignored), quick replies (≤ 13, titles ≤ 20), texts split at 2000, the export as a short-lived
 * link, and Get Started plus the persistent menu through the Messenger Profile API. A live chat's
 * agent writing after the 24-hour standard window is sent with the `HUMAN_AGENT` tag (7 days,
 * docs/inbox.md#messengers). Only the
 * configured page's deliveries are processed: an app subscribed to several pages receives all
 * of them on one webhook.
 */
import type {
  Channel,
  Delivery,
  PlatformCall,
  RenderContext,
  RenderItem,
} from "../app/messaging/channel.ts";
import {
  botMenuLabels,
  channelTexts,
  choicePayload,
  type DeliveryInput,
  getStartedPayload,
  inputFromPayload,
  inputFromText,
  menuPayload,
  platformLimits,
} from "../core/index.ts";
import { isRecord, type Json, records } from "./json-payload.ts";
import { splitText, truncate } from "./split-text.ts";
import { metaWebhook } from "./verify-signature.ts";

/** This platform's limits, from the core's channel table (the validator warns by the same numbers). */
export const messengerLimits = platformLimits.messenger;

export interface MessengerOptions {
  appSecret: string;
  verifyToken: string;
  /** The page this bot answers for (`MESSENGER_PAGE_ID`); deliveries for other pages are dropped. */
  pageId: string;
}

function eventInput(event: Json): { mid: string; input: DeliveryInput } | undefined {
  if (isRecord(event.message)) {
    const message = event.message;
    if (message.is_echo === true || typeof message.mid !== "string") return undefined;
    if (isRecord(message.quick_reply) && typeof message.quick_reply.payload === "string") return { mid: message.mid, input: inputFromPayload(message.quick_reply.payload) };
    if (typeof message.text === "string") return { mid: message.mid, input: inputFromText(message.text) };
    const attachment = records(message.attachments)[0];
    return { mid: message.mid, input: { kind: "unsupported", what: typeof attachment?.type === "string" ? attachment.type : "unknown" } };
  }
  if (isRecord(event.postback)) {
    const postback = event.postback;
    const payload = typeof postback.payload === "string" ? postback.payload : "";
    // `mid` on postbacks exists since Graph v11.0; older deliveries are keyed by sender, time and payload.
    const mid = typeof postback.mid === "string" ? postback.mid : `postback:${String(isRecord(event.sender) ? event.sender.id : "")}:${String(event.timestamp)}:${payload}`;
    return { mid, input: inputFromPayload(payload) };
  }
  return undefined;
}

/** How long after the user's last message a person may answer with the `HUMAN_AGENT` tag: 7 days. */
export const humanAgentWindowMs = 7 * 24 * 60 * 60 * 1000;

function send(recipient: string, message: Json): PlatformCall {
  return { method: "me/messages", body: { recipient: { id: recipient }, messaging_type: "RESPONSE", message } };
}

function texts(recipient: string, text: string, last: Json = {}): PlatformCall[] {
  const parts = splitText(text, messengerLimits.text);
  return parts.map((part, index) => send(recipient, { text: part, ...(index === parts.length - 1 ? last : {}) }));
}

function quickReplies(recipient: string, text: string, choices: { label: string; payload: string }[], context: RenderContext): PlatformCall[] {
  if (choices.length > messengerLimits.quickReplies) {
    const numbered = choices.map((choice, index) => `${index + 1}. ${choice.label}`).join("\n");
    return texts(recipient, `${text}\n\n${channelTexts[context.language].chooseByNumber}\n${numbered}`);
  }
  return texts(recipient, text, {
    quick_replies: choices.map((choice) => ({ content_type: "text", title: truncate(choice.label, messengerLimits.quickReplyTitle), payload: choice.payload })),
  });
}

function renderItem(item: RenderItem, context: RenderContext): PlatformCall[] {
  const to = context.recipient;
  const words = channelTexts[context.language];
  switch (item.type) {
    case "text":
      return texts(to, item.text);
    case "choice":
      return quickReplies(to, item.text, item.options.map((option) => ({ label: option.label, payload: choicePayload(option.value) })), context);
    case "consent":
      return quickReplies(
        to,
        item.policyUrl ? `${item.text}\n\n${words.policyLine(item.policyUrl)}` : item.text,
        item.options.map((option) => ({ label: option.label, payload: choicePayload(option.value) })),
        context,
      );
    case "link":
      return [
        send(to, {
          attachment: {
            type: "template",
            payload: { template_type: "button", text: item.label, buttons: [{ type: "web_url", url: item.url, title: truncate(item.label, messengerLimits.buttonTitle) }] },
          },
        }),
      ];
    case "menu":
      return quickReplies(to, item.text, item.items.map((entry) => ({ label: entry.label, payload: menuPayload(entry.id) })), context);
    case "data":
      return context.exportLink ? texts(to, words.exportLink(context.exportLink)) : texts(to, JSON.stringify(item.data, null, 2));
    case "input":
    case "status":
      return [];
  }
}

export function messengerChannel(options: MessengerOptions): Channel {
  return {
    name: "messenger",
    ...metaWebhook(options.appSecret, options.verifyToken),
    parse(body, ignored = () => undefined) {
      if (!isRecord(body) || body.object !== "page") return [];
      const deliveries: Delivery[] = [];
      for (const entry of records(body.entry)) {
        // The entry's id is the page's; the same app may be subscribed to other pages too.
        if (String(entry.id) !== options.pageId) {
          ignored("messenger delivery for another page");
          continue;
        }
        for (const event of records(entry.messaging)) {
          const recipient = isRecord(event.recipient) ? event.recipient.id : undefined;
          if (recipient !== undefined && String(recipient) !== options.pageId && !(isRecord(event.message) && event.message.is_echo === true)) {
            ignored("messenger delivery for another page");
            continue;
          }
          const sender = isRecord(event.sender) ? event.sender.id : undefined;
          if (typeof sender !== "string" && typeof sender !== "number") continue;
          const parsed = eventInput(event);
          if (!parsed) continue;
          const sentAtMs = typeof event.timestamp === "number" ? event.timestamp : Date.now();
          deliveries.push({ dedupeKey: parsed.mid, channelUserId: String(sender), order: sentAtMs, sentAt: new Date(sentAtMs).toISOString(), input: parsed.input });
        }
      }
      return deliveries;
    },
    humanAgentWindowMs,
    render(items, context) {
      const calls = items.flatMap((item) => renderItem(item, context));
      // An agent after the 24-hour standard window: tagged, allowed for 7 days (docs/inbox.md#messengers).
      return context.humanAgent ? calls.map((call) => ({ ...call, body: { ...call.body, messaging_type: "MESSAGE_TAG", tag: "HUMAN_AGENT" } })) : calls;
    },
    setup(context) {
      const labels = botMenuLabels(context.language);
      const actions = [
        { type: "postback", title: truncate(labels["my-data"], messengerLimits.buttonTitle), payload: menuPayload("my-data") },
        { type: "postback", title: truncate(labels.unsubscribe, messengerLimits.buttonTitle), payload: menuPayload("unsubscribe") },
        { type: "web_url", title: truncate(labels.privacy, messengerLimits.buttonTitle), url: context.policyUrl },
        { type: "web_url", title: truncate(labels.imprint, messengerLimits.buttonTitle), url: context.imprintUrl },
        ...context.customItems.map((item) => ({ type: "postback", title: truncate(item.label, messengerLimits.buttonTitle), payload: menuPayload(item.id) })),
      ].slice(0, messengerLimits.persistentMenu);
      return [
        {
          method: "me/messenger_profile",
          body: {
            get_started: { payload: getStartedPayload },
            persistent_menu: [{ locale: "default", composer_input_disabled: false, call_to_actions: actions }],
          },
        },
      ];
    },
  };
}
