/**
 * An append-only journal with group commit: the lowdb store's write path.
 *
 * Each change becomes one JSON line. Lines that arrive while a write is on its way wait and go
 * to disk together in the next round — one append and one fdatasync for all of them — and each
 * caller's promise resolves only after the round holding its line is synced. So the cost of
 * an acknowledged write does not grow with the size of the data (rewriting a shard file would),
 * and 50 concurrent writers cost about one fsync per round instead of fifty.
 *
 * The journal is rotated into numbered files (`journal-00000001.jsonl`, …) so that a checkpoint
 * can fold an old file into the shard files while new changes go to the next one.
 */
import { type FileHandle, open, readdir, readFile, unlink } from "node:fs/promises";
import { join } from "node:path";
import { StoreError } from "../ports/store-error.ts";
import { parseChange, serializeChange } from "./store-file-formats.ts";
import type { StoreChange } from "./store-state.ts";
import { syncDirectory } from "./sync-directory.ts";

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

interface PendingLine extends Waiter {
  line: string;
}

const journalName = /^journal-(\d{8,})\.jsonl$/;

export function journalFileName(sequence: number): string {
  return `journal-${String(sequence).padStart(8, "0")}.jsonl`;
}

/** Sequence numbers of the journal files in `directory`, oldest first. */
export async function listJournals(directory: string): Promise<number[]> {
  const sequences: number[] = [];
  for (const name of await readdir(directory)) {
    const match = journalName.exec(name);
    if (match?.[1]) sequences.push(Number(match[1]));
  }
  return sequences.sort((a, b) => a - b);
}

/**
 * The changes in one journal file, in order. A last line without its newline is the tail of a
 * round that was cut off by a crash; it was never acknowledged and is dropped.
 */
export async function readJournal(path: string): Promise<StoreChange[]> {
  const text = await readFile(path, "utf8");
  const lines = text.split("\n");
  lines.pop();
  return lines.map((line, index) => {
    try {
      return parseChange(line);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new StoreError("store-corrupt", `${path} line ${index + 1} is not a valid change (${reason})`, {
        cause: error,
      });
    }
  });
}

export class GroupCommitJournal {
  readonly #directory: string;
  #handle: FileHandle;
  #sequence: number;
  #bytes = 0;
  #pending: PendingLine[] = [];
  #running = false;
  #rotation: ((sequence: number) => void) | undefined;
  #rotationFailed: ((error: unknown) => void) | undefined;
  #drained: Waiter[] = [];
  #failure: unknown;
  #closed = false;

  private constructor(directory: string, handle: FileHandle, sequence: number) {
    this.#directory = directory;
    this.#handle = handle;
    this.#sequence = sequence;
  }

  /** Starts a new, empty journal file with this sequence number. */
  static async create(directory: string, sequence: number): Promise<GroupCommitJournal> {
    return new GroupCommitJournal(directory, await GroupCommitJournal.#createFile(directory, sequence), sequence);
  }

  static async #createFile(directory: string, sequence: number): Promise<FileHandle> {
    const handle = await open(join(directory, journalFileName(sequence)), "wx", 0o600);
    // fdatasync makes the lines durable, not the file's name in the directory: sync it once.
    await syncDirectory(directory);
    return handle;
  }

  /** Bytes in the current journal file, a measure of how much a checkpoint would fold in. */
  get bytes(): number {
    return this.#bytes;
  }

  /** The write error that stopped the journal, if any; every later append fails with it. */
  get failure(): unknown {
    return this.#failure;
  }

  /** Resolves once the change is on disk. The line is serialised now, so later changes to `change` do not leak in. */
  append(change: StoreChange): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.#failure !== undefined) {
        reject(this.#failedError());
        return;
      }
      this.#pending.push({ line: `${serializeChange(change)}\n`, resolve, reject });
      this.#start();
    });
  }

  /**
   * Switches to a new journal file between two rounds and resolves with the old file's
   * sequence number: every line appended before the call is then in that file or an older one.
   */
  rotate(): Promise<number> {
    return new Promise((resolve, reject) => {
      if (this.#failure !== undefined) {
        reject(this.#failedError());
        return;
      }
      if (this.#rotation) {
        reject(new Error("a rotation is already under way"));
        return;
      }
      this.#rotation = resolve;
      this.#rotationFailed = reject;
      this.#start();
    });
  }

  /** Resolves once every line appended so far is on disk. */
  drain(): Promise<void> {
    if (!this.#running && this.#pending.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => this.#drained.push({ resolve, reject }));
  }

  /** Closes the file after the pending lines are written; closing again does nothing. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.drain();
    } finally {
      await this.#handle.close();
    }
  }

  /** The path of the current file, removed by the last checkpoint before a clean close. */
  get path(): string {
    return join(this.#directory, journalFileName(this.#sequence));
  }

  #start(): void {
    if (this.#running) return;
    this.#running = true;
    // setImmediate, not a microtask: callers woken in the same I/O phase (several HTTP
    // requests, say) then share the first round as well.
    setImmediate(() => void this.#run());
  }

  async #run(): Promise<void> {
    let round: PendingLine[] = [];
    try {
      while (this.#pending.length > 0 || this.#rotation) {
        if (this.#rotation) await this.#rotate();
        round = this.#pending;
        this.#pending = [];
        if (round.length === 0) continue;
        const bytes = Buffer.from(round.map((pending) => pending.line).join(""));
        await this.#handle.appendFile(bytes);
        await this.#handle.datasync();
        this.#bytes += bytes.length;
        for (const pending of round) pending.resolve();
        round = [];
      }
    } catch (error) {
      this.#fail(error, round);
    } finally {
      this.#running = false;
    }
    for (const waiter of this.#drained.splice(0)) {
      if (this.#failure === undefined) waiter.resolve();
      else waiter.reject(this.#failedError());
    }
  }

  async #rotate(): Promise<void> {
    const next = this.#sequence + 1;
    const handle = await GroupCommitJournal.#createFile(this.#directory, next);
    const previous = this.#handle;
    const retired = this.#sequence;
    this.#handle = handle;
    this.#sequence = next;
    this.#bytes = 0;
    const resolve = this.#rotation;
    this.#rotation = undefined;
    this.#rotationFailed = undefined;
    await previous.close();
    resolve?.(retired);
  }

  /**
   * A failed write leaves memory ahead of the disk, so the journal stops for good: callers are
   * told, and the process is expected to restart and recover from what the disk holds.
   */
  #fail(error: unknown, round: readonly PendingLine[]): void {
    this.#failure = error;
    const failed = this.#failedError();
    for (const pending of [...round, ...this.#pending.splice(0)]) pending.reject(failed);
    this.#rotationFailed?.(failed);
    this.#rotation = undefined;
    this.#rotationFailed = undefined;
  }

  #failedError(): StoreError {
    const reason = this.#failure instanceof Error ? this.#failure.message : String(this.#failure);
    return new StoreError("store-failed", `writing the store's journal failed (${reason}); restart to recover`, {
      cause: this.#failure,
    });
  }
}

/** Removes journal files up to and including `sequence`, once a checkpoint holds their changes. */
export async function removeJournals(directory: string, sequence: number): Promise<void> {
  for (const old of await listJournals(directory)) {
    if (old <= sequence) await unlink(join(directory, journalFileName(old)));
  }
  await syncDirectory(directory);
}
