import type { CallWebhookEffect, WebhookOutcome } from "../../core/index.ts";

/**
 * Carries out a webhook node's call; the outcome goes back into the engine. `headers` carries
 * the call's `Idempotency-Key`, which the conversation records as the key the processor knows
 * the person by (docs/privacy.md#recipients-told).
 */
export type WebhookCall = (effect: CallWebhookEffect & { headers?: Readonly<Record<string, string>> }) => Promise<WebhookOutcome> | WebhookOutcome;
