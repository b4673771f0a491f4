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

/** Below PostgreSQL's limit of 8000 bytes for a NOTIFY payload, with room for the envelope. */
const maxPayloadBytes = 7900;

export class PostgresSignals implements SignalStore {
  readonly #local = new LocalSignals();
  readonly #origin = randomUUID();
  readonly #channel: string;
  #client: pg.Client | undefined;
  #listening: Promise<void> | undefined;
  /** Whether this instance has listened before: listening again means NOTIFYs may have been missed meanwhile. */
  #listenedBefore = false;
  #closed = false;
  /** Signals waiting for the next NOTIFY, as JSON. */
  readonly #outgoing: string[] = [];
  #sending = false;

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
    this.#outgoing.push(JSON.stringify(signal));
    if (!this.#sending) void this.#send();
  }

  /**
   * One NOTIFY in flight at a time; the signals published meanwhile go together in the next one
   * (group commit). Each statement wakes a PostgreSQL backend, which on a busy machine costs more
   * than the signal itself: under load many signals share one, while a lone signal leaves at
   * once, alone, in the shape instances of earlier versions read too. At most once: a lost
   * NOTIFY is made up for by the listeners' reads from the store.
   */
  async #send(): Promise<void> {
    this.#sending = true;
    try {
      while (this.#outgoing.length > 0 && !this.#closed && !this.db.closed) {
        const payload = this.#nextPayload();
        await this.db.query("SELECT pg_notify($1, $2)", [this.#channel, payload]).catch(() => undefined);
      }
    } finally {
      this.#sending = false;
    }
  }

  /** The next NOTIFY's payload: the waiting signals that fit under PostgreSQL's limit of 8000 bytes. */
  #nextPayload(): string {
    const first = this.#outgoing.shift() as string;
    if (this.#outgoing.length === 0) return `${first.slice(0, -1)},"origin":"${this.#origin}"}`;
    const batch = [first];
    let bytes = Buffer.byteLength(first) + this.#origin.length + 30;
    while (this.#outgoing.length > 0) {
      const next = this.#outgoing[0] as string;
      const size = Buffer.byteLength(next) + 1;
      if (bytes + size > maxPayloadBytes) break;
      batch.push(next);
      bytes += size;
      this.#outgoing.shift();
    }
    return `{"origin":"${this.#origin}","signals":[${batch.join(",")}]}`;
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
      const { origin: _, signals, ...single } = value as Record<string, unknown>;
      for (const signal of Array.isArray(signals) ? signals : [single]) if (isLiveChatSignal(signal)) this.#local.publish(signal);
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
