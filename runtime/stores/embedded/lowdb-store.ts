/**
 * The embedded default store: lowdb files under `<dataDir>/lowdb/`, for exactly one process.
 *
 * Why this shape (measured with `bench/store-bench.ts`): lowdb rewrites a whole
 * file per write, so one file slows down as it grows, and even one small file per shard costs
 * an fsync per dirty file per commit. Instead:
 * - All data lives in memory (`StoreState`); a mutation applies there at once.
 * - Each mutation is appended to a journal with group commit (`GroupCommitJournal`): one
 *   append + fdatasync per round for every writer waiting, whatever the data's size. A
 *   caller's promise resolves only after its round is synced, so a reply sent after
 *   `await updateConversation(…)` survives kill -9 and power loss.
 * - Conversations are spread over `shardCount` lowdb files by a hash of their id; flows and
 *   settings live in `meta.json`. When the journal has grown past `checkpointBytes`, a
 *   background checkpoint rotates the journal, rewrites only the shards changed since the
 *   last one (temp file + fsync + rename) and drops the old journal file.
 * - On start the shard files are read and the remaining journal replayed; changes are whole
 *   records, so replaying one that a shard already holds changes nothing.
 * - Data keys live apart, in `keys/` (`KeyFiles`): erasing a conversation rewrites the key file
 *   that held its key before the deletion is journaled, so the states the journal still holds
 *   can no longer be opened. A checkpoint follows every erasure within `erasureCheckpointMs`, so
 *   the journal lines naming the erased conversation's pseudonym do not wait for the next
 *   size-triggered checkpoint either (docs/running.md#what-erasure-guarantees-on-each-store).
 * - A pid lock file refuses a second process on the same directory.
 */
import { mkdir, readdir, rm, unlink } from "node:fs/promises";
import { join, resolve } from "node:path";
import { Low } from "lowdb";
import { KeyFiles } from "./key-files.ts";
import type { KeyVault } from "./key-vault.ts";
import { StateBackedStore } from "./state-backed-store.ts";
import { DurableJsonFile, type JsonFileCodec, temporaryFileSuffix } from "./durable-json-file.ts";
import {
  GroupCommitJournal,
  listJournals,
  readJournal,
  journalFileName,
  removeJournals,
} from "./group-commit-journal.ts";
import { ProcessLock } from "./process-lock.ts";
import { StoreError } from "../ports/store-error.ts";
import { type MetaFile, metaFileCodec, shardFileCodec } from "./store-file-formats.ts";
import { type ConversationShard, emptyMeta, type StoreChange, StoreState } from "./store-state.ts";
import { syncDirectory } from "./sync-directory.ts";

/** Told to the composition root, which decides how to show it; the store itself never logs. */
export type StoreWarning =
  | { code: "store-large"; bytes: number; limitBytes: number; message: string }
  | { code: "checkpoint-failed"; error: unknown; message: string };

export interface LowdbStoreOptions {
  /** The data directory; the store uses its `lowdb/` subdirectory. Default `data` (relative to the working directory). */
  dataDir?: string;
  /** Number of conversation files, fixed when the directory is first created. Default 64. */
  shardCount?: number;
  /**
   * Journal size that triggers a checkpoint. Default: 32 MiB or half the data size, whichever is
   * larger, so checkpoint writes stay proportional to journal writes and a restart replays at
   * most that much (32 MiB replay in well under a second). A checkpoint re-serialises every
   * changed shard on the event loop and leaves that much garbage for a full GC, so under load a
   * small floor costs turns: 8 MiB meant one every ~3 s at 2k turns/s. Tests set a small fixed
   * value to checkpoint often.
   */
  checkpointBytes?: number;
  /**
   * How soon after an erasure a checkpoint folds the journal, so that no journal file keeps the
   * erased conversation's records (ciphertext nobody can open once its key is gone, but also the
   * pseudonym and the times). Default 10 s: erasures within that time share one checkpoint.
   */
  erasureCheckpointMs?: number;
  /** Data size above which `onWarning` suggests PostgreSQL, at start and once when it is crossed. Default 10 MiB. */
  warnBytes?: number;
  onWarning?: (warning: StoreWarning) => void;
}

