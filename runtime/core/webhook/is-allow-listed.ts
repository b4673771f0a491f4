/** `host`, `host:port` or `[ipv6]:port`; no userinfo, path or whitespace can hide in the host. */
const patternShape = /^(\[[0-9a-fA-F:.]+\]|[^\s:/?#[\]@\\]+)(?::(\d{1,5}))?$/;

/**
 * Tells whether a webhook target may skip the address checks because the operator allowed it:
 * a pattern is `host` (any port) or `host:port`, IPv6 in brackets (`[fd00::1]:8443`). Hosts are
 * compared exactly after the same normalisation URLs get (case, IPv4 forms, trailing dot), so
 * `LOCALHOST.` in a pattern matches `https://localhost/`; there are no wildcards, to keep the
 * exception as narrow as the operator wrote it.
 *
 * @param hostname the target's normalised host as `canonicalHost` returns it.
 * @throws TypeError when a pattern is malformed: a configuration mistake, reported loudly
 *   rather than silently never matching.
 *
 * @example
 * isAllowListed("localhost", 8443, ["localhost:8443"]); // true
 * isAllowListed("localhost", 9443, ["localhost:8443"]); // false
 */
export function isAllowListed(hostname: string, port: number, patterns: readonly string[]): boolean {
  // Every entry is parsed before any is matched, so a bad one fails every call, not only some.
  return patterns.map(parsePattern).some((allowed) => allowed.host === hostname && (allowed.port ?? port) === port);
}

/** The first entry that is no `host[:port]` pattern, for configuration to report at start. */
export function malformedAllowListEntry(patterns: readonly string[]): string | undefined {
  for (const pattern of patterns) {
    try {
      parsePattern(pattern);
    } catch {
      return pattern;
    }
  }
  return undefined;
}

function parsePattern(pattern: string): { host: string; port: number | undefined } {
  const match = patternShape.exec(pattern.trim());
  const host = match?.[1];
  const port = match?.[2] === undefined ? undefined : Number(match[2]);
  if (host === undefined || (port !== undefined && (port < 1 || port > 65_535))) {
    throw new TypeError(`malformed webhook allow-list entry: ${pattern}`);
  }
  return { host: canonicalHost(host), port };
}

/**
 * The form a host is compared in: WHATWG URL normalisation (lower case, punycode, `0x7f.1` →
 * `127.0.0.1`, IPv6 compressed in brackets) without the trailing dot that names the same host.
 *
 * @throws TypeError when `host` is not a valid URL host.
 */
export function canonicalHost(host: string): string {
  return new URL(`https://${host}/`).hostname.replace(/\.$/, "");
}
