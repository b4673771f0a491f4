/**
 * The alternative the benchmark compares `LowdbStore` with (not used by the runtime): no
 * journal, but group commit straight into lowdb shard files. Updates apply in memory and wait
 * for the next round, which rewrites every dirty shard durably (temp file + fsync + rename,
 * one directory sync per round).
 * With one shard it is plain lowdb with its writes batched.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { Low } from "lowdb";
import type { ConversationRecord, ConversationStore } from "../ports/store.ts";
import { DurableJsonFile } from "../embedded/durable-json-file.ts";
import { shardFileCodec } from "../embedded/store-file-formats.ts";
import { syncDirectory } from "../embedded/sync-directory.ts";
import { type ConversationShard, shardIndex } from "../embedded/store-state.ts";

/** What the benchmark uses of a store: reads and compare-and-set updates of conversations. */
export interface UpdateTarget {
  conversations: Pick<ConversationStore, "get" | "update">;
  close(): Promise<void>;
}

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

export class ShardRewriteStore implements UpdateTarget {
  readonly #directory: string;
  readonly #shards: Low<ConversationShard>[];
  #dirty = new Set<number>();
  #waiting: Waiter[] = [];
  #running = false;

  private constructor(directory: string, shards: Low<ConversationShard>[]) {
    this.#directory = directory;
    this.#shards = shards;
  }

  /** A store holding `records`, written once to `shardCount` files under `directory`. */
  static async create(directory: string, shardCount: number, records: Iterable<ConversationRecord>) {
    await mkdir(directory, { recursive: true });
    const shards = Array.from(
      { length: shardCount },
      (_, index) =>
        new Low<ConversationShard>(
          new DurableJsonFile(join(directory, `shard-${index}.json`), shardFileCodec, { syncDirectory: false }),
          new Map(),
        ),
    );
    for (const record of records) shards[shardIndex(record.id, shardCount)]?.data.set(record.id, record);
    await Promise.all(shards.map((shard) => shard.write()));
    await syncDirectory(directory);
    return new ShardRewriteStore(directory, shards);
  }

  #shard(id: string): Low<ConversationShard> {
    const shard = this.#shards[shardIndex(id, this.#shards.length)];
    if (!shard) throw new RangeError(id);
    return shard;
  }

  readonly conversations = {
    get: async (id: string): Promise<ConversationRecord | undefined> => {
      const record = this.#shard(id).data.get(id);
      return record && { ...record };
    },
    update: (next: ConversationRecord): Promise<boolean> => this.#update(next),
  };

  async #update(next: ConversationRecord): Promise<boolean> {
    const shard = this.#shard(next.id);
    if (shard.data.get(next.id)?.revision !== next.revision - 1) return false;
    shard.data.set(next.id, { ...next });
    this.#dirty.add(shardIndex(next.id, this.#shards.length));
    await new Promise<void>((resolve, reject) => {
      this.#waiting.push({ resolve, reject });
      if (!this.#running) {
        this.#running = true;
        setImmediate(() => void this.#run());
      }
    });
    return true;
  }

  async #run(): Promise<void> {
    while (this.#waiting.length > 0) {
      const waiting = this.#waiting.splice(0);
      const dirty = [...this.#dirty];
      this.#dirty.clear();
      try {
        await Promise.all(dirty.map((index) => this.#shards[index]?.write()));
        await syncDirectory(this.#directory);
        for (const waiter of waiting) waiter.resolve();
      } catch (error) {
        for (const waiter of waiting) waiter.reject(error);
      }
    }
    this.#running = false;
  }

  async close(): Promise<void> {}
}
