/**
 * The inbox's way to messenger users (docs/inbox.md#messengers): the agent's replies and the
 * bot's messages after a hand-back go into the messaging hub's outbox, like the bot's replies to
 * a delivery, so the same order per user, retries, rate limits and platform limits apply. The
 * platforms' reply windows: WhatsApp 24 hours after the user's last message; Messenger 24 hours
 * (its standard messaging window), for a person on the team 7 days with the `HUMAN_AGENT` tag;
 * Telegram none.
 *
 * @example
 * ```ts
 * const inbox = new InboxService({ …, messengers: messengerReplies(hub, clock) });
 * ```
 */
import type { ChannelHub } from "../messaging/channel-hub.ts";
import type { InboxMessengers } from "./inbox-service.ts";

export function messengerReplies(hub: Pick<ChannelHub, "channel" | "sendOutside">, clock: () => Date): InboxMessengers {
  /** The window's length for the bot, or for a person (`agent`), in ms; undefined: no limit. */
  const windowMs = (channel: string, from: "agent" | "bot") => {
    const rules = hub.channel(channel);
    return from === "agent" ? (rules?.humanAgentWindowMs ?? rules?.replyWindowMs) : rules?.replyWindowMs;
  };
  const end = (channel: string, lastInboundAt: string, from: "agent" | "bot") => {
    const ms = windowMs(channel, from);
    return ms === undefined ? undefined : new Date(Date.parse(lastInboundAt) + ms).toISOString();
  };
  return {
    replyWindowEnd: end,
    async send(channel, to, messages, { from, lastInboundAt, language }) {
      const standard = windowMs(channel, "bot");
      // After the standard window a person's reply needs the platform's tag for human agents (Messenger).
      const humanAgent = from === "agent" && hub.channel(channel)?.humanAgentWindowMs !== undefined && standard !== undefined && clock().getTime() > Date.parse(lastInboundAt) + standard;
      const notAfter = end(channel, lastInboundAt, from);
      await hub.sendOutside(channel, to, messages, { language, ...(notAfter ? { notAfter } : {}), ...(humanAgent ? { humanAgent } : {}) });
    },
  };
}
