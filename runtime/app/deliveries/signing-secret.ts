/**
 * The installation's delivery signing secret: random, made on first use, kept in the settings
 * sealed under the runtime's key, the same for every instance sharing the store. Receivers
 * check `X-Botschaft-Signature` with it; admins see it (docs/deliveries.md#verifying-a-delivery).
 */
import type { SettingsStore } from "../../stores/ports/settings.ts";
import type { KeyRing } from "../crypto/keys.ts";
import { secureRandomBytes } from "../crypto/random-pool.ts";
import { openSealedJson, sealJson } from "../crypto/sealing.ts";

const settingKey = "delivery-signing-secret";
const context = "setting:delivery-signing-secret";

/** Other instances' rotation (or a race at first use) reaches this one within this time. */
const cacheMs = 30_000;

export class SigningSecret {
  #secret: Promise<string> | undefined;
  #loadedAt = 0;

  constructor(
    private readonly settings: SettingsStore,
    private readonly ring: KeyRing,
  ) {}

  /** The secret, made and stored on first use. */
  get(): Promise<string> {
    if (Date.now() - this.#loadedAt > cacheMs) this.#secret = undefined;
    if (this.#secret) return this.#secret;
    this.#loadedAt = Date.now();
    this.#secret = this.#load().catch((error: unknown) => {
      this.#secret = undefined;
      throw error;
    });
    return this.#secret;
  }

  /** Replaces the secret (after it leaked); receivers need the new one. */
  async rotate(): Promise<string> {
    const secret = secureRandomBytes(32).toString("base64url");
    await this.settings.put(settingKey, sealJson(secret, this.ring, context));
    this.#secret = Promise.resolve(secret);
    return secret;
  }

  async #load(): Promise<string> {
    const stored = await this.settings.get(settingKey);
    if (stored !== undefined) return openSealedJson(stored, this.ring, context) as string;
    await this.settings.put(settingKey, sealJson(secureRandomBytes(32).toString("base64url"), this.ring, context));
    // Read back: of two instances making one at once, the last write wins for both.
    const written = await this.settings.get(settingKey);
    return openSealedJson(written ?? "", this.ring, context) as string;
  }
}
