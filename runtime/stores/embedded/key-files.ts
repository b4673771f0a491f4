/**
 * The lowdb store's data keys (`<dataDir>/lowdb/keys/`), kept so that destroying a key is
 * final at once (docs/privacy.md#erasure-by-destroying-keys): no journal, no checkpoint, no
 * temporary copy holds a key after its `destroy` resolved.
 *
 * - Keys are appended, one JSON line each, to a segment file (`keys-NNNNNNNN.jsonl`) with group
 *   commit: the creates that arrive while a write is under way go to disk together in the next
 *   round — one append and one fdatasync — so a new conversation costs about one small sync.
 * - A segment takes `segmentCapacity` lines, then the next one starts; each start of the store
 *   starts a new one, so a segment is never appended to after a crash may have torn its tail.
 * - Destroying a key rewrites the one segment that holds it without it (temporary file, fsync,
 *   rename, directory sync), or removes the segment when it held nothing else. The old file's
 *   name then points at the new content; its old blocks belong to the file system, beyond what
 *   any copy of the directory reads (see docs/running.md#what-erasure-guarantees-on-each-store).
 * - Every erased conversation is appended to the erasure log (`erasures.jsonl`) by digest.
 *
 * Rounds run one at a time; a round rewrites the segments that lost keys, then appends new
 * keys, then the log, and resolves every caller waiting for it. A failed write stops the vault
 * for good, as a failed journal write stops the store: restart to recover from disk.
 */
import { type FileHandle, mkdir, open, readdir, readFile, rename, unlink } from "node:fs/promises";
import { join } from "node:path";
import type { DataKeyKind, DataKeyRecord, ErasureRecord } from "../ports/data-keys.ts";
import { StoreError } from "../ports/store-error.ts";
import { fileErrorCode } from "./file-error-code.ts";
import { byAge, erasureDigest, type KeyVault } from "./key-vault.ts";
import { syncDirectory } from "./sync-directory.ts";

/** Lines per segment: a rewrite after an erasure writes at most this many keys (about 150 KiB). */
export const segmentCapacity = 1024;
const segmentName = /^keys-(\d{8,})\.jsonl$/;
const erasureLogName = "erasures.jsonl";
const temporarySuffix = ".tmp";

function segmentFileName(sequence: number): string {
  return `keys-${String(sequence).padStart(8, "0")}.jsonl`;
}

/** Where a key is: its segment, and whether its line has gone to disk (or is on its way). */
interface Slot {
  record: DataKeyRecord;
  segment: number;
  written: boolean;
}

interface Segment {
  /** Ids of the written keys it holds. */
  ids: Set<string>;
  /** Lines in the file, destroyed keys' included until a rewrite drops them. */
  lines: number;
}

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseKey(line: string): DataKeyRecord {
  const value: unknown = JSON.parse(line);
  if (
    !isObject(value) ||
    typeof value.id !== "string" ||
    (value.kind !== "conversation" && value.kind !== "transient") ||
    typeof value.wrapped !== "string" ||
    typeof value.createdAt !== "string"
  ) {
    throw new Error("expected a data key with id, kind, wrapped and createdAt");
  }
  return { id: value.id, kind: value.kind, wrapped: value.wrapped, createdAt: value.createdAt };
}

function keyLine(record: DataKeyRecord): string {
  return `${JSON.stringify({ id: record.id, kind: record.kind, wrapped: record.wrapped, createdAt: record.createdAt })}\n`;
}

/** The complete lines of a file: a last line without its newline was cut off by a crash and never acknowledged. */
async function completeLines(path: string): Promise<string[]> {
  const lines = (await readFile(path, "utf8")).split("\n");
  lines.pop();
  return lines;
}

export class KeyFiles implements KeyVault {
  readonly #directory: string;
  readonly #keys = new Map<string, Slot>();
  readonly #segments = new Map<number, Segment>();
  /** The segment new keys are appended to; its file is created with the first of them. */
  #active: number;
  #activeHandle: FileHandle | undefined;
  #logHandle: FileHandle | undefined;
  #appends: Slot[] = [];
  #rewrites = new Set<number>();
  #erasures: string[] = [];
  #waiters: Waiter[] = [];
  #running = false;
  #failure: unknown;
  #closed = false;

  private constructor(directory: string, active: number) {
    this.#directory = directory;
    this.#active = active;
  }

