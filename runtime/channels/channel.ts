/**
 * The channel port: what the messenger runtime needs from each platform (Telegram, WhatsApp,
 * Messenger). A channel is a translator around the engine (STYLE rule 4): it checks that a
 * delivery is authentic, turns a platform payload into normalised deliveries, and turns the
 * engine's messages into platform API calls within the platform's limits. It holds no flow
 * logic and no state; `channel-hub.ts` runs intake, conversations and the outbox for all of them.
 *
 * @example
 * ```ts
 * const verdict = channel.verify(rawBody, request.headers);
 * if (!verdict.ok) return response.sendStatus(verdict.status);
 * for (const delivery of channel.parse(JSON.parse(rawBody.toString("utf8")))) await hub.accept(channel, delivery);
 * ```
 */
import type { IncomingHttpHeaders } from "node:http";
import type { EngineEvent, Language, OutgoingMessage } from "../core/index.ts";

export type ChannelName = "telegram" | "whatsapp" | "messenger";

export const channelNames: readonly ChannelName[] = ["telegram", "whatsapp", "messenger"];

/** What a delivery asks for, before it meets a conversation. */
export type DeliveryInput =
  | { kind: "event"; event: EngineEvent }
  /** Telegram `/start`, Messenger's Get Started: start the conversation (again, once it has ended). */
  | { kind: "start" }
  /** `/menu` or the keyword "Menü": show the main menu. */
  | { kind: "show-menu" }
  /** A sticker, image, location or a type we do not know: answered politely, changes nothing. */
  | { kind: "unsupported"; what: string };

/** One user action from a webhook payload, normalised. Sealed before it is stored. */
export interface Delivery {
  /** The platform's own id of the delivery (Telegram `update_id`, WhatsApp message id, Messenger `mid`). */
  dedupeKey: string;
  /** The raw id needed to reply (chat id, phone number / wa_id, PSID); never logged, stored only sealed. */
  channelUserId: string;
  /** The platform's order inside one conversation. */
  order: number;
  /** When the user acted (ISO 8601): WhatsApp's 24-hour window runs from here. */
  sentAt: string;
  input: DeliveryInput;
  /** Telegram: the callback query to answer, so the client stops its progress indicator. */
  callbackQueryId?: string;
}

export type Verification = { ok: true } | { ok: false; status: 401 | 403; reason: string };

/** One platform API request: the method (Telegram) or the Graph path, and its JSON body. */
export interface PlatformCall {
  method: string;
  body: Record<string, unknown>;
  /** A file to upload with the call (Telegram `sendDocument`): sent as multipart form data. */
  document?: { field: string; fileName: string; content: string; mimeType: string };
}

/** The main menu as a message of its own (`/menu`, "Menü"). */
export interface MenuMessage {
  type: "menu";
  text: string;
  items: { id: string; label: string; url?: string }[];
}

export type RenderItem = OutgoingMessage | MenuMessage;

export interface RenderContext {
  /** The raw channel user id to reply to. */
  recipient: string;
  language: Language;
  /** A short-lived link to the JSON export, for channels that send a link instead of a file. */
  exportLink?: string;
  /** Telegram: the callback query this turn answers. */
  callbackQueryId?: string;
}

/** What the flow's bot needs registered on the platform: its menu and the webhook. */
export interface SetupContext {
  /** Public HTTPS URL of this channel's webhook route. */
  webhookUrl: string;
  /** The flow's privacy and imprint URLs, for menu items that open them. */
  policyUrl: string;
  imprintUrl: string;
  /** The flow's custom menu items after the four built-ins. */
  customItems: { id: string; label: string }[];
  language: Language;
}

export interface Channel {
  readonly name: ChannelName;
  /** Checks a delivery on the raw bytes as received, in constant time. */
  verify(rawBody: Buffer, headers: IncomingHttpHeaders): Verification;
  /** The GET verification handshake (Meta): the challenge to echo, or undefined to refuse. */
  handshake?(query: Record<string, unknown>): string | undefined;
  /** Normalised deliveries of a verified payload; deliveries the bot ignores (statuses, echoes) yield none. */
  parse(body: unknown): Delivery[];
  /** Platform calls for one turn's messages, in sending order. */
  render(items: readonly RenderItem[], context: RenderContext): PlatformCall[];
  /** Calls that register the menu (and, where the platform allows, the webhook). */
  setup(context: SetupContext): PlatformCall[];
  /** How long after the user's message a reply may be sent; undefined when there is no limit. */
  readonly replyWindowMs?: number;
}

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
  const keyword = keywords[text.trim().toLowerCase().replace(/[.!]+$/, "")];
  return keyword ?? { kind: "event", event: { type: "text", text } };
}

/** The keywords as the README and the menu hint list them. */
export const keywordList = Object.keys(keywords);
