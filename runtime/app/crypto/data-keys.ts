/**
 * Data keys (docs/privacy.md#erasure-by-destroying-keys): every conversation's state is sealed
 * under a random AES-256 key of its own, and messenger payloads in transit under short-lived
 * transient keys. The store keeps a key only wrapped — sealed under the runtime's
 * `data-key-wrapping` key, bound to the key's id — and apart from the data, in the `dataKeys`
 * role. Erasing a conversation destroys its key, so every copy of its states — a journal line,
 * a dead row, WAL, a backup taken afterwards — is ciphertext nobody can open any more, even
 * with the runtime's secret.
 *
 * A value sealed under a data key names the key (`s1.<key id>.…`, the key id being the
 * conversation's id), so `open` finds it; values sealed before data keys existed name a key of
 * the `state-encryption` ring and still open with it.
 *
 * Unwrapped keys of recently used conversations are cached in memory (at most `cacheSize`), so
 * a turn costs no extra store read. Keys for new conversations are made ahead, `readyKeys` at a
 * time in the background (one store write and one sync for all of them), so that starting a
 * conversation waits for no key write of its own.
 */
import { createSecretKey } from "node:crypto";
import type { DataKeyKind, DataKeyRecord, DataKeyStore } from "../../stores/ports/data-keys.ts";
import type { Key, KeyRing } from "./keys.ts";
import { secureRandomBytes } from "./random-pool.ts";
import { openSealedJson, sealedKeyId, sealJson } from "./sealing.ts";

const keyBytes = 32;
const defaultCacheSize = 10_000;
const defaultReadyKeys = 64;

function wrappingContext(id: string): string {
  return `data-key:${id}`;
}

function ringOf(key: Key): KeyRing {
  return { current: key, previous: [] };
}

export interface DataKeysOptions {
  /** Unwrapped keys kept in memory, most recently used first. Default 10,000. */
  cacheSize?: number;
  /** Keys for new conversations made ahead; a new batch is made when half are taken. Default 64. */
  readyKeys?: number;
}

/** A new conversation's id: random and unguessable, 16 bytes in base64url. */
function newConversationId(): string {
  return secureRandomBytes(16).toString("base64url");
}

export class DataKeys {
  readonly #store: DataKeyStore;
  readonly #wrapping: KeyRing;
  readonly #clock: () => Date;
  readonly #cacheSize: number;
  /** In use order: the first entry is the least recently used. */
  readonly #cache = new Map<string, Key>();
  readonly #readyKeys: number;
  /** Durable keys whose ids no conversation has yet. */
  readonly #ready: Key[] = [];
  #making: Promise<void> | undefined;
  #closed = false;

  constructor(store: DataKeyStore, wrapping: KeyRing, clock: () => Date, options: DataKeysOptions = {}) {
    this.#store = store;
    this.#wrapping = wrapping;
    this.#clock = clock;
    this.#cacheSize = options.cacheSize ?? defaultCacheSize;
    this.#readyKeys = options.readyKeys ?? defaultReadyKeys;
  }

