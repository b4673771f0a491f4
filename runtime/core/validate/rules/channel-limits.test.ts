import { describe, expect, it } from "vitest";
import type { ChoiceNode } from "../../dsl/flow.ts";
import { messengerChannels } from "../../channels/channel-table.ts";
import { callbackRequestFlow, check, minimalFlow } from "../test-flow-builder.ts";

const all = messengerChannels;

function choice(labels: string[], values: (string | undefined)[] = []): ChoiceNode {
  const options = labels.map((label, index) => ({ label, next: "done", ...(values[index] === undefined ? {} : { value: values[index] }) }));
  return { type: "choice", text: "Wie kann ich helfen?", options: options as ChoiceNode["options"] };
}

describe("channel-limits", () => {
  it("reports nothing for the reference flow, which fits every messenger", () => {
    expect(check(callbackRequestFlow(), "channel-limits", "en", all)).toEqual([]);
  });

  it("warns about an option title longer than the 20 characters of WhatsApp and Messenger buttons", () => {
    const flow = minimalFlow().with("welcome", choice(["Kurz", "Rückruf zu Ihrem Vertrag anfordern"]));
    expect(check(flow, "channel-limits", "en", all)).toEqual([
      {
        rule: "channel-limits",
        severity: "warning",
        node: "welcome",
        pointer: "/nodes/welcome/options/1/label",
        message: "'Rückruf zu Ihrem Vertrag anfordern' is longer than 20 characters; WhatsApp and Messenger buttons cut it off. Shorten it.",
      },
    ]);
  });

  it("warns about more options than a WhatsApp list (10) and Messenger's quick replies (13) hold", () => {
    const labels = (count: number) => Array.from({ length: count }, (_, index) => `Option ${index + 1}`);
    expect(check(minimalFlow().with("welcome", choice(labels(10))), "channel-limits", "en", all)).toEqual([]);
    expect(check(minimalFlow().with("welcome", choice(labels(11))), "channel-limits", "en", all).map((problem) => problem.message)).toEqual([
      "'welcome' offers 11 options; WhatsApp show at most 10 as buttons, so the bot lists them as numbers to type there. Split the question in two.",
    ]);
    expect(check(minimalFlow().with("welcome", choice(labels(14))), "channel-limits", "de", all).map((problem) => problem.message)).toEqual([
      "'welcome' bietet 14 Optionen; WhatsApp, Messenger zeigen höchstens 13 als Schaltflächen, dort werden sie als Nummern zum Eintippen aufgelistet. Teilen Sie die Frage auf.",
    ]);
  });

  it("warns about a value that does not fit Telegram's 64-byte callback data, counting umlauts as two bytes", () => {
    const fits = "ä".repeat(31);
    const tooLong = "ä".repeat(32);
    const flow = minimalFlow().with("welcome", choice(["Ja", "Nein"], [fits, tooLong]));
    expect(check(flow, "channel-limits", "en", all).map((problem) => problem.pointer)).toEqual(["/nodes/welcome/options/1/value"]);
  });

  it("warns about a custom menu label that messenger menus cut off", () => {
    const flow = minimalFlow().menuGoto("welcome", "Unsere Öffnungszeiten im Überblick");
    expect(check(flow, "channel-limits", "en", all).map((problem) => [problem.pointer, problem.severity])).toEqual([["/menu/4/label", "warning"]]);
  });

  it("checks nothing for a flow published to the web only", () => {
    const flow = minimalFlow().with("welcome", choice(["Rückruf zu Ihrem Vertrag anfordern", ..."abcdefghijklmn"]));
    expect(check(flow, "channel-limits")).toEqual([]);
  });

  it("checks only the limits of the messengers the flow is published to", () => {
    const labels = Array.from({ length: 11 }, (_, index) => `Option ${index + 1}`);
    const tooMany = minimalFlow().with("welcome", choice(labels));
    expect(check(tooMany, "channel-limits", "en", ["messenger"])).toEqual([]);
    expect(check(tooMany, "channel-limits", "en", ["whatsapp"])).toHaveLength(1);
    const longLabel = minimalFlow().with("welcome", choice(["Ja", "Rückruf zu Ihrem Vertrag anfordern"], ["ja", "ä".repeat(32)]));
    expect(check(longLabel, "channel-limits", "en", ["telegram"]).map((problem) => problem.pointer)).toEqual(["/nodes/welcome/options/1/value"]);
    expect(check(longLabel, "channel-limits", "en", ["messenger"]).map((problem) => problem.pointer)).toEqual(["/nodes/welcome/options/1/label"]);
  });
});
