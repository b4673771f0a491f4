/**
 * Store role: signals, the nudges that tell every runtime instance that something changed in a
 * live chat (docs/inbox.md#real-time). A signal names a conversation and what happened, never
 * what was written: a listener reads the change from the store. The embedded stores deliver in
 * the process; PostgreSQL delivers to every instance on the same database (`LISTEN/NOTIFY`), and
 * Redis pub/sub to every instance on the same Redis and schema when `REDIS_URL` is set. One
 * contract suite (`contracts/signals.contract.ts`) runs on each.
 * Delivery is at most once and may be late; listeners that must not miss anything read from
 * the store what came after the last thing they saw.
 *
 * @example
 * ```ts
 * const stop = store.signals.subscribe((signal) => { if (signal.kind === "message") reload(signal.conversation, signal.seq); });
 * store.signals.publish({ kind: "message", conversation, seq: 7 });
 * ```
 */

export type LiveChatSignal =
  /**
   * A message with this sequence number was appended to the conversation's live chat, by `from`
   * (absent in signals of older instances: treat as anyone's) and, for an agent's reply, by which
   * `agent` (the principal's id). The visitor's stream skips the visitor's own messages, and an
   * agent's nudge stream the agent's own replies, without reading the store.
   */
  | { kind: "message"; conversation: string; seq: number; from?: "visitor" | "agent" | "bot"; agent?: string }
  /** The live chat changed state (queued, claimed, handed back, closed, erased). */
  | { kind: "queue"; conversation: string }
  /** Someone is typing. */
  | { kind: "typing"; conversation: string; from: "visitor" | "agent" };

export interface SignalStore {
  /** Sends the signal to every listener of every instance, this one's at once. */
  publish(signal: LiveChatSignal): void;
  /**
   * Listens until the returned function is called. A listener that throws does not stop the
   * others. `missed` is called when signals from other instances may have been lost: the
   * connection that carries them broke and is back (never for the in-process signals). A
   * listener that must not miss anything then reads from the store what it has not seen.
   */
  subscribe(listener: (signal: LiveChatSignal) => void, missed?: () => void): () => void;
  /** Resolves once signals other instances publish reach this instance's listeners (at once for the in-process signals). */
  listening(): Promise<void>;
}

/** Whether a value read from outside (a NOTIFY payload) is a signal. */
export function isLiveChatSignal(value: unknown): value is LiveChatSignal {
  if (typeof value !== "object" || value === null) return false;
  const signal = value as Record<string, unknown>;
  if (typeof signal.conversation !== "string" || signal.conversation.length > 200) return false;
  if (signal.kind === "message") {
    return (
      typeof signal.seq === "number" &&
      Number.isInteger(signal.seq) &&
      (signal.from === undefined || signal.from === "visitor" || signal.from === "agent" || signal.from === "bot") &&
      (signal.agent === undefined || (typeof signal.agent === "string" && signal.agent.length <= 200))
    );
  }
  if (signal.kind === "queue") return true;
  return signal.kind === "typing" && (signal.from === "visitor" || signal.from === "agent");
}

/** Delivers to the listeners of this process; what the embedded stores use, and PostgreSQL for its own instance. */
export class LocalSignals implements SignalStore {
  readonly #listeners = new Set<(signal: LiveChatSignal) => void>();
  readonly #missed = new Set<() => void>();

  publish(signal: LiveChatSignal): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(signal);
      } catch {
        // One broken listener (a closed stream) must not keep the signal from the others.
      }
    }
  }

  subscribe(listener: (signal: LiveChatSignal) => void, missed?: () => void): () => void {
    this.#listeners.add(listener);
    if (missed) this.#missed.add(missed);
    return () => {
      this.#listeners.delete(listener);
      if (missed) this.#missed.delete(missed);
    };
  }

  listening(): Promise<void> {
    return Promise.resolve();
  }

  /** Tells every listener that signals may have been lost (what PostgreSQL's and Redis's signals call once their connection is back). */
  missed(): void {
    for (const listener of [...this.#missed]) {
      try {
        listener();
      } catch {
        // As with signals: one broken listener does not keep the others from reading.
      }
    }
  }
}
