/**
 * The edge of durable deliveries: one attempt is one `callWebhook` — HTTPS only, the SSRF guard
 * on every attempt and every redirect (connections kept alive, but the name resolved and checked each time), Node's TLS trust (so `NODE_EXTRA_CA_CERTS` works), the
 * operator's allow-list — and its result sorted into "taken", "try again" and "give up".
 *
 * - Taken: any 2xx, whatever the body (a receiver need not answer JSON).
 * - Try again: time-outs, connection failures, 408, 425, 429 and 5xx (`Retry-After` is passed on).
 * - Give up at once (the team sees it and can send it again): other statuses, a blocked
 *   (private) address — also behind a redirect —, a non-HTTPS target, too many redirects.
 */
import type { DeliveryOutcome, SendDelivery } from "../../app/deliveries/delivery-worker.ts";
import { type CallWebhookOptions, callWebhook, type WebhookResult } from "./call-webhook.ts";
import { WebhookConnections } from "./webhook-connections.ts";

const retriedStatuses = new Set([408, 425, 429]);

export function deliveryOutcome(result: WebhookResult): DeliveryOutcome {
  if (result.ok) return { ok: true };
  const { reason, status } = result;
  if (status !== undefined && status >= 200 && status <= 299) return { ok: true };
  const error = status === undefined ? reason : `${reason} ${status}`;
  switch (reason) {
    case "timeout":
    case "network":
      return { ok: false, retry: true, error };
    case "http-status": {
      const retry = status !== undefined && (retriedStatuses.has(status) || status >= 500);
      return { ok: false, retry, error, ...(retry && result.retryAfterMs !== undefined ? { retryAfterMs: result.retryAfterMs } : {}) };
    }
    default:
      return { ok: false, retry: false, error };
  }
}

/**
 * Sends delivery attempts over HTTPS with the options every webhook call of the runtime uses,
 * keeping connections to the receivers alive between attempts: a backlog to one receiver costs
 * one TLS handshake, not one per attempt, while every attempt still resolves and checks the
 * receiver's addresses (`WebhookConnections`).
 */
export function deliverOverHttps(options: CallWebhookOptions): SendDelivery {
  const kept: CallWebhookOptions = { ...options, connections: options.connections ?? new WebhookConnections() };
  return async (attempt) =>
    deliveryOutcome(await callWebhook({ url: attempt.url, body: {}, payload: attempt.payload, headers: attempt.headers, timeoutMs: attempt.timeoutMs }, kept));
}
