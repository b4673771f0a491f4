/**
 * WhatsApp Cloud API channel (docs/channels.md#whatsapp-protocol): the `hub.*` GET handshake, `X-Hub-Signature-256`
 * on the raw bytes, `entry[] × changes[] × messages[]` deduplicated by message id (statuses are
 * acknowledged and ignored), reply buttons (≤ 3, titles ≤ 20) falling back to a list (≤ 10 rows)
 * and to numbered options beyond that, texts split at 4096, the menu by keywords ("Menü",
 * "Daten", "stop", …) and the export as a short-lived link. Replies go out only inside the
 * 24-hour customer service window. A user is their phone-number id (`from`), or, for users with a
 * username whose number Meta withholds, their business-scoped user id (`from_user_id`, answered
 * through `recipient` instead of `to`). Group messages, system notices, reactions, edits and
 * deletions are not answered (docs/channels.md#service-events).
 */
import type {
  Channel,
  Delivery,
  PlatformCall,
  RenderContext,
  RenderItem,
} from "../app/messaging/channel.ts";
import {
  channelTexts,
  choicePayload,
  type DeliveryInput,
  inputFromPayload,
  inputFromText,
  menuPayload,
  platformLimits,
} from "../core/index.ts";
import { isRecord, type Json, records } from "./json-payload.ts";
import { splitText, truncate } from "./split-text.ts";
import { metaWebhook } from "./verify-signature.ts";

/** This platform's limits, from the core's channel table (the validator warns by the same numbers). */
export const whatsappLimits = platformLimits.whatsapp;

export interface WhatsappOptions {
  appSecret: string;
  verifyToken: string;
  phoneNumberId: string;
}

/** Message types nobody wrote to the bot: notices and changes to earlier messages. */
const serviceTypes = new Set(["system", "reaction", "edit", "revoke", "request_welcome"]);

function messageInput(message: Json): DeliveryInput {
  switch (message.type) {
    case "text":
      return isRecord(message.text) && typeof message.text.body === "string" ? inputFromText(message.text.body) : { kind: "unsupported", what: "text" };
    case "interactive": {
      const interactive = isRecord(message.interactive) ? message.interactive : {};
      const reply = isRecord(interactive.button_reply) ? interactive.button_reply : isRecord(interactive.list_reply) ? interactive.list_reply : undefined;
      return reply && typeof reply.id === "string" ? inputFromPayload(reply.id) : { kind: "unsupported", what: "interactive" };
    }
    case "button":
      return isRecord(message.button) && typeof message.button.payload === "string" ? inputFromPayload(message.button.payload) : { kind: "unsupported", what: "button" };
    default:
      return { kind: "unsupported", what: typeof message.type === "string" ? message.type : "unknown" };
  }
}

/**
 * The user's address in a send: a phone-number id (digits) goes in `to`; a business-scoped user
 * id (`CC.<digits and letters>`, for users whose number Meta withholds) in `recipient`. Both at
 * once would send to the number.
 */
function address(user: string): Record<string, string> {
  return /^\d+$/.test(user) ? { to: user } : { recipient: user };
}

/** One message to one user; `content` names its type and carries the part of that type. */
function messageCall(to: string, content: Record<string, unknown>): PlatformCall {
  return { method: "", body: { messaging_product: "whatsapp", recipient_type: "individual", ...address(to), ...content } };
}

function textCall(to: string, body: string): PlatformCall {
  return messageCall(to, { type: "text", text: { body, preview_url: false } });
}

function texts(to: string, text: string): PlatformCall[] {
  return splitText(text, whatsappLimits.text).map((part) => textCall(to, part));
}

