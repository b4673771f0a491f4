/**
 * Kept-alive HTTPS connections for webhook calls that go out often to the same receivers (the
 * durable deliveries): one TLS handshake per receiver instead of one per attempt, without
 * weakening the SSRF guard.
 *
 * The guard still runs on every attempt: the name is resolved and every address checked before
 * each request. The pool is keyed by what that check decided — the name, the port, whether the
 * addresses were checked (an allow-listed host is not), and the exact set of addresses that
 * passed — and a new connection of a pool may only go to those addresses (its lookup answers
 * with them and resolves nothing). So a kept-alive socket is reused only by an attempt whose own
 * lookup, just now, gave the same checked answer; when DNS changes, the attempt lands in another
 * pool and connects afresh to the address checked for it. TLS stays Node's (its roots plus
 * `NODE_EXTRA_CA_CERTS`, or the configured extra CA on top of them), verified on every new
 * connection; a reused one was verified for the same name when it was opened.
 */
import type { LookupAddress } from "node:dns";
import https from "node:https";
import type { SecureContext } from "node:tls";
import { createCheckedLookup } from "./create-checked-lookup.ts";

/** Receivers whose connections are kept; beyond this, the least recently used pool is dropped. */
const defaultMaxPools = 256;
/**
 * An idle connection is closed after this long: shorter than the 5 s after which Node's own HTTP
 * servers (and many proxies) close idle keep-alive connections, so an attempt rarely picks up a
 * socket the receiver is just closing (that attempt would fail as `network` and be retried).
 */
const idleMs = 4000;

export class WebhookConnections {
  readonly #pools = new Map<string, https.Agent>();
  readonly #maxPools: number;

  constructor(options: { maxPools?: number } = {}) {
    this.#maxPools = options.maxPools ?? defaultMaxPools;
  }

  /**
   * The agent for one checked answer: `addresses` passed the guard for `hostname:port` in this
   * attempt (or the host is allow-listed: `checked` false). Literal addresses come with no
   * lookup and are their own answer.
   */
  agentFor(hostname: string, port: number, checked: boolean, addresses: readonly LookupAddress[], secureContext: SecureContext | undefined): https.Agent {
    const key = JSON.stringify([hostname, port, checked, addresses.map((entry) => `${entry.family}/${entry.address}`).sort()]);
    const known = this.#pools.get(key);
    if (known) {
      // Most recently used last, so the first one is the one to drop.
      this.#pools.delete(key);
      this.#pools.set(key, known);
      return known;
    }
    const answer = [...addresses];
    const agent = new https.Agent({
      keepAlive: true,
      timeout: idleMs,
      // New connections of this pool go to the checked addresses only; nothing is resolved again.
      lookup: createCheckedLookup(async () => answer, () => true),
      ...(secureContext === undefined ? {} : { secureContext }),
    });
    this.#pools.set(key, agent);
    if (this.#pools.size > this.#maxPools) {
      const [oldest] = this.#pools.keys();
      if (oldest !== undefined) this.#drop(oldest);
    }
    return agent;
  }

  /** Receivers with a pool now (tests). */
  get size(): number {
    return this.#pools.size;
  }

  /** Closes every idle connection and forgets the pools; attempts under way finish on theirs. */
  close(): void {
    for (const key of [...this.#pools.keys()]) this.#drop(key);
  }

  #drop(key: string): void {
    const agent = this.#pools.get(key);
    this.#pools.delete(key);
    if (!agent) return;
    // Only the idle ones: a socket still carrying an attempt goes idle in the dropped pool, where nothing takes it up, and closes after `idleMs`.
    for (const sockets of Object.values(agent.freeSockets)) for (const socket of sockets ?? []) socket.destroy();
  }
}
