/**
 * Transient keys: the data keys that seal messenger payloads in transit — pending deliveries
 * (the user's raw id and message) and unsent replies (the recipient's raw id and the text, which
 * may repeat what the user entered) — so that no copy of them stays readable for long
 * (docs/privacy.md#erasure-by-destroying-keys).
 *
 * The hub seals under its current key and starts a new one every `rotationMs`, and at once when
 * a user is erased. A key that is no longer current is destroyed as soon as no stored entry and
 * no write on its way uses it — usually within a second of the last reply sealed under it being
 * sent. From then on every copy of those payloads (journal lines, dead rows, WAL) is ciphertext
 * nobody can open.
 *
 * Instances sharing a store each have their own current key and cannot see each other's writes
 * on their way, so a key another instance made is destroyed only when it is older than twice
 * the rotation period plus a minute: by then its maker has moved on to another.
 */
import { randomBytes } from "node:crypto";
import type { DataKeys } from "../crypto/data-keys.ts";
import type { Key } from "../crypto/keys.ts";

export const defaultTransientKeyRotationMs = 5 * 60_000;
const otherInstancesMarginMs = 60_000;

interface Current {
  key: Key;
  createdAt: number;
  stored: Promise<boolean>;
}

export class TransientKeys {
  readonly #dataKeys: DataKeys;
  readonly #clock: () => Date;
  readonly #rotationMs: number;
  #current: Current | undefined;
  /** Keys this instance made, so it knows nobody else seals under them. */
  readonly #mine = new Set<string>();
  /** Seals whose entry is on its way to the store, by key id. */
  readonly #inFlight = new Map<string, number>();

  constructor(dataKeys: DataKeys, clock: () => Date, rotationMs = defaultTransientKeyRotationMs) {
    this.#dataKeys = dataKeys;
    this.#clock = clock;
    this.#rotationMs = rotationMs;
  }

  /**
   * Runs `write` with the key to seal under now; the key counts as in use until `write` has
   * stored what it sealed, so `retire` cannot destroy it in between.
   *
   * @example
   * ```ts
   * await transientKeys.use((key) => inbox.accept({ ...record, sealedDelivery: dataKeys.seal(delivery, key, context) }));
   * ```
   */
  async use<T>(write: (key: Key) => Promise<T>): Promise<T> {
    let key = await this.#currentKey();
    // Rotated while the key was being stored: `retire` may already count it out.
    while (this.#current?.key !== key) key = await this.#currentKey();
    this.#inFlight.set(key.id, (this.#inFlight.get(key.id) ?? 0) + 1);
    try {
      return await write(key);
    } finally {
      const left = (this.#inFlight.get(key.id) ?? 1) - 1;
      if (left === 0) this.#inFlight.delete(key.id);
      else this.#inFlight.set(key.id, left);
    }
  }

  /** The next `use` seals under a new key; the current one is retired once nothing uses it. */
  rotate(): void {
    this.#current = undefined;
  }

  /**
   * Destroys the transient keys nothing uses: not current, no write on its way, not named by
   * the entries `storedInUse` finds (the key ids of the pending deliveries and replies, read
   * after the in-flight writes were taken into account). Resolves with how many keys remain to
   * be retired once their entries are done.
   */
  async retire(storedInUse: () => Promise<ReadonlySet<string>>): Promise<number> {
    const now = this.#clock().getTime();
    // A key that outlived its period goes even when the hub is idle and nothing rotated it.
    if (this.#current && now - this.#current.createdAt >= this.#rotationMs) this.#current = undefined;
    const current = this.#current?.key.id;
    const candidates = (await this.#dataKeys.list("transient")).filter(
      (record) => record.id !== current && (this.#mine.has(record.id) || now - Date.parse(record.createdAt) > 2 * this.#rotationMs + otherInstancesMarginMs),
    );
    if (candidates.length === 0) return 0;
    // Taken before the stored entries are read: a write that ends in between is then in what is read.
    const writing = new Set(this.#inFlight.keys());
    const stored = await storedInUse();
    const unused = candidates.filter((record) => !writing.has(record.id) && !stored.has(record.id)).map((record) => record.id);
    if (unused.length > 0) await this.#dataKeys.destroy(unused);
    for (const id of unused) this.#mine.delete(id);
    return candidates.length - unused.length;
  }

  async #currentKey(): Promise<Key> {
    const now = this.#clock().getTime();
    if (!this.#current || now - this.#current.createdAt >= this.#rotationMs) {
      const id = `transient-${randomBytes(16).toString("base64url")}`;
      const { key, stored } = this.#dataKeys.create(id, "transient");
      this.#mine.add(id);
      this.#current = { key, createdAt: now, stored };
    }
    const current = this.#current;
    try {
      if (!(await current.stored)) throw new Error(`the transient key ${current.key.id} exists already`);
    } catch (error) {
      if (this.#current === current) this.#current = undefined;
      throw error;
    }
    return current.key;
  }
}
