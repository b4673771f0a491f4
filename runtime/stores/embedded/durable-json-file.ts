/**
 * A lowdb adapter that writes compact JSON durably: the text goes to a temporary file, which is
 * fsynced and renamed over the old file, and then the directory is synced. A crash at any
 * moment leaves either the old or the new file complete, never a torn one. lowdb's own
 * `JSONFile` pretty-prints (1.3–1.5× larger) and renames without fsync.
 *
 * A caller that writes many files in one directory can pass `syncDirectory: false` and sync the
 * directory once after all of them, instead of once per file.
 */
import { open, rename } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { Adapter } from "lowdb";
import { fileErrorCode } from "./file-error-code.ts";
import { StoreError } from "../ports/store-error.ts";
import { syncDirectory } from "./sync-directory.ts";

/** How the in-memory data maps to file text; `deserialize` throws when the text is not valid. */
export interface JsonFileCodec<T> {
  serialize(data: T): string;
  deserialize(text: string): T;
}

export const temporaryFileSuffix = ".tmp";

export class DurableJsonFile<T> implements Adapter<T> {
  readonly path: string;
  readonly #codec: JsonFileCodec<T>;
  readonly #temporaryPath: string;
  /** Writes of one file run one after another, because they share the temporary file. */
  #lastWrite: Promise<void> = Promise.resolve();
  /** Size of the file as last read or written; 0 when it does not exist. */
  bytes = 0;

  readonly #syncDirectory: boolean;

  constructor(path: string, codec: JsonFileCodec<T>, options: { syncDirectory?: boolean } = {}) {
    this.path = path;
    this.#codec = codec;
    this.#syncDirectory = options.syncDirectory ?? true;
    this.#temporaryPath = join(dirname(path), `.${basename(path)}${temporaryFileSuffix}`);
  }

  async read(): Promise<T | null> {
    let text: string;
    try {
      const handle = await open(this.path, "r");
      try {
        text = await handle.readFile("utf8");
      } finally {
        await handle.close();
      }
    } catch (error) {
      if (fileErrorCode(error) === "ENOENT") return null;
      throw error;
    }
    try {
      const data = this.#codec.deserialize(text);
      this.bytes = Buffer.byteLength(text);
      return data;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new StoreError("store-corrupt", `${this.path} is not a valid store file (${reason})`, { cause: error });
    }
  }

  /**
   * Serialises `data` synchronously, before the first await, so the file holds the data exactly
   * as it was at the call, whatever changes while the write is on its way.
   */
  write(data: T): Promise<void> {
    const text = Buffer.from(this.#codec.serialize(data));
    const written = this.#lastWrite.catch(() => undefined).then(() => this.#writeText(text));
    this.#lastWrite = written;
    return written;
  }

  async #writeText(text: Buffer): Promise<void> {
    const handle = await open(this.#temporaryPath, "w", 0o600);
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(this.#temporaryPath, this.path);
    if (this.#syncDirectory) await syncDirectory(dirname(this.path));
    this.bytes = text.length;
  }
}
