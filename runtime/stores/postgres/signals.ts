/**
 * PostgreSQL role: signals across instances with `LISTEN/NOTIFY` on one channel per schema.
 * The instance's own listeners get a signal at once; the NOTIFY carries it to the others (its
 * echo back here is dropped by the instance's origin id). The listening connection is opened on
 * the first `subscribe`, outside the pool, and opened again after it breaks; signals sent while
 * it was down are lost, which is why listeners read what they missed from the store.
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import { isLiveChatSignal, type LiveChatSignal, LocalSignals, type SignalStore } from "../ports/signals.ts";
import type { PgDatabase } from "./database.ts";

export class PostgresSignals implements SignalStore {
  readonly #local = new LocalSignals();
  readonly #origin = randomUUID();
  readonly #channel: string;
  #client: pg.Client | undefined;
  #listening: Promise<void> | undefined;
  /** Whether this instance has listened before: listening again means NOTIFYs may have been missed meanwhile. */
  #listenedBefore = false;
  #closed = false;

  constructor(
    private readonly db: PgDatabase,
    private readonly connection: { connectionString: string; applicationName: string },
    /** How soon a broken listening connection is opened again. */
    private readonly reconnectMs = 500,
  ) {
    this.#channel = `${db.schema}_live_chat`;
  }

  publish(signal: LiveChatSignal): void {
    this.#local.publish(signal);
    if (this.#closed || this.db.closed) return;
    // At most once: a lost NOTIFY is made up for by the listeners' reads from the store.
    void this.db.query("SELECT pg_notify($1, $2)", [this.#channel, JSON.stringify({ ...signal, origin: this.#origin })]).catch(() => undefined);
  }

  subscribe(listener: (signal: LiveChatSignal) => void, missed?: () => void): () => void {
    void this.listening();
    return this.#local.subscribe(listener, missed);
  }

  /** Resolves once this instance listens (tests wait for it before sending from another instance). */
  listening(): Promise<void> {
    this.#listening ??= this.#listen().catch(() => {
      this.#listening = undefined;
      this.#retry();
    });
    return this.#listening;
  }

  async #listen(): Promise<void> {
    if (this.#closed) return;
    const client = new pg.Client({ connectionString: this.connection.connectionString, application_name: `${this.connection.applicationName} (signals)` });
    client.on("notification", (message) => {
      if (message.channel !== this.#channel || !message.payload) return;
      let value: unknown;
      try {
        value = JSON.parse(message.payload);
      } catch {
        return;
      }
      if (typeof value !== "object" || value === null || (value as { origin?: unknown }).origin === this.#origin) return;
      const { origin: _, ...signal } = value as Record<string, unknown>;
      if (isLiveChatSignal(signal)) this.#local.publish(signal);
    });
    client.on("error", () => {
      if (this.#client !== client) return;
      this.#client = undefined;
      this.#listening = undefined;
      void client.end().catch(() => undefined);
      this.#retry();
    });
    await client.connect();
    await client.query(`LISTEN ${this.#channel}`);
    if (this.#closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.#client = client;
    if (this.#listenedBefore) this.#local.missed();
    this.#listenedBefore = true;
  }

  #retry(): void {
    if (this.#closed) return;
    setTimeout(() => void this.listening(), this.reconnectMs).unref();
  }

  async close(): Promise<void> {
    this.#closed = true;
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }
}
