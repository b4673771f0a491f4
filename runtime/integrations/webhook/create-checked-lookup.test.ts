import type { LookupAddress, LookupOptions } from "node:dns";
import { describe, expect, it } from "vitest";
import { BlockedAddressError } from "./blocked-address-error.ts";
import { createCheckedLookup, type ResolveHost } from "./create-checked-lookup.ts";
import { isPublicAddress } from "../../core/index.ts";

type LookupOutcome = { error: NodeJS.ErrnoException | null; address: string | LookupAddress[]; family?: number };

function answering(addresses: LookupAddress[]): ResolveHost {
  return async () => addresses;
}

/** Runs a lookup the way `net` does and collects what it calls back with. */
function runLookup(resolveHost: ResolveHost, options: LookupOptions, accept = isPublicAddress): Promise<LookupOutcome> {
  const lookup = createCheckedLookup(resolveHost, accept);
  return new Promise((resolve) => {
    lookup("hooks.example", options, (error, address, family) => resolve({ error, address, family }));
  });
}

const publicV4 = { address: "93.184.215.14", family: 4 };
const publicV6 = { address: "2606:2800:21f:cb07:6820:80da:af6b:8b2c", family: 6 };

describe("createCheckedLookup", () => {
  it("answers with the first address when net asks for one", async () => {
    expect(await runLookup(answering([publicV4, publicV6]), {})).toEqual({
      error: null,
      address: "93.184.215.14",
      family: 4,
    });
  });

  it("answers with all addresses when net races the families", async () => {
    expect(await runLookup(answering([publicV4, publicV6]), { all: true })).toEqual({
      error: null,
      address: [publicV4, publicV6],
      family: undefined,
    });
  });

  it.each([
    [6, publicV6],
    ["IPv6", publicV6],
    [4, publicV4],
  ] as const)("keeps to the requested family %s", async (family, expected) => {
    expect(await runLookup(answering([publicV4, publicV6]), { family })).toMatchObject({
      error: null,
      address: expected.address,
    });
  });

  it.each([
    [[{ address: "10.0.0.5", family: 4 }]],
    [[publicV4, { address: "10.0.0.5", family: 4 }]],
    [[{ address: "169.254.169.254", family: 4 }, publicV4]],
    [[publicV6, { address: "::1", family: 6 }]],
    [[{ address: "fd00:ec2::254", family: 6 }]],
  ])("refuses the whole answer when any address is not public: %j", async (addresses) => {
    const outcome = await runLookup(answering(addresses), { all: true });
    expect(outcome.error).toBeInstanceOf(BlockedAddressError);
    expect(outcome.address).toEqual([]);
  });

  it("refuses even when the requested family holds only public addresses", async () => {
    const outcome = await runLookup(answering([publicV4, { address: "::1", family: 6 }]), { family: 4 });
    expect(outcome.error).toBeInstanceOf(BlockedAddressError);
  });

  it("lets every address through when told to accept them all", async () => {
    const loopback = { address: "127.0.0.1", family: 4 };
    expect(await runLookup(answering([loopback]), { all: true }, () => true)).toEqual({
      error: null,
      address: [loopback],
      family: undefined,
    });
  });

  it("reports an empty answer as ENOTFOUND", async () => {
    expect((await runLookup(answering([]), {})).error?.code).toBe("ENOTFOUND");
  });

  it("reports ENOTFOUND when no address has the requested family", async () => {
    expect((await runLookup(answering([publicV4]), { family: 6 })).error?.code).toBe("ENOTFOUND");
  });

  it("passes a resolver failure on", async () => {
    const failure = Object.assign(new Error("queryA ESERVFAIL hooks.example"), { code: "ESERVFAIL" });
    const outcome = await runLookup(() => Promise.reject(failure), {});
    expect(outcome.error).toBe(failure);
  });
});
