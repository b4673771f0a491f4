import { describe, expect, it } from "vitest";
import type { Flow } from "../dsl/flow.ts";
import { checkFlowValue } from "../validate/validate-flow.ts";
import type { EngineContext } from "./conversation.ts";
import { type CallWebhookEffect, driveTurn, maxWebhooksPerTurn, type WebhookOutcome } from "./drive-turn.ts";
import { prepareFlow } from "./runnable-flow.ts";
import { startConversation } from "./step.ts";

const context: EngineContext = { now: "2026-11-22T10:00:00.000Z", hashText: (text) => `hash of ${text}` };

const privacy = {
  controller: { name: "Muster GmbH", address: "Musterstraße 1, 10115 Berlin", email: "datenschutz@muster.example" },
  policyUrl: "https://muster.example/datenschutz",
  imprintUrl: "https://muster.example/impressum",
  retention: "P30D",
};

/** A flow of `count` webhooks in a row, each with an error branch, ending in a handover. */
function webhookChain(count: number): Flow {
  const nodes: Record<string, unknown> = {};
  for (let index = 0; index < count; index++) {
    nodes[`call-${index}`] = {
      type: "webhook",
      url: `https://api.muster.example/${index}`,
      sends: [],
      next: index + 1 < count ? `call-${index + 1}` : "human",
      error: "sorry",
    };
  }
  nodes.human = { type: "handover", text: "Ein Mensch übernimmt.", next: "done" };
  nodes.sorry = { type: "message", text: "Das ging schief.", next: "done" };
  nodes.done = { type: "end" };
  const value = { flow: "chain", title: "Kette", language: "de", privacy, menu: ["privacy", "imprint", "my-data", "unsubscribe"], start: "call-0", nodes };
  const { flow, problems } = checkFlowValue(value, { expectedId: "chain" });
  if (!flow) throw new Error(JSON.stringify(problems));
  return flow;
}

describe("driveTurn, the one effect loop", () => {
  it("feeds each webhook outcome back into the engine until the conversation rests", async () => {
    const runnable = prepareFlow(webhookChain(3), "v1");
    const called: string[] = [];
    const turn = await driveTurn(runnable, startConversation(runnable, { channel: "web" }, context), context, {
      callWebhook: (effect: CallWebhookEffect): WebhookOutcome => {
        called.push(effect.node);
        return { ok: true, json: {} };
      },
    });
    expect(called).toEqual(["call-0", "call-1", "call-2"]);
    expect(turn.steps).toHaveLength(4);
    expect(turn.result.state.waiting).toBe("handover");
    expect(turn.result.effects.map((effect) => effect.type)).toEqual(["request-handover"]);
    expect(turn.result.messages).toEqual(turn.steps.flatMap((result) => result.messages));
  });

  it("takes a failed outcome down the error branch", async () => {
    const runnable = prepareFlow(webhookChain(2), "v1");
    const turn = await driveTurn(runnable, startConversation(runnable, { channel: "web" }, context), context, {
      callWebhook: async () => ({ ok: false }),
    });
    expect(turn.result.messages).toContainEqual({ type: "text", text: "Das ging schief." });
    expect(turn.result.state.waiting).toBe("ended");
  });

  it(`stops after ${maxWebhooksPerTurn} chained calls and leaves the conversation waiting for the next outcome`, async () => {
    const runnable = prepareFlow(webhookChain(maxWebhooksPerTurn + 2), "v1");
    let calls = 0;
    const turn = await driveTurn(runnable, startConversation(runnable, { channel: "web" }, context), context, {
      callWebhook: () => {
        calls += 1;
        return { ok: true, json: {} };
      },
    });
    expect(calls).toBe(maxWebhooksPerTurn);
    expect(turn.result.state.waiting).toBe("webhook");
    expect(turn.result.state.node).toBe(`call-${maxWebhooksPerTurn}`);
    expect(turn.result.effects).toEqual([]);
  });
});
