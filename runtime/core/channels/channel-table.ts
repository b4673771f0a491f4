/**
 * The messenger channels Botschaft serves and the platform limits they impose, in one table:
 * the validator's `channel-limits` rule warns about them at publish time and the channel
 * translators (`runtime/channels/`) cut, split and fall back by them at send time. See
 * docs/channels.md#platform-limits for where each number comes from.
 */
export const messengerChannels = ["telegram", "whatsapp", "messenger"] as const;

export type MessengerChannel = (typeof messengerChannels)[number];

/** Every channel a conversation can run on: the web widget and the messengers. */
export type ChannelId = "web" | MessengerChannel;

export function isMessengerChannel(name: string): name is MessengerChannel {
  return (messengerChannels as readonly string[]).includes(name);
}

/**
 * The company behind each messenger platform, and where it is: a recipient of everything a
 * visitor types there (docs/privacy.md#generated-privacy-texts, docs/rules.md#messenger-recipient).
 */
export const messengerPlatforms: Record<MessengerChannel, { platform: string; name: string; country: string }> = {
  whatsapp: { platform: "WhatsApp", name: "Meta Platforms Ireland Ltd.", country: "IE" },
  messenger: { platform: "Facebook Messenger", name: "Meta Platforms Ireland Ltd.", country: "IE" },
  telegram: { platform: "Telegram", name: "Telegram FZ-LLC", country: "AE" },
};

export const platformLimits = {
  /** Message text 4096 characters; `callback_data` 64 bytes; `answerCallbackQuery` text 200. */
  telegram: { text: 4096, callbackDataBytes: 64, callbackAnswer: 200 },
  /** Text 4096, interactive body 1024; ≤ 3 reply buttons of ≤ 20 characters; lists of ≤ 10 rows. */
  whatsapp: { text: 4096, body: 1024, buttons: 3, buttonTitle: 20, rows: 10, rowTitle: 24, rowDescription: 72, footer: 60, listButton: 20 },
  /** Text 2000; ≤ 13 quick replies of ≤ 20 characters; persistent menu ≤ 20 items. */
  messenger: { text: 2000, quickReplies: 13, quickReplyTitle: 20, buttonTitle: 20, persistentMenu: 20 },
} as const satisfies Record<MessengerChannel, Record<string, number>>;
