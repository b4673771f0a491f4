import { isCustomMenuItem, menuItemId } from "../../dsl/flow.ts";
import { nodePointer } from "../flow-graph.ts";
import { message } from "../messages.ts";
import type { UnlocatedProblem } from "../problem.ts";
import type { Rule } from "./rule.ts";

/**
 * Messenger limits a flow should fit (CHANNELS.md §0.4), checked at publish time for the
 * messengers the flow is published to (none for a web-only flow), so authors learn before
 * users do: WhatsApp reply buttons and Messenger quick replies show titles of at
 * most 20 characters, WhatsApp lists hold at most 10 rows and Messenger at most 13 quick
 * replies, and Telegram's `callback_data` holds 64 bytes. The runtime still works beyond them
 * (it truncates, falls back to a list or to numbered options), so these are warnings.
 */
export const channelLimits = { title: 20, whatsappRows: 10, messengerQuickReplies: 13, callbackDataBytes: 64 } as const;

/** UTF-8 length without TextEncoder's allocation (the core runs in browsers and Node alike). */
function utf8Bytes(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

function length(text: string): number {
  return Array.from(text).length;
}

export const channelLimitsRule: Rule = ({ flow, lang, channels }) => {
  const problems: UnlocatedProblem[] = [];
  const whatsapp = channels.includes("whatsapp");
  const messenger = channels.includes("messenger");
  const telegram = channels.includes("telegram");
  // Buttons of WhatsApp and Messenger cut titles; lists and quick replies cap the count.
  const checksTitles = whatsapp || messenger;
  const rowLimit = whatsapp ? channelLimits.whatsappRows : messenger ? channelLimits.messengerQuickReplies : Number.POSITIVE_INFINITY;
  if (!checksTitles && !telegram) return problems;
  for (const [id, node] of Object.entries(flow.nodes)) {
    if (node.type !== "choice") continue;
    const pointer = `${nodePointer(id)}/options`;
    const count = node.options.length;
    if (count > rowLimit) {
      const overMessenger = messenger && count > channelLimits.messengerQuickReplies;
      const names = [...(whatsapp ? ["WhatsApp"] : []), ...(overMessenger ? ["Messenger"] : [])].join(", ");
      problems.push({
        rule: "channel-limits",
        severity: "warning",
        node: id,
        pointer,
        message: message("channel-limits-count", { node: id, count, limit: overMessenger ? channelLimits.messengerQuickReplies : rowLimit, channels: names }, lang),
      });
    }
    node.options.forEach((option, index) => {
      if (checksTitles && length(option.label) > channelLimits.title) {
        problems.push({
          rule: "channel-limits",
          severity: "warning",
          node: id,
          pointer: `${pointer}/${index}/label`,
          message: message("channel-limits-title", { label: option.label, limit: channelLimits.title }, lang),
        });
      }
      const value = option.value ?? option.label;
      // The runtime sends `c:<value>` as callback data.
      if (telegram && utf8Bytes(`c:${value}`) > channelLimits.callbackDataBytes) {
        problems.push({
          rule: "channel-limits",
          severity: "warning",
          node: id,
          pointer: `${pointer}/${index}/${option.value === undefined ? "label" : "value"}`,
          message: message("channel-limits-payload", { label: option.label, limit: channelLimits.callbackDataBytes - 2 }, lang),
        });
      }
    });
  }
  (flow.menu ?? []).forEach((item, index) => {
    if (!isCustomMenuItem(item)) return;
    if (checksTitles && length(item.label) > channelLimits.title) {
      problems.push({ rule: "channel-limits", severity: "warning", pointer: `/menu/${index}/label`, message: message("channel-limits-title", { label: item.label, limit: channelLimits.title }, lang) });
    }
    if (telegram && utf8Bytes(`m:${menuItemId(item)}`) > channelLimits.callbackDataBytes) {
      problems.push({ rule: "channel-limits", severity: "warning", pointer: `/menu/${index}`, message: message("channel-limits-payload", { label: item.label, limit: channelLimits.callbackDataBytes - 2 }, lang) });
    }
  });
  return problems;
};
