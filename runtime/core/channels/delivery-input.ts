/**
 * What a messenger user's action asks for, before it meets a conversation, and the button
 * payloads and menu keywords that encode it. Shared by the channel translators (which parse
 * payloads) and the validator's `channel-limits` rule (which measures them).
 */
import type { EngineEvent } from "../engine/conversation.ts";

/** What a delivery asks for, before it meets a conversation. */
export type DeliveryInput =
  | { kind: "event"; event: EngineEvent }
  /** Telegram `/start`, Messenger's Get Started: start the conversation (again, once it has ended). */
  | { kind: "start" }
  /** `/menu` or the keyword "Menü": show the main menu. */
  | { kind: "show-menu" }
  /** A sticker, image, location or a type we do not know: answered politely, changes nothing. */
  | { kind: "unsupported"; what: string }
  /**
   * Someone addressed the bot in a group (docs/channels.md#groups): a group is not one data
   * subject, so the bot only points to a private chat (`link`, when the bot's address is known)
   * and starts no conversation.
   */
  | { kind: "private-only"; link?: string };

/** Choice payloads: `c:<value>` answers the current question, `m:<item>` opens a menu item, `t:<text>` types a text. */
export function choicePayload(value: string): string {
  return `c:${value}`;
}

export function menuPayload(item: string): string {
  return `m:${item}`;
}

export function numberPayload(position: number): string {
  return `t:${position}`;
}

export const getStartedPayload = "GET_STARTED";

/**
 * A button payload back from the platform. Untrusted (the platform relays whatever a client
 * sends): it becomes an ordinary engine event, which the engine checks against the node the
 * conversation waits at, exactly as if the user had typed it.
 */
export function inputFromPayload(payload: string): DeliveryInput {
  if (payload === getStartedPayload) return { kind: "start" };
  if (payload.startsWith("c:")) return { kind: "event", event: { type: "choice", value: payload.slice(2) } };
  if (payload.startsWith("m:")) return { kind: "event", event: { type: "menu", item: payload.slice(2) } };
  if (payload.startsWith("t:")) return { kind: "event", event: { type: "text", text: payload.slice(2) } };
  return { kind: "event", event: { type: "text", text: payload } };
}

const keywords: Record<string, DeliveryInput> = {
  menü: { kind: "show-menu" },
  menu: { kind: "show-menu" },
  hilfe: { kind: "show-menu" },
  help: { kind: "show-menu" },
  datenschutz: { kind: "event", event: { type: "menu", item: "privacy" } },
  privacy: { kind: "event", event: { type: "menu", item: "privacy" } },
  impressum: { kind: "event", event: { type: "menu", item: "imprint" } },
  imprint: { kind: "event", event: { type: "menu", item: "imprint" } },
  daten: { kind: "event", event: { type: "menu", item: "my-data" } },
  "meine daten": { kind: "event", event: { type: "menu", item: "my-data" } },
  "my data": { kind: "event", event: { type: "menu", item: "my-data" } },
  mydata: { kind: "event", event: { type: "menu", item: "my-data" } },
  stop: { kind: "event", event: { type: "menu", item: "unsubscribe" } },
  stopp: { kind: "event", event: { type: "menu", item: "unsubscribe" } },
  abmelden: { kind: "event", event: { type: "menu", item: "unsubscribe" } },
  unsubscribe: { kind: "event", event: { type: "menu", item: "unsubscribe" } },
  start: { kind: "start" },
};

/** The German and English menu keywords of WhatsApp and Messenger ("Menü", "Daten", "stop", …); exact words only. */
export function inputFromText(text: string): DeliveryInput {
  const word = text.trim().toLowerCase().replace(/[.!]+$/, "");
  // Own keys only: "constructor" typed by a user is text, not `Object.prototype.constructor`.
  return (Object.hasOwn(keywords, word) ? keywords[word] : undefined) ?? { kind: "event", event: { type: "text", text } };
}

/** The keywords as docs/channels.md#before-you-start and the menu hint list them. */
export const keywordList = Object.keys(keywords);
