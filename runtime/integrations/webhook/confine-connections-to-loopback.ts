/**
 * Test support: a safety net under the webhook tests. They feed the SSRF guard private,
 * metadata and public addresses; should the guard ever regress, the test must fail here, on
 * this machine, instead of sending a packet to 10.0.0.5 or 169.254.169.254 (this workplace
 * allows test traffic to loopback only, and a leak would also hide the regression as a timeout).
 */
import type { LookupAddress } from "node:dns";
import { isIP, type LookupFunction } from "node:net";
import tls from "node:tls";
import { vi } from "vitest";

const realConnect = tls.connect;

/**
 * Spies on `tls.connect` (which `https.request` uses for every connection) and lets a
 * connection through only to a loopback address: a literal target elsewhere throws at once, and
 * the lookup the code under test passes is wrapped so that an answer it lets through is turned
 * into an error before Node connects. Undo with `vi.restoreAllMocks()`.
 *
 * @returns the spy, to assert whether a connection was attempted at all.
 */
export function confineConnectionsToLoopback() {
  return vi.spyOn(tls, "connect").mockImplementation((...args: unknown[]) => {
    const [options] = args;
    if (typeof options !== "object" || options === null) throw new Error("unexpected tls.connect call");
    const host = "host" in options && typeof options.host === "string" ? options.host : "localhost";
    if (isIP(host) !== 0 && !isLoopback(host)) throw new Error(`test tried to connect to ${host}`);
    const lookup = "lookup" in options && typeof options.lookup === "function" ? options.lookup : undefined;
    return realConnect({ ...options, ...(lookup === undefined ? {} : { lookup: loopbackOnly(lookup) }) });
  });
}

/** `lookup` is what `tls.connect` received: a `LookupFunction`, seen here only as a function. */
function loopbackOnly(lookup: Parameters<typeof Reflect.apply>[0]): LookupFunction {
  return (hostname, options, callback) => {
    const confined: Parameters<LookupFunction>[2] = (error, address, family) => {
      const addresses = typeof address === "string" ? [address] : address.map((entry: LookupAddress) => entry.address);
      const outside = addresses.find((candidate) => !isLoopback(candidate));
      if (error === null && outside !== undefined)
        callback(new Error(`test tried to connect to ${outside}`), [], family);
      else callback(error, address, family);
    };
    Reflect.apply(lookup, undefined, [hostname, options, confined]);
  };
}

function isLoopback(address: string): boolean {
  return address === "::1" || /^127\.\d+\.\d+\.\d+$/.test(address);
}
