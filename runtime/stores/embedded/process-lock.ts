/**
 * An exclusive, pid-stamped lock file on a data directory. lowdb keeps the data in one process's
 * memory and rewrites whole files, so a second process on the same files would silently
 * overwrite the first one's changes (docs/running.md#one-process-per-data-directory): it must be refused at start.
 */
import { type FileHandle, open, readFile, unlink } from "node:fs/promises";
import { fileErrorCode } from "./file-error-code.ts";
import { StoreError } from "../ports/store-error.ts";

/** Creates the file with the pid only if it does not exist yet; false when it does. */
async function createExclusively(path: string, pid: number): Promise<boolean> {
  let handle: FileHandle;
  try {
    handle = await open(path, "wx", 0o600);
  } catch (error) {
    if (fileErrorCode(error) === "EEXIST") return false;
    throw error;
  }
  try {
    await handle.writeFile(`${pid}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return true;
}

type Holder = { pid: number } | { pid: undefined } | "gone";

async function readHolder(path: string): Promise<Holder> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if (fileErrorCode(error) === "ENOENT") return "gone";
    throw error;
  }
  const pid = /^\d+$/.test(text.trim()) ? Number(text.trim()) : undefined;
  return { pid };
}

/** Signal 0 checks existence without signalling; EPERM means the process exists but is someone else's. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return fileErrorCode(error) !== "ESRCH";
  }
}

function lockedError(path: string, pid: number | undefined): StoreError {
  const holder =
    pid === undefined
      ? `The lock file ${path} holds no process id: a process is starting right now, or one crashed while starting. If no Botschaft process uses this directory, delete the file.`
      : `The data directory is in use by process ${pid} (lock file ${path}).`;
  return new StoreError(
    "store-locked",
    `${holder} The embedded lowdb store allows one process per data directory; to run several instances, use PostgreSQL (DATABASE_URL).`,
  );
}

export class ProcessLock {
  readonly path: string;
  readonly pid: number;

  private constructor(path: string, pid: number) {
    this.path = path;
    this.pid = pid;
  }

  /**
   * Takes the lock, or takes over a lock whose process is dead. Rejects with `store-locked`
   * while a live process holds it, including this very process (a second store on the same
   * directory would be just as harmful).
   */
  static async acquire(path: string, pid: number = process.pid): Promise<ProcessLock> {
    // Retried only when the lock vanished between the failed create and the read.
    for (let attempt = 0; attempt < 3; attempt++) {
      if (await createExclusively(path, pid)) return new ProcessLock(path, pid);
      const holder = await readHolder(path);
      if (holder === "gone") continue;
      if (holder.pid === undefined || isProcessAlive(holder.pid)) throw lockedError(path, holder.pid);
      return ProcessLock.#takeOver(path, pid, holder.pid);
    }
    throw lockedError(path, undefined);
  }

  /**
   * Only the holder of a second, short-lived lock may remove a stale lock. Without it, two
   * processes starting together could both see the stale pid, and the slower one would
   * remove the lock the faster one had just created.
   */
  static async #takeOver(path: string, pid: number, stalePid: number): Promise<ProcessLock> {
    const takeoverPath = `${path}.takeover`;
    if (!(await createExclusively(takeoverPath, pid))) {
      throw new StoreError(
        "store-locked",
        `Another process is taking over the stale lock ${path}. If no Botschaft process is starting, delete ${takeoverPath}.`,
      );
    }
    try {
      const holder = await readHolder(path);
      if (holder !== "gone" && holder.pid !== stalePid) throw lockedError(path, holder.pid);
      if (holder !== "gone") await unlink(path);
      if (!(await createExclusively(path, pid))) throw lockedError(path, undefined);
      return new ProcessLock(path, pid);
    } finally {
      await unlink(takeoverPath);
    }
  }

  /** Removes the lock file, unless it no longer names this process. */
  async release(): Promise<void> {
    const holder = await readHolder(this.path);
    if (holder !== "gone" && holder.pid === this.pid) await unlink(this.path);
  }
}
