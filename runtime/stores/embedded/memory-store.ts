/**
 * A `ConversationStore` that keeps everything in memory, for tests and previews. It keeps the
 * same rules as the lowdb store (both share `StoreState` and `StateBackedStore`); "durable"
 * here means "applied".
 */
import { type KeyVault, MemoryKeyVault } from "./key-vault.ts";
import { StateBackedStore } from "./state-backed-store.ts";
import { StoreError } from "../ports/store-error.ts";
import { emptyMeta, StoreState } from "./store-state.ts";

export class MemoryStore extends StateBackedStore {
  readonly #state = new StoreState([new Map()], emptyMeta());
  readonly #keys = new MemoryKeyVault();
  #closed = false;

  protected usable(): StoreState {
    if (this.#closed) throw new StoreError("store-closed", "the memory store is closed");
    return this.#state;
  }

  protected keyVault(): KeyVault {
    return this.#keys;
  }

  protected async commit(): Promise<void> {
    // The state applied the change already; nothing outlives the process.
  }

  async close(): Promise<void> {
    this.#closed = true;
  }
}
