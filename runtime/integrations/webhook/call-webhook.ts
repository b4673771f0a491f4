/**
 * The webhook edge: carries out the engine's `call-webhook` effect — one HTTPS POST of the
 * fields a webhook node `sends` — with the SSRF guard every outbound call of Botschaft needs
 * (docs/security.md#webhook-calls-ssrf), and reports a result the engine can branch on.
 * Mapping reply values into fields is the engine's job; this module only fetches the JSON.
 */
import type { LookupAddress } from "node:dns";
import { lookup as dnsLookup } from "node:dns/promises";
import type { IncomingMessage, OutgoingHttpHeaders } from "node:http";
import { isIP } from "node:net";
import https from "node:https";
import { createSecureContext, rootCertificates, type SecureContext } from "node:tls";
import { BlockedAddressError } from "./blocked-address-error.ts";
import { checkTarget, isPublicAddress, type WebhookTarget } from "../../core/index.ts";
import { createCheckedLookup, type ResolveHost } from "./create-checked-lookup.ts";
import type { WebhookConnections } from "./webhook-connections.ts";

/** The parts of the engine's `call-webhook` effect this edge needs; the effect itself fits. */
export interface WebhookRequest {
  url: string;
  /** The node's `sends` fields; the only data that leaves the bot. */
  body: Readonly<Record<string, string | number | boolean>>;
  /** Budget for the whole call: DNS, connect, TLS, every redirect and the reply body. */
  timeoutMs: number;
  /** The exact JSON text to post instead of `body` serialised (a durable delivery signs these bytes). */
  payload?: string;
  /** Extra headers of the POST (`Idempotency-Key`, the signature); not sent on a redirect that turns into a GET. */
  headers?: Readonly<Record<string, string>>;
}

export type WebhookFailureReason =
  | "timeout"
  | "blocked-address"
  | "not-https"
  | "http-status"
  | "too-large"
  | "invalid-json"
  | "network"
  | "too-many-redirects";

/** What goes back to the engine. Never carries the request body: it is personal data. */
export type WebhookResult =
  | { ok: true; status: number; json: unknown }
  | { ok: false; reason: WebhookFailureReason; status?: number; retryAfterMs?: number };

/** Built once from the runtime's configuration; nothing here reads the environment. */
export interface CallWebhookOptions {
  /**
   * `host` or `host:port` patterns (IPv6 in brackets) reached even at a private or loopback
   * address, e.g. an on-premises CRM. Exact matches only.
   */
  allowHosts?: readonly string[];
  /** Reply bodies larger than this are aborted while streaming. Default 256 KiB. */
  maxResponseBytes?: number;
  /** Redirects followed before giving up. Default 3. */
  maxRedirects?: number;
  userAgent: string;
  /** An extra CA trusted on top of Node's roots (a self-signed test server, an internal CA). */
  trustedCa?: string | Buffer;
  /** Resolves a name to all its addresses. Default: the system resolver (`dns.lookup`). */
  lookup?: ResolveHost;
  /**
   * Keeps connections alive between calls (the durable deliveries). Without it every call opens
   * a connection of its own. With it the name is still resolved and checked on every call, and a
   * kept connection is reused only for the same checked answer (see `WebhookConnections`).
   */
  connections?: WebhookConnections;
}

const defaultMaxResponseBytes = 256 * 1024;
const defaultMaxRedirects = 3;
/** The statuses that redirect; 300 and 304 are answers in their own right (as in WHATWG fetch). */
const redirectStatuses = new Set([301, 302, 303, 307, 308]);
const utf8 = new TextDecoder("utf-8", { fatal: true });

const resolveWithSystem: ResolveHost = (hostname) => dnsLookup(hostname, { all: true });
const acceptAnyAddress = (): boolean => true;

let lastContext: { ca: string | Buffer; context: SecureContext } | undefined;

/**
 * A TLS context trusting Node's roots plus `ca` (a `ca` option alone would replace the roots).
 * Parsing the ~150 roots costs tens of milliseconds, so the context for the configured CA is
 * kept; one entry suffices, as the CA comes from configuration and does not change per call.
 */
function contextTrusting(ca: string | Buffer): SecureContext {
  if (lastContext?.ca !== ca) lastContext = { ca, context: createSecureContext({ ca: [...rootCertificates, ca] }) };
  return lastContext.context;
}

interface Redirect {
  redirectTo: string;
  status: number;
}

interface Hop {
  href: string;
  base: URL | undefined;
  method: "POST" | "GET";
  /** The redirect status that led here, reported if this hop is refused as a cross-origin re-POST. */
  status: number | undefined;
}