export const defaultShardCount = 64;
const defaultCheckpointBytes = 32 * 2 ** 20;
const defaultWarnBytes = 10 * 2 ** 20;
const defaultErasureCheckpointMs = 10_000;
const lockFileName = "process.lock";
const keysDirectoryName = "keys";
const metaFileName = "meta.json";
const shardFileName = /^conversations-\d+\.json$/;

function shardPath(directory: string, index: number): string {
  return join(directory, `conversations-${String(index).padStart(3, "0")}.json`);
}

interface StoredFile<T> {
  file: DurableJsonFile<T>;
  low: Low<T>;
}

/** The checkpoint syncs the directory once after writing all its files, not once per file. */
function storedFile<T>(path: string, codec: JsonFileCodec<T>, initial: T): StoredFile<T> {
  const file = new DurableJsonFile(path, codec, { syncDirectory: false });
  return { file, low: new Low(file, initial) };
}

function mebibytes(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A crash can leave a temporary file of an unfinished shard write; the complete old file is still in place. */
async function removeTemporaryFiles(directory: string): Promise<void> {
  for (const name of await readdir(directory)) {
    if (name.startsWith(".") && name.endsWith(temporaryFileSuffix)) await unlink(join(directory, name));
  }
}

interface LoadedState {
  directory: string;
  lock: ProcessLock;
  state: StoreState;
  shards: StoredFile<ConversationShard>[];
  meta: StoredFile<MetaFile>;
  journal: GroupCommitJournal;
  keys: KeyFiles;
}

export class LowdbStore extends StateBackedStore {
  /** The directory holding the store's files. */
  readonly directory: string;
  readonly #lock: ProcessLock;
  readonly #state: StoreState;
  readonly #shards: readonly StoredFile<ConversationShard>[];
  readonly #meta: StoredFile<MetaFile>;
  readonly #journal: GroupCommitJournal;
  readonly #keys: KeyFiles;
  readonly #checkpointBytes: number | undefined;
  readonly #erasureCheckpointMs: number;
  #erasureCheckpoint: NodeJS.Timeout | undefined;
  /** A checkpoint was asked for while one ran: the changes since its rotation need another. */
  #checkpointAgain = false;
  readonly #warnBytes: number;
  readonly #onWarning: ((warning: StoreWarning) => void) | undefined;
  /** Shards and meta changed since the last checkpoint's rotation: the next checkpoint writes them. */
  #dirtyShards = new Set<number>();
  #metaDirty = false;
  #checkpoint: Promise<void> | undefined;
  #closing: Promise<void> | undefined;
  #warnedLarge = false;

  private constructor(loaded: LoadedState, options: LowdbStoreOptions) {
    super();
    this.directory = loaded.directory;
    this.#lock = loaded.lock;
    this.#state = loaded.state;
    this.#shards = loaded.shards;
    this.#meta = loaded.meta;
    this.#journal = loaded.journal;
    this.#keys = loaded.keys;
    this.#checkpointBytes = options.checkpointBytes;
    this.#erasureCheckpointMs = options.erasureCheckpointMs ?? defaultErasureCheckpointMs;
    this.#warnBytes = options.warnBytes ?? defaultWarnBytes;
    this.#onWarning = options.onWarning;
  }

  /**
   * Opens the store, creating the directory on first use, and recovers what a crash left.
   * Rejects with `store-locked` while another process (or another store in this process) has
   * the directory open, and with `store-corrupt` when a file cannot be read.
   */
  static async open(options: LowdbStoreOptions = {}): Promise<LowdbStore> {
    const { shardCount } = options;
    if (shardCount !== undefined && !(Number.isSafeInteger(shardCount) && shardCount > 0 && shardCount <= 4096)) {
      throw new RangeError(`shardCount must be a whole number from 1 to 4096, not ${shardCount}`);
    }
    const directory = join(resolve(options.dataDir ?? "data"), "lowdb");
    await mkdir(directory, { recursive: true, mode: 0o700 });
    const lock = await ProcessLock.acquire(join(directory, lockFileName));
    try {
      return await LowdbStore.#load(directory, lock, options);
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  static async #load(directory: string, lock: ProcessLock, options: LowdbStoreOptions): Promise<LowdbStore> {
    await removeTemporaryFiles(directory);
    const initialMeta: MetaFile = { shardCount: options.shardCount ?? defaultShardCount, meta: emptyMeta() };
    const meta = storedFile(join(directory, metaFileName), metaFileCodec, initialMeta);
    await meta.low.read();
    const journals = await listJournals(directory);
    if (meta.file.bytes === 0) {
      const names = await readdir(directory);
      if (journals.length > 0 || names.some((name) => shardFileName.test(name))) {
        throw new StoreError("store-corrupt", `${meta.file.path} is missing, but ${directory} holds conversations`);
      }
      // Written at once: the shard count decides where every id lives and must never change.
      await meta.low.write();
      await syncDirectory(directory);
    }
    const shards = Array.from({ length: meta.low.data.shardCount }, (_, index) =>
      storedFile<ConversationShard>(shardPath(directory, index), shardFileCodec, new Map()),
    );
    await Promise.all(shards.map((shard) => shard.low.read()));
    const state = new StoreState(
      shards.map((shard) => shard.low.data),
      meta.low.data.meta,
    );
    const replayed: StoreChange[] = [];
    for (const sequence of journals) {
      for (const change of await readJournal(join(directory, journalFileName(sequence)))) {
        state.apply(change);
        replayed.push(change);
      }
    }
    const keys = await KeyFiles.open(join(directory, keysDirectoryName));
    // Keys made ahead for conversations a crashed run never started: one process owns the
    // directory, so none of them can still be taken.
    const unused = [...keys.ids()].filter((id) => keys.get(id)?.kind === "conversation" && !state.has(id));
    if (unused.length > 0) await keys.destroy(unused, []);
    const journal = await GroupCommitJournal.create(directory, (journals.at(-1) ?? 0) + 1);
    const store = new LowdbStore({ directory, lock, state, shards, meta, journal, keys }, options);
    for (const change of replayed) store.#markDirty(change);
    try {
      if (journals.length > 0) await store.#runCheckpoint();
    } catch (error) {
      await journal.close();
      await keys.close();
      throw error;
    }
    store.#checkSize();
    return store;
  }

  #dataBytes(): number {
    return this.#shards.reduce((sum, shard) => sum + shard.file.bytes, this.#meta.file.bytes);
  }

  #checkSize(): void {
    const bytes = this.#dataBytes();
    if (this.#warnedLarge || bytes <= this.#warnBytes) return;
    this.#warnedLarge = true;
    this.#onWarning?.({
      code: "store-large",
      bytes,
      limitBytes: this.#warnBytes,
      message:
        `The embedded lowdb store holds ${mebibytes(bytes)} MiB (more than ${mebibytes(this.#warnBytes)} MiB). ` +
        "It keeps all data in memory and rewrites whole files; for this much data use PostgreSQL (DATABASE_URL).",
    });
  }

  protected usable(): StoreState {
    if (this.#closing) throw new StoreError("store-closed", `the store in ${this.directory} is closed`);
    const failure = this.#journal.failure ?? this.#keys.failure;
    if (failure !== undefined) {
      throw new StoreError(
        "store-failed",
        `the store in ${this.directory} failed to write (${errorMessage(failure)}); restart to recover`,
        {
          cause: failure,
        },
      );
    }
    return this.#state;
  }

  protected keyVault(): KeyVault {
    return this.#keys;
  }

  #markDirty(change: StoreChange): void {
    if (change.op === "put-conversation") {
      this.#dirtyShards.add(this.#state.shardOf(change.record.id));
      // Its record writes (deliveries) live in the meta file.
      if (change.writes) this.#metaDirty = true;
    } else if (change.op === "delete-conversation") this.#dirtyShards.add(this.#state.shardOf(change.id));
    else {
      // Inbox and outbox live in the meta file; a completed delivery also touches its conversations' shards.
      if (change.op === "complete-inbound") for (const part of change.conversations) this.#markDirty(part);
      this.#metaDirty = true;
    }
  }

  protected async commit(change: StoreChange): Promise<void> {
    this.#markDirty(change);
    const appended = this.#journal.append(change);
    if (change.op === "delete-conversation" || (change.op === "complete-inbound" && change.conversations.some((part) => part.op === "delete-conversation"))) {
      this.#scheduleErasureCheckpoint();
    }
    await appended;
    this.#checkpointIfDue();
  }

  #scheduleErasureCheckpoint(): void {
    if (this.#erasureCheckpoint || this.#closing) return;
    this.#erasureCheckpoint = setTimeout(() => {
      this.#erasureCheckpoint = undefined;
      this.#startCheckpoint();
    }, this.#erasureCheckpointMs);
    this.#erasureCheckpoint.unref();
  }

  #checkpointIfDue(): void {
    if (this.#checkpoint || this.#closing) return;
    const threshold = this.#checkpointBytes ?? Math.max(defaultCheckpointBytes, this.#dataBytes() / 2);
    if (this.#journal.bytes < threshold) return;
    this.#startCheckpoint();
  }

  #startCheckpoint(): void {
    if (this.#closing) return;
    if (this.#checkpoint) {
      this.#checkpointAgain = true;
      return;
    }
    this.#checkpoint = this.#runCheckpoint()
      .catch((error: unknown) =>
        this.#onWarning?.({
          code: "checkpoint-failed",
          error,
          message: `Checkpoint of the store in ${this.directory} failed (${errorMessage(error)}); the journal keeps every change and the next checkpoint retries.`,
        }),
      )
      .finally(() => {
        this.#checkpoint = undefined;
        if (this.#checkpointAgain) {
          this.#checkpointAgain = false;
          this.#startCheckpoint();
        }
      });
  }

  /**
   * Folds the journal into the shard files. The dirty sets are taken after the rotation, so
   * every change in the retired journal files is in a shard written below; changes made while
   * the checkpoint runs go to the new journal file and stay there until the next checkpoint.
   */
  async #runCheckpoint(): Promise<void> {
    const retired = await this.#journal.rotate();
    const shards = [...this.#dirtyShards];
    const meta = this.#metaDirty;
    this.#dirtyShards = new Set();
    this.#metaDirty = false;
    try {
      for (const index of shards) await this.#shards[index]?.low.write();
      if (meta) await this.#meta.low.write();
      // The renamed files must be durable before the journals that also hold their changes go.
      await syncDirectory(this.directory);
    } catch (error) {
      for (const index of shards) this.#dirtyShards.add(index);
      if (meta) this.#metaDirty = true;
      throw error;
    }
    await removeJournals(this.directory, retired);
    this.#checkSize();
  }

  /** Writes a final checkpoint, so the next start reads the shard files and replays nothing, and releases the lock. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    clearTimeout(this.#erasureCheckpoint);
    try {
      await this.#checkpoint;
      await this.#journal.drain();
      await this.#runCheckpoint();
      await this.#journal.close();
      await rm(this.#journal.path);
      await syncDirectory(this.directory);
      await this.#keys.close();
    } catch (error) {
      // The first error is the one worth reporting; the journal still holds every acknowledged change.
      await this.#journal.close().catch(() => undefined);
      await this.#keys.close().catch(() => undefined);
      throw error;
    } finally {
      await this.#lock.release();
    }
  }
}
