import { platformLimits } from "../../channels/channel-table.ts";
import { choicePayload, menuPayload } from "../../channels/delivery-input.ts";
import { isCustomMenuItem, menuItemId } from "../../dsl/flow.ts";
import { nodePointer } from "../flow-graph.ts";
import { message } from "../messages.ts";
import type { UnlocatedProblem } from "../problem.ts";
import type { Rule } from "./rule.ts";

/**
 * Messenger limits a flow should fit (the core's channel table, docs/channels.md#platform-limits),
 * checked at publish time for the messengers the flow is published to (none for a web-only
 * flow), so authors learn before users do: WhatsApp reply buttons and Messenger quick replies
 * cut long titles, WhatsApp lists and Messenger quick replies cap the count, and Telegram's
 * `callback_data` holds a few bytes. The runtime still works beyond them (it truncates, falls
 * back to a list or to numbered options), so these are warnings.
 */
const { telegram: telegramLimits, whatsapp: whatsappLimits, messenger: messengerLimits } = platformLimits;

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
  const titleLimit = Math.min(whatsapp ? whatsappLimits.buttonTitle : Number.POSITIVE_INFINITY, messenger ? messengerLimits.quickReplyTitle : Number.POSITIVE_INFINITY);
  const rowLimit = whatsapp ? whatsappLimits.rows : messenger ? messengerLimits.quickReplies : Number.POSITIVE_INFINITY;
  if (!checksTitles && !telegram) return problems;
  for (const [id, node] of Object.entries(flow.nodes)) {
    if (node.type !== "choice") continue;
    const pointer = `${nodePointer(id)}/options`;
    const count = node.options.length;
    if (count > rowLimit) {
      const overMessenger = messenger && count > messengerLimits.quickReplies;
      const names = [...(whatsapp ? ["WhatsApp"] : []), ...(overMessenger ? ["Messenger"] : [])].join(", ");
      problems.push({
        rule: "channel-limits",
        severity: "warning",
        node: id,
        pointer,
        message: message("channel-limits-count", { node: id, count, limit: overMessenger ? messengerLimits.quickReplies : rowLimit, channels: names }, lang),
      });
    }
    node.options.forEach((option, index) => {
      if (checksTitles && length(option.label) > titleLimit) {
        problems.push({
          rule: "channel-limits",
          severity: "warning",
          node: id,
          pointer: `${pointer}/${index}/label`,
          message: message("channel-limits-title", { label: option.label, limit: titleLimit }, lang),
        });
      }
      const value = option.value ?? option.label;
      // The runtime sends the choice payload as callback data.
      if (telegram && utf8Bytes(choicePayload(value)) > telegramLimits.callbackDataBytes) {
        problems.push({
          rule: "channel-limits",
          severity: "warning",
          node: id,
          pointer: `${pointer}/${index}/${option.value === undefined ? "label" : "value"}`,
          message: message("channel-limits-payload", { label: option.label, limit: telegramLimits.callbackDataBytes - choicePayload("").length }, lang),
        });
      }
    });
  }
  (flow.menu ?? []).forEach((item, index) => {
    if (!isCustomMenuItem(item)) return;
    if (checksTitles && length(item.label) > titleLimit) {
      problems.push({ rule: "channel-limits", severity: "warning", pointer: `/menu/${index}/label`, message: message("channel-limits-title", { label: item.label, limit: titleLimit }, lang) });
    }
    if (telegram && utf8Bytes(menuPayload(menuItemId(item))) > telegramLimits.callbackDataBytes) {
      problems.push({ rule: "channel-limits", severity: "warning", pointer: `/menu/${index}`, message: message("channel-limits-payload", { label: item.label, limit: telegramLimits.callbackDataBytes - choicePayload("").length }, lang) });
    }
  });
  return problems;
};