  /**
   * The id of a new conversation, whose data key is durable already and usable at once: a key
   * made ahead. Waits only when all of them were taken.
   *
   * @example
   * ```ts
   * const id = await dataKeys.newConversation();
   * const sealedState = dataKeys.seal(state, (await dataKeys.get(id)) as Key, id);
   * ```
   */
  async newConversation(): Promise<string> {
    for (;;) {
      const key = this.#ready.shift();
      if (this.#ready.length <= this.#readyKeys / 2) this.#makeReadyKeys();
      if (key) {
        this.#remember(key);
        return key.id;
      }
      await this.#making;
    }
  }

  #makeReadyKeys(): void {
    if (this.#making || this.#closed) return;
    const made = Array.from({ length: this.#readyKeys - this.#ready.length }, () => this.create(newConversationId(), "conversation"));
    this.#making = Promise.all(made.map(({ key, stored }) => stored.then((created) => created && this.#ready.push(key))))
      .then(() => undefined)
      .finally(() => {
        this.#making = undefined;
      });
    // A failed batch fails the `newConversation` calls waiting for it; the next call tries again.
    this.#making.catch(() => undefined);
  }

  /** Destroys the keys made ahead that no conversation took, so a clean stop leaves none behind. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#making?.catch(() => undefined);
    const unused = this.#ready.splice(0).map((key) => key.id);
    if (unused.length > 0) await this.destroy(unused);
  }

  /**
   * A new key for `id`, usable at once (values may be sealed under it while it is stored);
   * `stored` resolves true once it is durable, and false when `id` had a key already — then
   * `key` is not the id's key and must not be used.
   *
   * @example
   * ```ts
   * const { key, stored } = dataKeys.create(conversationId, "conversation");
   * const sealedState = dataKeys.seal(state, key, conversationId);
   * await Promise.all([stored, conversations.create({ ...record, sealedState })]);
   * ```
   */
  create(id: string, kind: DataKeyKind): { key: Key; stored: Promise<boolean> } {
    const bytes = secureRandomBytes(keyBytes);
    const key: Key = { id, key: createSecretKey(bytes) };
    const record: DataKeyRecord = { id, kind, wrapped: sealJson(bytes.toString("base64url"), this.#wrapping, wrappingContext(id)), createdAt: this.#clock().toISOString() };
    bytes.fill(0);
    this.#remember(key);
    const forget = () => {
      if (this.#cache.get(id) === key) this.#cache.delete(id);
    };
    const stored = this.#store.create(record).then(
      (created) => {
        if (!created) forget();
        return created;
      },
      (error: unknown) => {
        forget();
        throw error;
      },
    );
    return { key, stored };
  }

  /** The key of `id`, or undefined when it was destroyed (or never created). */
  async get(id: string): Promise<Key | undefined> {
    const cached = this.#cache.get(id);
    if (cached) {
      this.#remember(cached);
      return cached;
    }
    const record = await this.#store.get(id);
    if (!record) return undefined;
    const bytes = Buffer.from(openSealedJson(record.wrapped, this.#wrapping, wrappingContext(id)) as string, "base64url");
    const key: Key = { id, key: createSecretKey(bytes) };
    bytes.fill(0);
    this.#remember(key);
    return key;
  }

  /** The key of `id`, created (and durable) first when it has none: how a conversation sealed the old way gets one on its next write. */
  async ensure(id: string, kind: DataKeyKind): Promise<Key> {
    const existing = await this.get(id);
    if (existing) return existing;
    const { key, stored } = this.create(id, kind);
    if (await stored) return key;
    // Another instance created it in the meantime.
    const winner = await this.get(id);
    if (!winner) throw new Error(`the data key ${id} was destroyed while it was created`);
    return winner;
  }

  /** Every stored key of a kind, oldest first. */
  list(kind: DataKeyKind): Promise<DataKeyRecord[]> {
    return this.#store.list(kind);
  }

  /** Destroys keys, erasing the conversations of the same ids with them (see the `dataKeys` role). */
  async destroy(ids: readonly string[]): Promise<void> {
    this.forget(ids);
    await this.#store.destroy(ids);
  }

  /** Drops cached keys, e.g. of a conversation erased through another role. */
  forget(ids: readonly string[]): void {
    for (const id of ids) this.#cache.delete(id);
  }

  /** Seals a JSON value under a data key, bound to `context`; the result names the key. */
  seal(value: unknown, key: Key, context: string): string {
    return sealJson(value, ringOf(key), context);
  }

  /**
   * Opens a value sealed under a data key, or under a key of `legacy` (values sealed before data
   * keys existed). Undefined when its data key was destroyed; throws a `CryptoError` when the
   * value is malformed or fails authentication.
   */
  async open(sealed: string, context: string, legacy: KeyRing): Promise<unknown> {
    const keyId = sealedKeyId(sealed);
    if (keyId === undefined || [legacy.current, ...legacy.previous].some((key) => key.id === keyId)) return openSealedJson(sealed, legacy, context);
    const key = await this.get(keyId);
    return key && openSealedJson(sealed, ringOf(key), context);
  }

  #remember(key: Key): void {
    this.#cache.delete(key.id);
    this.#cache.set(key.id, key);
    if (this.#cache.size <= this.#cacheSize) return;
    const oldest = this.#cache.keys().next().value;
    if (oldest !== undefined) this.#cache.delete(oldest);
  }
}
