/**
 * Sends platform calls over HTTPS and classifies the answer for the outbox: sent, retry later
 * (429 with the platform's wait, 5xx, network failure) or failed for good (other 4xx). Tokens
 * travel in the URL path (Telegram's only way) or an Authorization header (Graph), never in
 * logs: the outcome carries status and error code only.
 */
import type { PlatformCall, PlatformClient, SendOutcome } from "../app/messaging/channel.ts";


const timeoutMs = 15_000;

function retryAfterHeader(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function requestBody(call: PlatformCall): { body: string | FormData; headers: Record<string, string> } {
  if (!call.document) return { body: JSON.stringify(call.body), headers: { "content-type": "application/json" } };
  const form = new FormData();
  for (const [name, value] of Object.entries(call.body)) form.append(name, typeof value === "string" ? value : JSON.stringify(value));
  const { field, fileName, content, mimeType } = call.document;
  form.append(field, new Blob([content], { type: mimeType }), fileName);
  return { body: form, headers: {} };
}

async function post(url: string, call: PlatformCall, headers: Record<string, string>): Promise<Response | undefined> {
  const { body, headers: contentHeaders } = requestBody(call);
  try {
    return await fetch(url, { method: "POST", body, headers: { ...contentHeaders, ...headers }, signal: AbortSignal.timeout(timeoutMs) });
  } catch {
    return undefined;
  }
}

async function json(response: Response): Promise<Record<string, unknown>> {
  try {
    const value: unknown = await response.json();
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function classify(status: number, retryAfterMs: number | undefined, code: string | undefined): SendOutcome {
  if (status >= 200 && status < 300) return { ok: true };
  if (status === 429 || status >= 500 || status === 0) return { ok: false, retry: true, status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  return { ok: false, retry: false, status, ...(code === undefined ? {} : { code }) };
}

/** Telegram Bot API: `POST <base>/bot<token>/<method>`; a 429 carries `parameters.retry_after` in seconds. */
export function telegramClient(apiBase: string, token: string): PlatformClient {
  const base = apiBase.replace(/\/+$/, "");
  return {
    async send(call) {
      const response = await post(`${base}/bot${token}/${call.method}`, call, {});
      if (!response) return classify(0, undefined, undefined);
      const answer = await json(response);
      const parameters = answer.parameters as { retry_after?: unknown } | undefined;
      const retryAfter = typeof parameters?.retry_after === "number" ? parameters.retry_after * 1000 : retryAfterHeader(response.headers.get("retry-after"));
      const status = response.ok && answer.ok === false ? Number(answer.error_code ?? 400) : response.status;
      return classify(status, retryAfter, answer.error_code === undefined ? undefined : String(answer.error_code));
    },
  };
}

/** Meta Graph API (WhatsApp Cloud API, Messenger Send and Profile APIs): `POST <base>/<path>` with a Bearer token. */
export function graphClient(apiBase: string, token: string): PlatformClient {
  const base = apiBase.replace(/\/+$/, "");
  return {
    async send(call) {
      const response = await post(`${base}/${call.method}`, call, { authorization: `Bearer ${token}` });
      if (!response) return classify(0, undefined, undefined);
      const answer = response.ok ? {} : await json(response);
      const error = answer.error as { code?: unknown } | undefined;
      return classify(response.status, retryAfterHeader(response.headers.get("retry-after")), error?.code === undefined ? undefined : String(error.code));
    },
  };
}
