/**
 * Telegram Bot API channel (docs/channels.md#telegram-protocol): `X-Telegram-Bot-Api-Secret-Token` on every
 * webhook, one `Update` per request deduplicated by `update_id`, inline keyboards with
 * `callback_data` of at most 64 bytes (untrusted: it becomes an ordinary engine event), texts
 * split at 4096, `answerCallbackQuery` for every button press, the export as a JSON document,
 * and `/menu /privacy /imprint /mydata /stop` registered with `setMyCommands` in German and English.
 * Private chats only: in a group the bot answers only when addressed, with a short pointer to a
 * private chat, and keeps nothing (docs/channels.md#groups). Service messages (members joining,
 * pinned messages, payments, …) and edits are acknowledged without an answer.
 */
import type { BotCommand, InlineKeyboardButton, Update } from "@telegraf/types";
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
  type Language,
  menuPayload,
  numberPayload,
  platformLimits,
} from "../core/index.ts";
import { splitText } from "./split-text.ts";
import { verifyTelegramSecret } from "./verify-signature.ts";
import { isRecord } from "./json-payload.ts";

/** This platform's limits, from the core's channel table (the validator warns by the same numbers). */
export const telegramLimits = platformLimits.telegram;

export interface TelegramOptions {
  /** The `secret_token` given to `setWebhook`. */
  webhookSecret: string;
  /** The bot's username without `@` (`TELEGRAM_BOT_USERNAME`): mentions in groups and the link to a private chat. */
  botUsername?: string;
}

/**
 * Fields that make a message a service message rather than something a person wrote: those of
 * the Bot API's service message types (every `Message.*` type of @telegraf/types that is not a
 * `CommonMessage`; a test keeps the list complete). Such messages are not answered.
 */
export const telegramServiceFields: ReadonlySet<string> = new Set([
  "new_chat_members",
  "left_chat_member",
  "new_chat_title",
  "new_chat_photo",
  "delete_chat_photo",
  "group_chat_created",
  "supergroup_chat_created",
  "channel_chat_created",
  "message_auto_delete_timer_changed",
  "migrate_to_chat_id",
  "migrate_from_chat_id",
  "pinned_message",
  "invoice",
  "successful_payment",
  "refunded_payment",
  "users_shared",
  "chat_shared",
  "gift",
  "unique_gift",
  "connected_website",
  "write_access_allowed",
  "passport_data",
  "proximity_alert_triggered",
  "boost_added",
  "chat_background_set",
  "checklist_tasks_done",
  "checklist_tasks_added",
  "direct_message_price_changed",
  "forum_topic_created",
  "forum_topic_edited",
  "forum_topic_closed",
  "forum_topic_reopened",
  "general_forum_topic_hidden",
  "general_forum_topic_unhidden",
  "giveaway_created",
  "giveaway",
  "giveaway_winners",
  "giveaway_completed",
  "paid_message_price_changed",
  "suggested_post_approved",
  "suggested_post_approval_failed",
  "suggested_post_declined",
  "suggested_post_paid",
  "suggested_post_refunded",
  "video_chat_scheduled",
  "video_chat_started",
  "video_chat_ended",
  "video_chat_participants_invited",
  "web_app_data",
]);

function serviceField(message: Record<string, unknown>): string | undefined {
  for (const field of Object.keys(message)) if (telegramServiceFields.has(field)) return field;
  return undefined;
}

const commands: Record<string, DeliveryInput> = {
  start: { kind: "start" },
  menu: { kind: "show-menu" },
  privacy: { kind: "event", event: { type: "menu", item: "privacy" } },
  imprint: { kind: "event", event: { type: "menu", item: "imprint" } },
  mydata: { kind: "event", event: { type: "menu", item: "my-data" } },
  stop: { kind: "event", event: { type: "menu", item: "unsubscribe" } },
};

/** The updates the bot asks for in `setWebhook`. */
export const telegramAllowedUpdates = ["message", "callback_query"] as const;

