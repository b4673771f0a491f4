/**
 * Who follows which live chat, for all the agents' nudge streams of one instance
 * (docs/inbox.md#real-time): each message signal asks whether a stream's agent follows its
 * conversation. Read once per instance, conversation and queue change, not once per stream —
 * twenty agents' streams each asking about the first message of 500 live chats were 10,000 reads
 * in two seconds — and, when the first stream opens, all at once in one read of the queue
 * (`prime`), so the first messages after a start cost no read at all. Once read, an answer is kept
 * as a plain value, so that a message costs a look-up rather than a promise round. A queue change
 * drops what was known (signals are handled one at a time, so no stream decides on a message with
 * what was known before an earlier change); the next message reads it again. A failed read is not
 * kept, and a read of the queue never overwrites what changed while it was under way.
 */
import type { LiveChatAudience } from "../app/inbox/inbox-service.ts";
import type { SignalStore } from "../stores/ports/signals.ts";

/** What the cache needs of the inbox: one live chat's audience, and those of the whole queue. */
export interface AudienceSource {
  audience(conversation: string): Promise<LiveChatAudience | undefined>;
  audiences(): Promise<Map<string, LiveChatAudience>>;
}

type Known = LiveChatAudience | null | Promise<LiveChatAudience | undefined>;

export class InboxAudiences {
  readonly #known = new Map<string, Known>();
  #subscribed = false;
  /** Conversations whose queue changed while the queue was being read; undefined when no read is under way. */
  #changedDuringPrime: Set<string> | undefined;
  #primed = false;

  constructor(
    private readonly source: AudienceSource,
    private readonly signals: SignalStore,
    /** How many conversations are kept at most; the oldest are read again when needed. */
    private readonly limit = 20_000,
  ) {}

  /** The conversation's audience: at once when known, else once read (undefined: no live chat). */
  of(conversation: string): LiveChatAudience | undefined | Promise<LiveChatAudience | undefined> {
    this.#subscribe();
    const value = this.#known.get(conversation);
    if (value !== undefined) return value ?? undefined;
    const asked: Promise<LiveChatAudience | undefined> = this.source.audience(conversation).then(
      (audience) => {
        if (this.#known.get(conversation) === asked) this.#known.set(conversation, audience ?? null);
        return audience;
      },
      () => {
        if (this.#known.get(conversation) === asked) this.#known.delete(conversation);
        return undefined;
      },
    );
    this.#keep(conversation, asked);
    return asked;
  }

  /** Reads the whole queue once (the first time a stream opens, and again after signals may have been missed). */
  async prime(): Promise<void> {
    this.#subscribe();
    if (this.#primed) return;
    this.#primed = true;
    const changed = new Set<string>();
    this.#changedDuringPrime = changed;
    try {
      for (const [conversation, audience] of await this.source.audiences()) {
        // What was asked or changed meanwhile is as fresh as this read, or fresher.
        if (this.#known.has(conversation) || changed.has(conversation)) continue;
        if (this.#known.size >= this.limit) break;
        this.#keep(conversation, audience);
      }
    } catch {
      this.#primed = false;
    } finally {
      if (this.#changedDuringPrime === changed) this.#changedDuringPrime = undefined;
    }
  }

  #keep(conversation: string, value: Known): void {
    if (this.#known.size >= this.limit) this.#known.delete(this.#known.keys().next().value as string);
    this.#known.set(conversation, value);
  }

  #subscribe(): void {
    if (this.#subscribed) return;
    this.#subscribed = true;
    this.signals.subscribe(
      (signal) => {
        if (signal.kind !== "queue") return;
        this.#known.delete(signal.conversation);
        this.#changedDuringPrime?.add(signal.conversation);
      },
      () => {
        this.#known.clear();
        this.#primed = false;
      },
    );
  }
}