  /** Reads the keys in `directory`, creating it on first use. Rejects with `store-corrupt` when a key file cannot be read. */
  static async open(directory: string): Promise<KeyFiles> {
    await mkdir(directory, { recursive: true, mode: 0o700 });
    const sequences: number[] = [];
    for (const name of await readdir(directory)) {
      if (name.endsWith(temporarySuffix)) await unlink(join(directory, name));
      const match = segmentName.exec(name);
      if (match?.[1]) sequences.push(Number(match[1]));
    }
    sequences.sort((a, b) => a - b);
    const vault = new KeyFiles(directory, (sequences.at(-1) ?? 0) + 1);
    for (const sequence of sequences) {
      const path = join(directory, segmentFileName(sequence));
      const lines = await completeLines(path);
      const segment: Segment = { ids: new Set(), lines: lines.length };
      vault.#segments.set(sequence, segment);
      lines.forEach((line, index) => {
        let record: DataKeyRecord;
        try {
          record = parseKey(line);
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          throw new StoreError("store-corrupt", `${path} line ${index + 1} is not a valid data key (${reason})`, { cause: error });
        }
        const earlier = vault.#keys.get(record.id);
        if (earlier) {
          // Never written twice by this code; should a copy hold it twice, the later line wins and the earlier goes.
          vault.#segments.get(earlier.segment)?.ids.delete(record.id);
          vault.#rewrites.add(earlier.segment);
        }
        vault.#keys.set(record.id, { record, segment: sequence, written: true });
        segment.ids.add(record.id);
      });
    }
    return vault;
  }

  /** The write error that stopped the vault, if any. */
  get failure(): unknown {
    return this.#failure;
  }

  get(id: string): DataKeyRecord | undefined {
    return this.#keys.get(id)?.record;
  }

