import type { LookupAddress } from "node:dns";
import type { LookupFunction } from "node:net";
import { BlockedAddressError } from "./blocked-address-error.ts";

/** Resolves a hostname to all of its addresses; `dns.promises.lookup` with `all: true` fits. */
export type ResolveHost = (hostname: string) => Promise<readonly LookupAddress[]>;

/**
 * Builds the `lookup` given to `https.request`, so that the address checked is the very address
 * connected to: checking in a separate DNS query before the request would leave a window in
 * which a rebinding DNS server answers "public" first and "127.0.0.1" second.
 *
 * Every resolved address must pass `accept`, not just the one used: a name answering with a
 * public and a private address is refused, since Node may fall back to any of them.
 *
 * @example
 * https.request({ hostname, lookup: createCheckedLookup(resolveHost, isPublicAddress) });
 */
export function createCheckedLookup(resolveHost: ResolveHost, accept: (address: string) => boolean): LookupFunction {
  return (hostname, options, callback) => {
    resolveHost(hostname).then(
      (resolved) => {
        if (resolved.some(({ address }) => !accept(address))) {
          callback(new BlockedAddressError(), []);
          return;
        }
        const family = familyNumber(options.family);
        const usable = family === 0 ? resolved : resolved.filter((entry) => entry.family === family);
        const [first] = usable;
        if (first === undefined) {
          callback(notFound(hostname), []);
        } else if (options.all === true) {
          // Node 20 asks for all addresses when it races IPv4 and IPv6 (autoSelectFamily).
          callback(null, [...usable]);
        } else {
          callback(null, first.address, first.family);
        }
      },
      (error: NodeJS.ErrnoException) => callback(error, []),
    );
  };
}

function familyNumber(family: number | "IPv4" | "IPv6" | undefined): number {
  if (family === "IPv4") return 4;
  if (family === "IPv6") return 6;
  return family ?? 0;
}

function notFound(hostname: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`no usable address for ${hostname}`), { code: "ENOTFOUND" });
}