/**
 * Posts `request.body` as JSON to `request.url` and returns the JSON reply, or why there is none.
 * It never throws for anything the remote side or the URL does; only a malformed `allowHosts`
 * entry (a configuration bug) throws a `TypeError`.
 *
 * - HTTPS only, for the first URL and every redirect target (`not-https`).
 * - SSRF guard: a target must be a public unicast address, checked on the literal address in the
 *   URL and, for names, on every address DNS returns, inside the connection's own lookup so the
 *   address checked is the one connected to. Metadata hostnames are refused by name. Hosts in
 *   `allowHosts` skip these checks (`blocked-address`).
 * - Redirects (301, 302, 303, 307, 308) are followed up to `maxRedirects`
 *   (`too-many-redirects`). 301/302/303 continue with a GET without body, as browsers do.
 *   307/308 repeat the POST with its body only to the origin of the flow's URL: the node's
 *   `processor` names who receives the data (docs/privacy.md#processors-and-third-countries), so a cross-origin 307/308 is refused
 *   (`http-status` with the redirect's status) instead of handing personal data to someone else.
 * - Only `content-type`, `accept`, `user-agent` and framing headers are sent: no cookies, and no
 *   credentials — userinfo in a URL is not turned into an `Authorization` header — so nothing
 *   can follow a redirect to another origin.
 * - `request.timeoutMs` covers the whole call and aborts it (`timeout`); a reply over
 *   `maxResponseBytes` is aborted as soon as it is seen to be (`too-large`); a status outside
 *   2xx is `http-status`; a reply that is not UTF-8 JSON is `invalid-json`, whatever its
 *   content type says; 204 and 205, which have no body by definition, succeed with `json: null`.
 *   Connection, DNS and TLS failures (an untrusted certificate too) are `network`.
 *
 * @example
 * const result = await callWebhook(
 *   { url: "https://crm.muster.example/api/callbacks", body: { name: "Anna" }, timeoutMs: 10_000 },
 *   { userAgent: "Botschaft/0.1", allowHosts: config.webhookAllowHosts },
 * );
 * if (result.ok) engineEvent({ type: "webhook-result", node, result });
 */
export async function callWebhook(request: WebhookRequest, options: CallWebhookOptions): Promise<WebhookResult> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), request.timeoutMs);
  try {
    return await followRedirects(request, options, deadline.signal);
  } finally {
    clearTimeout(timer);
  }
}

async function followRedirects(
  request: WebhookRequest,
  options: CallWebhookOptions,
  deadline: AbortSignal,
): Promise<WebhookResult> {
  const allowHosts = options.allowHosts ?? [];
  const maxRedirects = options.maxRedirects ?? defaultMaxRedirects;
  const payload = request.payload ?? JSON.stringify({ ...request.body });
  let hop: Hop = { href: request.url, base: undefined, method: "POST", status: undefined };
  let origin: string | undefined;
  for (let redirects = 0; ; redirects++) {
    const check = checkTarget(hop.href, hop.base, allowHosts);
    if (!check.ok) return { ok: false, reason: check.reason };
    const { target } = check;
    origin ??= target.url.origin;
    if (hop.method === "POST" && target.url.origin !== origin) {
      return { ok: false, reason: "http-status", status: hop.status };
    }
    const outcome = await exchange(target, hop.method === "POST" ? payload : undefined, options, deadline, request.headers);
    if (!("redirectTo" in outcome)) return outcome;
    if (redirects === maxRedirects) return { ok: false, reason: "too-many-redirects" };
    const keepsMethod = outcome.status === 307 || outcome.status === 308;
    hop = {
      href: outcome.redirectTo,
      base: target.url,
      method: keepsMethod ? hop.method : "GET",
      status: outcome.status,
    };
  }
}

/** One request and its reply; with kept connections, the target's addresses are resolved and checked first. */
async function exchange(
  target: WebhookTarget,
  payload: string | undefined,
  options: CallWebhookOptions,
  deadline: AbortSignal,
  extraHeaders: Readonly<Record<string, string>> = {},
): Promise<WebhookResult | Redirect> {
  const { connections } = options;
  if (connections === undefined) return send(target, payload, options, deadline, extraHeaders, undefined);
  const addresses = await checkedAddresses(target, options, deadline);
  if (!Array.isArray(addresses)) return addresses;
  const secureContext = options.trustedCa === undefined ? undefined : contextTrusting(options.trustedCa);
  const pool = connections.agentFor(target.hostname, target.port, target.checkAddresses, addresses, secureContext);
  return send(target, payload, options, deadline, extraHeaders, pool);
}

/**
 * The addresses of the target, resolved now and each checked (unless the host is allow-listed),
 * or why the call ends here. A literal address is its own answer, checked by `checkTarget`.
 */
async function checkedAddresses(target: WebhookTarget, options: CallWebhookOptions, deadline: AbortSignal): Promise<LookupAddress[] | WebhookResult> {
  const family = isIP(target.hostname);
  if (family !== 0) return [{ address: target.hostname, family }];
  const timedOut = new Promise<"timeout">((resolve) => {
    if (deadline.aborted) resolve("timeout");
    else deadline.addEventListener("abort", () => resolve("timeout"), { once: true });
  });
  try {
    const resolved = await Promise.race([(options.lookup ?? resolveWithSystem)(target.hostname), timedOut]);
    if (resolved === "timeout") return { ok: false, reason: "timeout" };
    if (resolved.length === 0) return { ok: false, reason: "network" };
    if (target.checkAddresses && resolved.some(({ address }) => !isPublicAddress(address))) return { ok: false, reason: "blocked-address" };
    return [...resolved];
  } catch {
    return { ok: false, reason: "network" };
  }
}

