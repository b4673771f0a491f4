import type { TurnHandlers } from "../../core/index.ts";

/** Carries out a webhook node's call; the outcome goes back into the engine. */
export type WebhookCall = TurnHandlers["callWebhook"];
