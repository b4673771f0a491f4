/**
 * The channel port: what the messenger runtime needs from each platform (Telegram, WhatsApp,
 * Messenger). A channel is a translator around the engine (docs/architecture.md#design-rules): it checks that a
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
import type { DeliveryInput } from "../../core/channels/delivery-input.ts";
import type { MessengerChannel } from "../../core/channels/channel-table.ts";
import type { Language, OutgoingMessage } from "../../core/index.ts";

export type { DeliveryInput };

/** A messenger channel's name (the one list of them is the core's channel table). */
export type ChannelName = MessengerChannel;

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

/** How a platform answered a call, as the outbox needs it: sent, retry later, or failed for good. */
export type SendOutcome =
  | { ok: true }
  | { ok: false; retry: true; status: number; retryAfterMs?: number }
  | { ok: false; retry: false; status: number; code?: string };

/** Sends platform calls (the HTTPS clients live in `runtime/channels/platform-client.ts`). */
export interface PlatformClient {
  send(call: PlatformCall): Promise<SendOutcome>;
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
  /**
   * A person on the team writes after the platform's standard window (Messenger: sent with the
   * `HUMAN_AGENT` message tag, allowed `humanAgentWindowMs` after the user's last message).
   */
  humanAgent?: boolean;
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
  /**
   * Normalised deliveries of a verified payload; events the bot ignores (statuses, echoes,
   * service messages, group chatter, other pages' deliveries) yield none and are reported to
   * `ignored` with a reason that names no user and quotes no text.
   */
  parse(body: unknown, ignored?: (reason: string) => void): Delivery[];
  /** Platform calls for one turn's messages, in sending order. */
  render(items: readonly RenderItem[], context: RenderContext): PlatformCall[];
  /** Calls that register the menu (and, where the platform allows, the webhook). */
  setup(context: SetupContext): PlatformCall[];
  /** How long after the user's message a reply may be sent; undefined when there is no limit. */
  readonly replyWindowMs?: number;
  /** How long after the user's message a person on the team may still answer (`RenderContext.humanAgent`); undefined: as `replyWindowMs`. */
  readonly humanAgentWindowMs?: number;
}
