import type { Effect } from "../../core/index.ts";

/** Carries out a webhook node's call; the outcome goes back into the engine. */
export type WebhookCall = (effect: Extract<Effect, { type: "call-webhook" }>) => Promise<{ ok: true; json: unknown } | { ok: false }>;
