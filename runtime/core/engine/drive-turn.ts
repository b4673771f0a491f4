/**
 * The one effect loop: a turn's webhook calls are carried out by the caller's handler and each
 * outcome is fed back into `step`, until the conversation waits for the user again. The web
 * API, the messenger channels and the editor's preview all run turns through here, so they
 * cannot disagree about how a turn ends. Pure apart from what the handler does.
 *
 * @example
 * ```ts
 * const turn = await driveTurn(runnable, step(runnable, state, event, context), context, {
 *   callWebhook: (effect) => callWebhookOverHttps(effect),
 * });
 * store(turn.result.state); send(turn.result.messages);
 * ```
 */
import type { Effect, EngineContext, StepResult } from "./conversation.ts";
import type { RunnableFlow } from "./runnable-flow.ts";
import { step } from "./step.ts";

export type CallWebhookEffect = Extract<Effect, { type: "call-webhook" }>;
export type WebhookOutcome = { ok: true; json: unknown } | { ok: false };

export interface TurnHandlers {
  /** Carries out a webhook node's call; the outcome goes back into the engine. */
  callWebhook(effect: CallWebhookEffect): Promise<WebhookOutcome> | WebhookOutcome;
}

/** A webhook's `next` may be another webhook; this bounds the chain in one turn. */
export const maxWebhooksPerTurn = 10;

export interface DrivenTurn {
  /** The state at rest, every message of the turn in order, and the effects left for the caller (handover, erasure). */
  result: StepResult;
  /** Each engine step of the turn, in order: the first step, then one per webhook outcome. */
  steps: StepResult[];
}

export async function driveTurn(runnable: RunnableFlow, first: StepResult, context: EngineContext, handlers: TurnHandlers): Promise<DrivenTurn> {
  const steps = [first];
  const messages = [...first.messages];
  const effects: Effect[] = [];
  let current = first;
  for (let calls = 0; ; calls++) {
    const call = current.effects.find((effect): effect is CallWebhookEffect => effect.type === "call-webhook");
    for (const effect of current.effects) if (effect.type !== "call-webhook") effects.push(effect);
    // Past the bound the call is not made: the conversation keeps waiting for its outcome.
    if (!call || calls === maxWebhooksPerTurn) break;
    const outcome = await handlers.callWebhook(call);
    current = step(runnable, current.state, { type: "webhook-result", node: call.node, result: outcome }, context);
    steps.push(current);
    messages.push(...current.messages);
  }
  return { result: { state: current.state, messages, effects }, steps };
}
