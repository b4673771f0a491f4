/**
 * Where a webhook may go, judged from its URL alone: HTTPS, and no literal address or metadata
 * name that is not public unless the operator allow-lists it. The validator refuses such flows
 * at publish time and in the editor (docs/rules.md#webhook-address); the runtime checks every
 * hop again before connecting, and every resolved address while connecting
 * (docs/security.md#webhook-calls-ssrf).
 */
import { canonicalHost, isAllowListed } from "./is-allow-listed.ts";
import { isIpLiteral, isPublicAddress } from "./is-public-address.ts";

/**
 * Cloud metadata services' hostnames (GCP, AWS). They resolve to link-local addresses, which the
 * DNS answer check refuses anyway; naming them refuses them even where a local resolver or
 * hosts file maps them elsewhere.
 */
const metadataHostnames = new Set([
  "metadata",
  "metadata.google.internal",
  "metadata.goog",
  "instance-data",
  "instance-data.ec2.internal",
]);

/** Where one hop of a webhook call goes, as far as it can be known before connecting. */
export interface WebhookTarget {
  url: URL;
  /** The host for `https.request`: a name, or an IP address without brackets. */
  hostname: string;
  port: number;
  /** False for allow-listed targets: their resolved addresses are not checked. */
  checkAddresses: boolean;
}

export type TargetCheck = { ok: true; target: WebhookTarget } | { ok: false; reason: "not-https" | "blocked-address" };

/**
 * Checks a webhook URL (the flow's, or a redirect's `Location` against `base`) before any
 * connection: HTTPS only; a literal IP address must be public and a name must not be a metadata
 * service, unless `allowHosts` lets this host and port through. Names are checked again after
 * DNS resolution by the lookup; literal addresses are not, since Node does not resolve them,
 * which is why they are checked here.
 *
 * Decimal, octal and hex IPv4 forms (`https://2130706433/`) are no way around it: the WHATWG
 * URL parser normalises them to `127.0.0.1` first.
 *
 * @example
 * checkTarget("https://169.254.169.254/latest/meta-data/", undefined, []);
 * // { ok: false, reason: "blocked-address" }
 */
export function checkTarget(href: string, base: URL | undefined, allowHosts: readonly string[]): TargetCheck {
  let url: URL;
  try {
    url = new URL(href, base);
  } catch {
    // An unparsable address is no HTTPS address either; no other reason fits it better.
    return { ok: false, reason: "not-https" };
  }
  if (url.protocol !== "https:") return { ok: false, reason: "not-https" };
  const host = canonicalHost(url.hostname);
  const port = url.port === "" ? 443 : Number(url.port);
  const hostname = host.startsWith("[") ? host.slice(1, -1) : host;
  const allowListed = isAllowListed(host, port, allowHosts);
  const blocked = isIpLiteral(hostname) ? !isPublicAddress(hostname) : metadataHostnames.has(host);
  if (blocked && !allowListed) return { ok: false, reason: "blocked-address" };
  return { ok: true, target: { url, hostname, port, checkAddresses: !allowListed } };
}