function commandInput(text: string): DeliveryInput | undefined {
  const match = /^\/([a-z0-9_]{1,32})(?:@\w+)?(?:\s|$)/i.exec(text.trim());
  const name = match?.[1]?.toLowerCase();
  // Own keys only: `/constructor` is no command of ours.
  return name !== undefined && Object.hasOwn(commands, name) ? commands[name] : undefined;
}

/**
 * Whether a group message asks this bot for something: a command (`/start`, or `/start@bot` with
 * this bot's name), a mention of the bot, or a reply to one of its messages. Everything else in a
 * group is chatter between people, which the bot neither reads nor answers.
 */
function addressesBot(message: Record<string, unknown>, username: string | undefined): boolean {
  const text = typeof message.text === "string" ? message.text : typeof message.caption === "string" ? message.caption : "";
  const name = username?.toLowerCase();
  const command = /^\/[a-z0-9_]{1,32}(?:@(\w+))?(?:\s|$)/i.exec(text.trim());
  if (command) return command[1] === undefined || command[1].toLowerCase() === name;
  if (name === undefined) return false;
  if (text.toLowerCase().split(/\s+/).some((word) => word.replace(/[^\w@]/g, "") === `@${name}`)) return true;
  const repliedTo = isRecord(message.reply_to_message) && isRecord(message.reply_to_message.from) ? message.reply_to_message.from : undefined;
  return typeof repliedTo?.username === "string" && repliedTo.username.toLowerCase() === name;
}

/** The pointer to a private chat with the bot, where it has a public address. */
function privateChatLink(username: string | undefined): DeliveryInput {
  return username ? { kind: "private-only", link: `https://t.me/${username}` } : { kind: "private-only" };
}

/** What kind of non-text message arrived, for the polite answer (and nothing else). */
function messageKind(message: Record<string, unknown>): string {
  for (const kind of ["sticker", "photo", "location", "voice", "audio", "video", "document", "contact", "animation", "venue", "poll", "dice"]) {
    if (kind in message) return kind;
  }
  return "unknown";
}

function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** `c:<value>` when it fits 64 bytes, else the option's number, which a choice also accepts typed. */
function callbackData(value: string, position: number): string {
  const data = choicePayload(value);
  return utf8Bytes(data) <= telegramLimits.callbackDataBytes ? data : numberPayload(position);
}

function keyboard(rows: InlineKeyboardButton[][]): Record<string, unknown> {
  return { reply_markup: { inline_keyboard: rows } };
}

function sendText(chatId: string, text: string, extra: Record<string, unknown> = {}): PlatformCall[] {
  const parts = splitText(text, telegramLimits.text);
  return parts.map((part, index) => ({
    method: "sendMessage",
    body: { chat_id: chatId, text: part, link_preview_options: { is_disabled: true }, ...(index === parts.length - 1 ? extra : {}) },
  }));
}

function renderItem(item: RenderItem, context: RenderContext): PlatformCall[] {
  const chatId = context.recipient;
  const texts = channelTexts[context.language];
  switch (item.type) {
    case "text":
      return sendText(chatId, item.text);
    case "choice":
      return sendText(chatId, item.text, keyboard(item.options.map((option, index) => [{ text: option.label, callback_data: callbackData(option.value, index + 1) }])));
    case "consent":
      return sendText(
        chatId,
        item.text,
        keyboard([
          item.options.map((option, index) => ({ text: option.label, callback_data: callbackData(option.value, index + 1) })),
          ...(item.policyUrl ? [[{ text: texts.commands.privacy, url: item.policyUrl }]] : []),
        ]),
      );
    case "link":
      return sendText(chatId, item.label, keyboard([[{ text: item.label, url: item.url }]]));
    case "menu":
      return sendText(
        chatId,
        item.text,
        keyboard(item.items.map((entry) => [entry.url ? { text: entry.label, url: entry.url } : { text: entry.label, callback_data: menuPayload(entry.id) }])),
      );
    case "data":
      return [
        {
          method: "sendDocument",
          body: { chat_id: chatId, caption: texts.exportCaption },
          document: { field: "document", fileName: `${item.data.flow}-data.json`, content: `${JSON.stringify(item.data, null, 2)}\n`, mimeType: "application/json" },
        },
      ];
    case "input":
    case "status":
      return [];
  }
}

