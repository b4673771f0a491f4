/**
 * Live-chat signals across instances through Redis pub/sub, used instead of PostgreSQL's
 * `LISTEN/NOTIFY` when `REDIS_URL` is set (docs/inbox.md#real-time). One channel per database
 * schema, so several deployments can share a Redis. The instance's own listeners get a signal at
 * once; Redis carries it to the others (its echo back here is dropped by the instance's origin
 * id). Two connections: one publishes, one subscribes (a subscribed Redis connection may do
 * nothing else). Both reconnect on their own and the subscription is renewed; a signal sent
 * while a connection was down is lost, which is why listeners read what they missed from the
 * store. Only the signal goes over the wire: a conversation id, a number, a kind — never content.
 *
 * @example
 * ```ts
 * const signals = new RedisSignals({ url: "redis://127.0.0.1:6379", channel: "botschaft" });
 * signals.subscribe((signal) => …);
 * await signals.listening();
 * ```
 */
import { randomUUID } from "node:crypto";
import { createClient } from "redis";
import { isLiveChatSignal, type LiveChatSignal, LocalSignals, type SignalStore } from "../ports/signals.ts";

export interface RedisSignalsOptions {
  /** `redis://…` or `rediss://…` (TLS). */
  url: string;
  /** Names the pub/sub channel: the database schema, so that deployments sharing a Redis stay apart. */
  channel: string;
  /** Longest pause between attempts to reconnect. */
  maxReconnectMs?: number;
  /** Told when a connection breaks or cannot be made (once per outage and connection); the clients keep trying. */
  onError?: (error: Error) => void;
}

type Client = ReturnType<typeof createClient>;

export class RedisSignals implements SignalStore {
  readonly #local = new LocalSignals();
  readonly #origin = randomUUID();
  readonly #channel: string;
  readonly #publisher: Client;
  readonly #subscriber: Client;
  #connecting: Promise<void> | undefined;
  #closed = false;

  constructor(options: RedisSignalsOptions) {
    this.#channel = `botschaft:${options.channel}:live-chat`;
    const maxReconnectMs = options.maxReconnectMs ?? 2000;
    this.#publisher = createClient({
      url: options.url,
      // Named, so that an operator (and a test) can tell its connections in `CLIENT LIST`.
      name: `botschaft:${options.channel}`,
      // At most once: a signal is dropped rather than queued while Redis is away (listeners catch up from the store).
      disableOfflineQueue: true,
      socket: { reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, maxReconnectMs) },
    });
    this.#subscriber = this.#publisher.duplicate();
    // The subscription is renewed on every reconnect; what was published meanwhile is lost.
    let readyBefore = false;
    this.#subscriber.on("ready", () => {
      if (readyBefore) this.#local.missed();
      readyBefore = true;
    });
    // A client without an error listener crashes the process; a broken connection is retried instead.
    for (const client of [this.#publisher, this.#subscriber]) {
      let told = false;
      client.on("error", (error: Error) => {
        if (!told) options.onError?.(error);
        told = true;
      });
      client.on("ready", () => {
        told = false;
      });
    }
  }

  publish(signal: LiveChatSignal): void {
    this.#local.publish(signal);
    if (this.#closed) return;
    if (!this.#publisher.isReady) {
      void this.listening().catch(() => undefined);
      return;
    }
    void this.#publisher.publish(this.#channel, JSON.stringify({ ...signal, origin: this.#origin })).catch(() => undefined);
  }

  subscribe(listener: (signal: LiveChatSignal) => void, missed?: () => void): () => void {
    void this.listening().catch(() => undefined);
    return this.#local.subscribe(listener, missed);
  }

  /** Connects both clients and subscribes, once; while Redis cannot be reached, the clients keep trying and this waits. */
  listening(): Promise<void> {
    this.#connecting ??= this.#connect().catch((error: unknown) => {
      this.#connecting = undefined;
      throw error;
    });
    return this.#connecting;
  }

  async #connect(): Promise<void> {
    if (this.#closed) return;
    await Promise.all([this.#publisher, this.#subscriber].map((client) => (client.isOpen ? client : client.connect())));
    await this.#subscriber.subscribe(this.#channel, (payload) => this.#received(payload));
  }

  #received(payload: string): void {
    let value: unknown;
    try {
      value = JSON.parse(payload);
    } catch {
      return;
    }
    if (typeof value !== "object" || value === null || (value as { origin?: unknown }).origin === this.#origin) return;
    const { origin: _, ...signal } = value as Record<string, unknown>;
    if (isLiveChatSignal(signal)) this.#local.publish(signal);
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const client of [this.#subscriber, this.#publisher]) {
      if (client.isReady) await client.close().catch(() => undefined);
      else if (client.isOpen) client.destroy();
    }
  }
}
