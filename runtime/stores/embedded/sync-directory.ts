import { open } from "node:fs/promises";

/**
 * Makes the directory's entries durable: a created, renamed or removed file is only certain to
 * survive a power loss once its directory has been synced, not just the file itself.
 */
export async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