function botCommands(language: Language): BotCommand[] {
  const descriptions = channelTexts[language].commands;
  return (Object.keys(descriptions) as (keyof typeof descriptions)[]).map((command) => ({ command, description: descriptions[command] }));
}

export function telegramChannel(options: TelegramOptions): Channel {
  return {
    name: "telegram",
    verify: (_rawBody, headers) => verifyTelegramSecret(headers, options.webhookSecret),
    parse(body, ignored = () => undefined) {
      if (!isRecord(body) || typeof body.update_id !== "number") return [];
      const update = body as unknown as Update;
      const dedupeKey = String(update.update_id);
      const order = update.update_id;
      if ("callback_query" in update && isRecord(update.callback_query)) {
        const query = update.callback_query;
        const chat = isRecord(query.message) && isRecord(query.message.chat) ? query.message.chat : undefined;
        const chatId = chat ? chat.id : query.from?.id;
        if (chatId === undefined) return [];
        const data = "data" in query && typeof query.data === "string" ? query.data : undefined;
        const sentAt = isRecord(query.message) && typeof query.message.date === "number" ? new Date(query.message.date * 1000).toISOString() : new Date().toISOString();
        // A button under a message in a group (left from before groups were refused) is answered like any group request.
        const input = chat && chat.type !== "private" ? privateChatLink(options.botUsername) : data === undefined ? ({ kind: "unsupported", what: "callback" } as const) : inputFromPayload(data);
        return [{ dedupeKey, channelUserId: String(chatId), order, sentAt, callbackQueryId: String(query.id), input }];
      }
      if ("message" in update && isRecord(update.message)) {
        const message = update.message as unknown as Record<string, unknown>;
        const chat = isRecord(message.chat) ? message.chat : undefined;
        const chatId = chat?.id;
        if (typeof chatId !== "number" && typeof chatId !== "string") return [];
        const service = serviceField(message);
        if (service !== undefined) {
          ignored(`telegram service message (${service})`);
          return [];
        }
        const sentAt = typeof message.date === "number" ? new Date(message.date * 1000).toISOString() : new Date().toISOString();
        if (chat?.type !== "private") {
          // A group is not one data subject: no conversation, only a pointer to a private chat when asked.
          if (!addressesBot(message, options.botUsername)) {
            ignored(`telegram ${String(chat?.type)} message not addressed to the bot`);
            return [];
          }
          return [{ dedupeKey, channelUserId: String(chatId), order, sentAt, input: privateChatLink(options.botUsername) }];
        }
        const text = typeof message.text === "string" ? message.text : undefined;
        const input: DeliveryInput =
          text === undefined ? { kind: "unsupported", what: messageKind(message) } : (commandInput(text) ?? { kind: "event", event: { type: "text", text } });
        const delivery: Delivery = { dedupeKey, channelUserId: String(chatId), order, sentAt, input };
        return [delivery];
      }
      // Edited messages, channel posts, member updates and the rest: acknowledged, not answered.
      ignored(`telegram update (${Object.keys(update).find((key) => key !== "update_id") ?? "empty"})`);
      return [];
    },
    render(items, context) {
      const calls: PlatformCall[] = [];
      // First, so the client's progress indicator stops even when the turn says nothing.
      if (context.callbackQueryId) calls.push({ method: "answerCallbackQuery", body: { callback_query_id: context.callbackQueryId } });
      for (const item of items) calls.push(...renderItem(item, context));
      return calls;
    },
    setup(context) {
      return [
        {
          method: "setWebhook",
          body: { url: context.webhookUrl, secret_token: options.webhookSecret, allowed_updates: [...telegramAllowedUpdates], max_connections: 40 },
        },
        { method: "setMyCommands", body: { commands: botCommands(context.language) } },
        ...(["de", "en"] as const).map((language) => ({ method: "setMyCommands", body: { commands: botCommands(language), language_code: language } })),
        { method: "setChatMenuButton", body: { menu_button: { type: "commands" } } },
      ];
    },
  };
}
