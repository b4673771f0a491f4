/**
 * The edge of integration presets (docs/deliveries.md#integrations): a durable delivery whose
 * body is a preset's call (`{"$integration": …}`, made by the core) goes to the provider in its
 * own shape — Brevo's and CleverReach's APIs with the key of the named secret, e-mail through the
 * runtime's SMTP server — and its outcome is sorted into "taken", "try again" and "give up" like
 * a webhook's. Every other delivery goes on to the plain HTTPS sender unchanged.
 *
 * The delivery worker stays as it is: retries, claims, the failed list and erasure work for
 * preset deliveries as for any other.
 */
import type { DeliveryAttempt, DeliveryOutcome, SendDelivery } from "../../app/deliveries/delivery-worker.ts";
import { type IntegrationCall, integrationKey, presetApiRoots } from "../../core/index.ts";
import { type CallWebhookOptions, callWebhook } from "../webhook/call-webhook.ts";
import { deliveryOutcome } from "../webhook/deliver-webhook.ts";

/** A team e-mail of the `email` preset. */
export interface PresetMail {
  to: readonly string[];
  subject: string;
  text: string;
  replyTo?: string;
}

/** Sends a preset's e-mail; rejects with nodemailer's error (`responseCode` on an SMTP answer) when it was not taken. */
export type SendPresetMail = (mail: PresetMail) => Promise<void>;

export interface IntegrationOptions {
  /** `BOTSCHAFT_API_KEY_<name>` by name. */
  secrets: Readonly<Record<string, string>>;
  /** The runtime's mail server (`BOTSCHAFT_SMTP_URL`); without it an e-mail preset fails, shown to the team. */
  sendMail?: SendPresetMail;
  /** The providers' API roots; default the real ones (`presetApiRoots`). */
  apiRoots?: { brevo?: string; cleverreach?: string };
  https: CallWebhookOptions;
}

const prefix = `{"${integrationKey}":`;

/** Wraps the HTTPS sender: preset deliveries go to their provider, the rest to `next`. */
export function sendWithIntegrations(next: SendDelivery, options: IntegrationOptions): SendDelivery {
  return (attempt) => {
    if (!attempt.payload.startsWith(prefix)) return next(attempt);
    let call: IntegrationCall;
    try {
      call = (JSON.parse(attempt.payload) as Record<string, IntegrationCall>)[integrationKey] as IntegrationCall;
    } catch {
      return Promise.resolve({ ok: false, retry: false, error: "malformed-integration" });
    }
    switch (call.preset) {
      case "email":
        return sendEmail(call, options);
      case "brevo":
        return sendBrevo(call, attempt, options);
      case "cleverreach":
        return sendCleverReach(call, attempt, options);
      default:
        return Promise.resolve({ ok: false, retry: false, error: "unknown-integration" });
    }
  };
}

function secretOf(name: string, options: IntegrationOptions): string | undefined {
  const value = options.secrets[name];
  return value === undefined || value === "" ? undefined : value;
}

/** A missing key cannot heal by retrying within the hour; the team sets it and sends the delivery again. */
const secretMissing: DeliveryOutcome = { ok: false, retry: false, error: "secret-missing" };

function post(url: string, body: unknown, headers: Record<string, string>, attempt: DeliveryAttempt, options: IntegrationOptions) {
  return callWebhook(
    { url, body: {}, payload: JSON.stringify(body), headers: { accept: "application/json", "idempotency-key": attempt.headers["idempotency-key"] ?? "", ...headers }, timeoutMs: attempt.timeoutMs },
    options.https,
  );
}

/** Brevo: `POST /contacts/doubleOptinConfirmation` with the `api-key` header; Brevo mails the confirmation link. */
async function sendBrevo(call: Extract<IntegrationCall, { preset: "brevo" }>, attempt: DeliveryAttempt, options: IntegrationOptions): Promise<DeliveryOutcome> {
  const key = secretOf(call.secret, options);
  if (key === undefined) return secretMissing;
  const root = options.apiRoots?.brevo ?? presetApiRoots.brevo;
  return deliveryOutcome(await post(`${root}/contacts/doubleOptinConfirmation`, call.contact, { "api-key": key }, attempt, options));
}

/**
 * CleverReach: the receiver is added to the group inactive (`409`, already there, is fine: a
 * retry after the second request failed, or a returning subscriber), then the form's double
 * opt-in mail is sent, which activates the receiver when they click its link.
 */
async function sendCleverReach(call: Extract<IntegrationCall, { preset: "cleverreach" }>, attempt: DeliveryAttempt, options: IntegrationOptions): Promise<DeliveryOutcome> {
  const token = secretOf(call.secret, options);
  if (token === undefined) return secretMissing;
  const root = options.apiRoots?.cleverreach ?? presetApiRoots.cleverreach;
  const authorization = { authorization: `Bearer ${token}` };
  const receiver = { ...call.receiver, registered: Math.floor(Date.now() / 1000) };
  const added = await post(`${root}/groups.json/${call.groupId}/receivers`, receiver, authorization, attempt, options);
  if (!(!added.ok && added.reason === "http-status" && added.status === 409)) {
    const outcome = deliveryOutcome(added);
    if (!outcome.ok) return outcome;
  }
  return deliveryOutcome(await post(`${root}/forms.json/${call.formId}/send/activate`, call.activation, authorization, attempt, options));
}

/** SMTP: a 5xx answer is final, a 4xx one or a connection failure is tried again. */
async function sendEmail(call: Extract<IntegrationCall, { preset: "email" }>, options: IntegrationOptions): Promise<DeliveryOutcome> {
  if (!options.sendMail) return { ok: false, retry: false, error: "mail-not-configured" };
  try {
    await options.sendMail({ to: call.to, subject: call.subject, text: call.text, ...(call.replyTo ? { replyTo: call.replyTo } : {}) });
    return { ok: true };
  } catch (error) {
    const code = (error as { responseCode?: unknown }).responseCode;
    if (typeof code === "number") return { ok: false, retry: code < 500, error: `smtp ${code}` };
    return { ok: false, retry: true, error: "network" };
  }
}
