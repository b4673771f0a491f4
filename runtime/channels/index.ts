/**
 * The messenger channels, registered in one place: each is enabled when its token is
 * configured, and bound to the one flow its bot runs (a bot is one flow).
 *
 * @example
 * ```ts
 * const channels = channelBindings(config.channels);
 * const hub = new ChannelHub({ store, service, catalog, keys, channels, clock, logger });
 * ```
 */
import { createHmac } from "node:crypto";
import type { ChannelBinding } from "../app/messaging/channel-hub.ts";
import type { ChannelName } from "../app/messaging/channel.ts";
import { messengerChannel } from "./messenger.ts";
import { graphClient, telegramClient } from "./platform-client.ts";
import { telegramChannel } from "./telegram.ts";
import { whatsappChannel } from "./whatsapp.ts";

export interface TelegramConfig {
  botToken: string;
  /** The bot's username (`TELEGRAM_BOT_USERNAME`), for mentions in groups and the link to a private chat. */
  botUsername?: string;
  /** Given to `setWebhook`; derived from the bot token when not configured. */
  webhookSecret: string;
  flow: string;
  apiBase: string;
}

export interface WhatsappConfig {
  accessToken: string;
  appSecret: string;
  verifyToken: string;
  phoneNumberId: string;
  flow: string;
  graphApiBase: string;
}

export interface MessengerConfig {
  pageAccessToken: string;
  /** The page the bot answers for; deliveries for other pages of the same app are dropped. */
  pageId: string;
  appSecret: string;
  verifyToken: string;
  flow: string;
  graphApiBase: string;
}

export interface ChannelsConfig {
  telegram?: TelegramConfig;
  whatsapp?: WhatsappConfig;
  messenger?: MessengerConfig;
}

/** A stable secret for Telegram's webhook header, so restarts and replicas agree (docs/channels.md#telegram-secret-token). */
export function derivedTelegramSecret(botToken: string): string {
  return createHmac("sha256", botToken).update("botschaft telegram webhook").digest("base64url");
}

export function channelBindings(config: ChannelsConfig): Map<ChannelName, ChannelBinding> {
  const bindings = new Map<ChannelName, ChannelBinding>();
  const { telegram, whatsapp, messenger } = config;
  if (telegram) {
    bindings.set("telegram", {
      channel: telegramChannel({ webhookSecret: telegram.webhookSecret, ...(telegram.botUsername ? { botUsername: telegram.botUsername } : {}) }),
      client: telegramClient(telegram.apiBase, telegram.botToken),
      flow: telegram.flow,
    });
  }
  if (whatsapp) {
    bindings.set("whatsapp", {
      channel: whatsappChannel({ appSecret: whatsapp.appSecret, verifyToken: whatsapp.verifyToken, phoneNumberId: whatsapp.phoneNumberId }),
      client: graphClient(whatsapp.graphApiBase, whatsapp.accessToken),
      flow: whatsapp.flow,
    });
  }
  if (messenger) {
    bindings.set("messenger", {
      channel: messengerChannel({ appSecret: messenger.appSecret, verifyToken: messenger.verifyToken, pageId: messenger.pageId }),
      client: graphClient(messenger.graphApiBase, messenger.pageAccessToken),
      flow: messenger.flow,
    });
  }
  return bindings;
}
