/**
 * Plays a transcript's events on the real engine, the way the runtime does: `startConversation`
 * or `step`, then the one effect loop `driveTurn`, whose webhook calls the transcript answers.
 * The clock stands still (a step's `at` moves it) and hashing is SHA-256, so the same events give the same output on
 * every machine and every day.
 */
import { createHash } from "node:crypto";
import {
  type ConversationState,
  driveTurn,
  type EngineContext,
  type RunnableFlow,
  type StepResult,
  startConversation,
  step,
  type WebhookOutcome,
} from "../../core/index.ts";
import { compactTurn } from "./compact-turn.ts";
import type { TranscriptStep } from "./parse-transcript.ts";

export const goldenContext: EngineContext = {
  now: "2026-03-02T09:00:00.000Z",
  hashText: (text) => createHash("sha256").update(text).digest("hex"),
};

const answeredOk: WebhookOutcome = { ok: true, json: {} };

/** A step that cannot be played at all; `index` is the step's position in the transcript. */
export class UnplayableStep extends Error {
  constructor(
    readonly index: number,
    reason: string,
  ) {
    super(reason);
  }
}

export interface PlayedStep {
  out: Record<string, unknown>;
  /** How many webhook calls the driver answered in this turn. */
  webhookCalls: number;
}

/**
 * Plays the steps in order. Throws when a step cannot be played at all: an event before any
 * conversation, or after the conversation was erased (the edges delete it, so the next message
 * would reach no conversation; start a new one instead).
 */
export async function playTranscript(runnable: RunnableFlow, steps: readonly TranscriptStep[]): Promise<PlayedStep[]> {
  const played: PlayedStep[] = [];
  let state: ConversationState | undefined;
  let context = goldenContext;
  for (const [index, current] of steps.entries()) {
    const { event } = current;
    if (current.at) context = { ...goldenContext, now: current.at };
    let first: StepResult;
    if (event.type === "start") {
      first = startConversation(runnable, { channel: event.channel }, context);
    } else if (state) {
      first = step(runnable, state, event, context);
    } else {
      throw new UnplayableStep(index, `no conversation to send the ${event.type} to; start one first`);
    }
    let webhookCalls = 0;
    const turn = await driveTurn(runnable, first, context, {
      callWebhook: () => {
        webhookCalls += 1;
        return current.webhook ?? answeredOk;
      },
    });
    const erased = turn.result.effects.some((effect) => effect.type === "erase-conversation");
    state = erased ? undefined : turn.result.state;
    played.push({ out: compactTurn(turn), webhookCalls });
  }
  return played;
}
