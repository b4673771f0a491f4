/**
 * Telegram Bot API channel (docs/channels.md#telegram-protocol): `X-Telegram-Bot-Api-Secret-Token` on every
 * webhook, one `Update` per request deduplicated by `update_id`, inline keyboards with
 * `callback_data` of at most 64 bytes (untrusted: it becomes an ordinary engine event), texts
 * split at 4096, `answerCallbackQuery` for every button press, the export as a JSON document,
 * and `/menu /privacy /imprint /mydata /stop` registered with `setMyCommands` in German and English.
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
    parse(body) {
      if (!isRecord(body) || typeof body.update_id !== "number") return [];
      const update = body as unknown as Update;
      const dedupeKey = String(update.update_id);
      const order = update.update_id;
      if ("callback_query" in update && isRecord(update.callback_query)) {
        const query = update.callback_query;
        const chat = isRecord(query.message) && isRecord(query.message.chat) ? query.message.chat.id : query.from?.id;
        if (chat === undefined) return [];
        const data = "data" in query && typeof query.data === "string" ? query.data : undefined;
        const sentAt = isRecord(query.message) && typeof query.message.date === "number" ? new Date(query.message.date * 1000).toISOString() : new Date().toISOString();
        return [
          {
            dedupeKey,
            channelUserId: String(chat),
            order,
            sentAt,
            callbackQueryId: String(query.id),
            input: data === undefined ? { kind: "unsupported", what: "callback" } : inputFromPayload(data),
          },
        ];
      }
      if ("message" in update && isRecord(update.message)) {
        const message = update.message as unknown as Record<string, unknown>;
        const chat = isRecord(message.chat) ? message.chat.id : undefined;
        if (typeof chat !== "number" && typeof chat !== "string") return [];
        const sentAt = typeof message.date === "number" ? new Date(message.date * 1000).toISOString() : new Date().toISOString();
        const text = typeof message.text === "string" ? message.text : undefined;
        const input: DeliveryInput =
          text === undefined ? { kind: "unsupported", what: messageKind(message) } : (commandInput(text) ?? { kind: "event", event: { type: "text", text } });
        const delivery: Delivery = { dedupeKey, channelUserId: String(chat), order, sentAt, input };
        return [delivery];
      }
      // Edited messages, member updates and the rest: acknowledged, not answered.
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
