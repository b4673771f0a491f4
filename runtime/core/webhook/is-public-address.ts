/**
 * Which addresses a webhook may reach: one implementation for the validator (a flow's literal
 * addresses, at publish time and in the editor) and the runtime (every address a call connects
 * to). Pure and browser-safe: ipaddr.js is plain JavaScript, without Node's `net`.
 */
import ipaddr from "ipaddr.js";

/** Every public IPv6 address lies in 2000::/3 (RFC 4291 §2.4, IANA's only global-unicast block). */
const globalUnicastV6 = ipaddr.parseCIDR("2000::/3");
/** NAT64's well-known prefix (RFC 6052): the last 32 bits are the IPv4 address really reached. */
const nat64WellKnown = ipaddr.parseCIDR("64:ff9b::/96");

/**
 * Tells whether a webhook may connect to `address`: true only for public unicast addresses.
 *
 * It allows what is known to be public instead of listing what is not, so a range nobody
 * thought of (reserved, benchmarking, site-local, IPv4-compatible `::a.b.c.d` …) is refused.
 * Refused among others: loopback, RFC 1918 private, link-local (incl. 169.254.169.254, the
 * cloud metadata address), unspecified, CGNAT 100.64/10, multicast, broadcast, unique-local
 * fc00::/7, and IPv6 forms that carry such an IPv4 address (IPv4-mapped, NAT64, 6to4).
 * Anything that is not a plain IP address — a name, a non-canonical form like `0x7f.1` —
 * is refused too: callers classify resolved or URL-normalised addresses only.
 *
 * @example
 * isPublicAddress("93.184.215.14"); // true
 * isPublicAddress("::ffff:127.0.0.1"); // false
 */
export function isPublicAddress(address: string): boolean {
  if (!isIpLiteral(address)) return false;
  const parsed = ipaddr.parse(address);
  if (parsed instanceof ipaddr.IPv4) return parsed.range() === "unicast";
  const embedded = embeddedIPv4(parsed);
  if (embedded !== undefined) return embedded.range() === "unicast";
  return parsed.range() === "unicast" && parsed.match(globalUnicastV6);
}

/**
 * Whether `address` is an IP address in a plain notation: dotted-quad decimal IPv4 or IPv6 (what
 * a URL's hostname or a DNS answer holds). Non-canonical IPv4 forms (`0x7f.1`, `2130706433`) are
 * not: a URL parser normalises them first, and anything else is no address to connect to.
 */
export function isIpLiteral(address: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(address) || (address.includes(":") && ipaddr.IPv6.isValid(address));
}

/** The IPv4 address an IPv6 address stands for, where the packet really goes to that IPv4 host. */
function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const bytes = address.toByteArray();
  const range = address.range();
  if (range === "ipv4Mapped" || range === "rfc6145" || address.match(nat64WellKnown)) {
    return new ipaddr.IPv4(bytes.slice(12));
  }
  // 6to4 (RFC 3056) tunnels to the IPv4 address in bits 16–47.
  if (range === "6to4") return new ipaddr.IPv4(bytes.slice(2, 6));
  return undefined;
}