/** Buttons when they fit, else a list, else numbered options (a choice also accepts the number typed). */
function options(to: string, text: string, choices: { label: string; value: string }[], context: RenderContext, menu = false): PlatformCall[] {
  const words = channelTexts[context.language];
  const payload = (value: string) => (menu ? menuPayload(value) : choicePayload(value));
  const parts = splitText(text, whatsappLimits.body);
  const body = parts.pop() ?? text;
  const before = parts.flatMap((part) => texts(to, part));
  const footer = { text: truncate(words.menuHint, whatsappLimits.footer) };
  if (choices.length <= whatsappLimits.buttons && choices.every((choice) => Array.from(choice.label).length <= whatsappLimits.buttonTitle)) {
    return [
      ...before,
      messageCall(to, {
        type: "interactive",
        interactive: {
          type: "button",
          body: { text: body },
          footer,
          action: { buttons: choices.map((choice) => ({ type: "reply", reply: { id: payload(choice.value), title: choice.label } })) },
        },
      }),
    ];
  }
  if (choices.length <= whatsappLimits.rows) {
    return [
      ...before,
      messageCall(to, {
        type: "interactive",
        interactive: {
          type: "list",
          body: { text: body },
          footer,
          action: {
            button: words.listButton,
            sections: [
              {
                rows: choices.map((choice) => ({
                  id: payload(choice.value),
                  title: truncate(choice.label, whatsappLimits.rowTitle),
                  ...(Array.from(choice.label).length > whatsappLimits.rowTitle ? { description: truncate(choice.label, whatsappLimits.rowDescription) } : {}),
                })),
              },
            ],
          },
        },
      }),
    ];
  }
  const numbered = choices.map((choice, index) => `${index + 1}. ${choice.label}`).join("\n");
  return texts(to, `${text}\n\n${words.chooseByNumber}\n${numbered}`);
}

function renderItem(item: RenderItem, context: RenderContext): PlatformCall[] {
  const to = context.recipient;
  const words = channelTexts[context.language];
  switch (item.type) {
    case "text":
      return texts(to, item.text);
    case "choice":
      return options(to, item.text, item.options, context);
    case "consent":
      return options(to, item.policyUrl ? `${item.text}\n\n${words.policyLine(item.policyUrl)}` : item.text, item.options, context);
    case "link":
      return texts(to, `${item.label}: ${item.url}`);
    case "menu":
      // Privacy and imprint rows come back as menu events, which answer with their links.
      return options(to, item.text, item.items.map((entry) => ({ label: entry.label, value: entry.id })), context, true);
    case "data":
      return context.exportLink ? texts(to, words.exportLink(context.exportLink)) : texts(to, JSON.stringify(item.data, null, 2));
    case "input":
    case "status":
      return [];
  }
}

export function whatsappChannel(config: WhatsappOptions): Channel {
  const method = `${config.phoneNumberId}/messages`;
  return {
    name: "whatsapp",
    ...metaWebhook(config.appSecret, config.verifyToken),
    parse(body, ignored = () => undefined) {
      if (!isRecord(body) || body.object !== "whatsapp_business_account") return [];
      const deliveries: Delivery[] = [];
      for (const entry of records(body.entry)) {
        for (const change of records(entry.changes)) {
          if (change.field !== "messages" || !isRecord(change.value)) continue;
          const metadata = isRecord(change.value.metadata) ? change.value.metadata : {};
          // Another number of the same business account is not this bot's.
          if (metadata.phone_number_id !== undefined && String(metadata.phone_number_id) !== config.phoneNumberId) continue;
          for (const message of records(change.value.messages)) {
            if (typeof message.id !== "string") continue;
            // The phone-number id while Meta shares it (conversations stay keyed on it), else the business-scoped user id.
            const user = typeof message.from === "string" ? message.from : typeof message.from_user_id === "string" ? message.from_user_id : undefined;
            if (user === undefined) {
              ignored("whatsapp message without a sender");
              continue;
            }
            // A group is not one data subject: its messages start no one-to-one flow (docs/channels.md#groups).
            if (message.group_id !== undefined) {
              ignored("whatsapp group message");
              continue;
            }
            if (typeof message.type === "string" && serviceTypes.has(message.type)) {
              const notice = isRecord(message.system) && typeof message.system.type === "string" && /^[a-z_]{1,40}$/.test(message.system.type) ? ` (${message.system.type})` : "";
              ignored(`whatsapp ${message.type} message${notice}`);
              continue;
            }
            const input = messageInput(message);
            const seconds = Number(message.timestamp);
            const sentAtMs = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : Date.now();
            deliveries.push({ dedupeKey: message.id, channelUserId: user, order: sentAtMs, sentAt: new Date(sentAtMs).toISOString(), input });
          }
        }
      }
      return deliveries;
    },
    render(items, context) {
      return items.flatMap((item) => renderItem(item, context)).map((call) => ({ ...call, method }));
    },
    setup() {
      // Cloud API webhooks are configured in the Meta app dashboard; `channels setup` prints what to enter.
      return [];
    },
  };
}