/** One request and its reply, ended early on the deadline or an oversized body. */
function send(
  target: WebhookTarget,
  payload: string | undefined,
  options: CallWebhookOptions,
  deadline: AbortSignal,
  extraHeaders: Readonly<Record<string, string>>,
  pool: https.Agent | undefined,
): Promise<WebhookResult | Redirect> {
  return new Promise((resolve) => {
    // A listener added after the abort never hears it: checking first keeps a spent budget from
    // starting a request that nothing would stop.
    if (deadline.aborted) {
      resolve({ ok: false, reason: "timeout" });
      return;
    }
    const headers: OutgoingHttpHeaders = {
      ...(payload === undefined ? {} : extraHeaders),
      accept: "application/json",
      // Node does not decompress; asking for none keeps the size cap a cap on what is parsed.
      "accept-encoding": "identity",
      "user-agent": options.userAgent,
    };
    if (payload !== undefined) {
      headers["content-type"] = "application/json";
      headers["content-length"] = Buffer.byteLength(payload);
    }
    const secureContext = options.trustedCa === undefined ? undefined : contextTrusting(options.trustedCa);
    const request = https.request({
      hostname: target.hostname,
      port: target.port,
      path: `${target.url.pathname}${target.url.search}`,
      method: payload === undefined ? "GET" : "POST",
      headers,
      ...(pool === undefined
        ? {
            // A fresh connection per call, its lookup checking the very addresses it connects to.
            agent: false,
            lookup: createCheckedLookup(options.lookup ?? resolveWithSystem, target.checkAddresses ? isPublicAddress : acceptAnyAddress),
          }
        : // A kept connection to the addresses checked for this call (`checkedAddresses`).
          { agent: pool }),
      ...(secureContext === undefined ? {} : { secureContext }),
    });
    // Resolving twice is harmless (a promise settles once). Destroying ends whatever is left,
    // unless the exchange ended cleanly on a kept connection: that goes back to its pool.
    const settle = (outcome: WebhookResult | Redirect, clean = false): void => {
      deadline.removeEventListener("abort", onDeadline);
      if (!clean || pool === undefined) request.destroy();
      resolve(outcome);
    };
    const onDeadline = (): void => settle({ ok: false, reason: "timeout" });
    request.on("error", (error) =>
      settle({ ok: false, reason: error instanceof BlockedAddressError ? "blocked-address" : "network" }),
    );
    request.on("response", (response) => {
      const maxBytes = options.maxResponseBytes ?? defaultMaxResponseBytes;
      const decided = judgeHead(response, maxBytes);
      if (decided === undefined) readJsonBody(response, response.statusCode ?? 0, maxBytes, settle);
      else if ("ok" in decided && decided.ok) {
        // 204 or 205: no body; reading the (empty) rest frees a kept connection.
        response.resume();
        settle(decided, true);
      } else settle(decided);
    });
    deadline.addEventListener("abort", onDeadline, { once: true });
    request.end(payload);
  });
}

/** The outcome the status line and headers alone decide, if they do. */
function judgeHead(response: IncomingMessage, maxBytes: number): WebhookResult | Redirect | undefined {
  const status = response.statusCode ?? 0;
  const location = response.headers.location;
  if (redirectStatuses.has(status) && location !== undefined) return { redirectTo: location, status };
  if (status < 200 || status > 299) {
    const retryAfterMs = retryAfter(response.headers["retry-after"]);
    return { ok: false, reason: "http-status", status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  }
  if (status === 204 || status === 205) return { ok: true, status, json: null };
  // A declared length over the cap needs no reading; an undeclared one is counted as it streams.
  if (Number(response.headers["content-length"]) > maxBytes) return { ok: false, reason: "too-large", status };
  return undefined;
}

/** `Retry-After` in milliseconds from now: delay-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or malformed. */
export function retryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function readJsonBody(
  response: IncomingMessage,
  status: number,
  maxBytes: number,
  settle: (outcome: WebhookResult, clean?: boolean) => void,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  response.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size > maxBytes) settle({ ok: false, reason: "too-large", status });
    else chunks.push(chunk);
  });
  response.on("end", () => settle(parseJson(status, Buffer.concat(chunks)), true));
  response.on("error", () => settle({ ok: false, reason: "network" }));
}

function parseJson(status: number, bytes: Buffer): WebhookResult {
  try {
    return { ok: true, status, json: JSON.parse(utf8.decode(bytes)) };
  } catch {
    return { ok: false, reason: "invalid-json", status };
  }
}