  list(kind: DataKeyKind): DataKeyRecord[] {
    const records: DataKeyRecord[] = [];
    for (const { record } of this.#keys.values()) if (record.kind === kind) records.push(record);
    return records.sort(byAge);
  }

  ids(): Iterable<string> {
    return this.#keys.keys();
  }

  create(record: DataKeyRecord): Promise<boolean> {
    if (this.#keys.has(record.id)) return Promise.resolve(false);
    const slot: Slot = { record, segment: this.#active, written: false };
    this.#keys.set(record.id, slot);
    this.#appends.push(slot);
    return this.#nextRound().then(() => true);
  }

  destroy(ids: readonly string[], erased: readonly string[]): Promise<void> {
    const erasedAt = new Date().toISOString();
    for (const id of ids) {
      const slot = this.#keys.get(id);
      this.#keys.delete(id);
      // A key still waiting for its append is simply never written.
      if (slot?.written) {
        this.#segments.get(slot.segment)?.ids.delete(id);
        this.#rewrites.add(slot.segment);
      }
    }
    for (const id of erased) this.#erasures.push(JSON.stringify({ digest: erasureDigest(id), erasedAt }));
    return this.#nextRound();
  }

  async erasures(): Promise<ErasureRecord[]> {
    await this.#nextRound();
    let lines: string[];
    try {
      lines = await completeLines(join(this.#directory, erasureLogName));
    } catch (error) {
      if (fileErrorCode(error) === "ENOENT") return [];
      throw error;
    }
    return lines.map((line) => {
      const value: unknown = JSON.parse(line);
      if (!isObject(value) || typeof value.digest !== "string" || typeof value.erasedAt !== "string") {
        throw new StoreError("store-corrupt", `${erasureLogName} holds a line that is not an erasure`);
      }
      return { digest: value.digest, erasedAt: value.erasedAt };
    });
  }

  /** Waits for the rounds under way and closes the files; the vault refuses further writes. */
  async close(): Promise<void> {
    if (this.#closed) return;
    if (this.#failure === undefined) await this.#nextRound().catch(() => undefined);
    this.#closed = true;
    await this.#activeHandle?.close();
    await this.#logHandle?.close();
    this.#activeHandle = undefined;
    this.#logHandle = undefined;
  }

  /** Resolves once everything asked for so far is on disk. */
  #nextRound(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.#failure !== undefined) {
        reject(this.#failedError());
        return;
      }
      if (this.#closed) {
        reject(new StoreError("store-closed", `the key files in ${this.#directory} are closed`));
        return;
      }
      this.#waiters.push({ resolve, reject });
      if (this.#running) return;
      this.#running = true;
      // Like the journal: callers woken in the same I/O phase share the first round.
      setImmediate(() => void this.#run());
    });
  }

  async #run(): Promise<void> {
    let waiters: Waiter[] = [];
    try {
      while (this.#waiters.length > 0) {
        waiters = this.#waiters;
        this.#waiters = [];
        await this.#round();
        for (const waiter of waiters) waiter.resolve();
        waiters = [];
      }
    } catch (error) {
      this.#failure = error;
      for (const waiter of [...waiters, ...this.#waiters.splice(0)]) waiter.reject(this.#failedError());
    } finally {
      this.#running = false;
    }
  }

  async #round(): Promise<void> {
    const rewrites = [...this.#rewrites];
    this.#rewrites = new Set();
    const erasures = this.#erasures;
    this.#erasures = [];
    let appends = this.#appends;
    this.#appends = [];
    let directoryChanged = false;

    for (const sequence of rewrites) directoryChanged = (await this.#rewrite(sequence)) || directoryChanged;

    // Marked written in one synchronous stretch with the check: a destroy that comes in while
    // the lines are on their way sees them as written and has the segment rewritten next round;
    // one that came in before is never written at all.
    appends = appends.filter((slot) => this.#keys.get(slot.record.id) === slot);
    if (appends.length > 0 && (this.#segments.get(this.#active)?.lines ?? 0) >= segmentCapacity) {
      await this.#activeHandle?.close();
      this.#activeHandle = undefined;
      this.#active += 1;
      appends = appends.filter((slot) => this.#keys.get(slot.record.id) === slot);
    }
    const sequence = this.#active;
    const segment = this.#segments.get(sequence) ?? { ids: new Set<string>(), lines: 0 };
    if (appends.length > 0) this.#segments.set(sequence, segment);
    for (const slot of appends) {
      slot.segment = sequence;
      slot.written = true;
      segment.ids.add(slot.record.id);
    }

    if (appends.length > 0 && !this.#activeHandle) {
      this.#activeHandle = await open(join(this.#directory, segmentFileName(sequence)), "a", 0o600);
      directoryChanged = true;
    }
    if (erasures.length > 0 && !this.#logHandle) {
      this.#logHandle = await open(join(this.#directory, erasureLogName), "a", 0o600);
      directoryChanged = true;
    }
    // Renames, removals and new files must be durable before a caller relies on them.
    if (directoryChanged) await syncDirectory(this.#directory);
    if (appends.length > 0 && this.#activeHandle) {
      segment.lines += appends.length;
      await this.#activeHandle.appendFile(appends.map((slot) => keyLine(slot.record)).join(""));
      await this.#activeHandle.datasync();
    }
    if (erasures.length > 0 && this.#logHandle) {
      await this.#logHandle.appendFile(erasures.map((line) => `${line}\n`).join(""));
      await this.#logHandle.datasync();
    }
  }

  /** Rewrites one segment with the written keys it still holds, or removes it when it holds none. True when the directory changed. */
  async #rewrite(sequence: number): Promise<boolean> {
    const segment = this.#segments.get(sequence);
    if (!segment) return false;
    const path = join(this.#directory, segmentFileName(sequence));
    if (sequence === this.#active) {
      // Appends go on in the new file under the same name.
      await this.#activeHandle?.close();
      this.#activeHandle = undefined;
    }
    const kept = [...segment.ids].flatMap((id) => {
      const record = this.#keys.get(id)?.record;
      return record ? [record] : [];
    });
    if (kept.length === 0) {
      this.#segments.delete(sequence);
      await unlink(path).catch((error: unknown) => {
        if (fileErrorCode(error) !== "ENOENT") throw error;
      });
      return true;
    }
    const temporaryPath = `${path}${temporarySuffix}`;
    const handle = await open(temporaryPath, "w", 0o600);
    try {
      await handle.writeFile(kept.map(keyLine).join(""));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporaryPath, path);
    segment.lines = kept.length;
    return true;
  }

  #failedError(): StoreError {
    const reason = this.#failure instanceof Error ? this.#failure.message : String(this.#failure);
    return new StoreError("store-failed", `writing the data keys in ${this.#directory} failed (${reason}); restart to recover`, { cause: this.#failure });
  }
}
