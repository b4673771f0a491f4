import { constants, type FileHandle, open } from "node:fs/promises";
import { fileSystemIssue, type InputIssue } from "./input-problem.ts";

export type FlowBytes = { bytes: Uint8Array; issue?: undefined } | { issue: InputIssue };

function concatenate(chunks: readonly Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

const minimumChunkBytes = 64 * 1024;

/**
 * All bytes, or undefined when there are more than `limit` because the file grew after fstat.
 * The first chunk fits the expected size, so a file that did not change takes one read plus
 * the read that finds its end.
 */
async function readAtMost(handle: FileHandle, expectedSize: number, limit: number): Promise<Uint8Array | undefined> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  // Reading up to limit + 1 bytes tells "exactly at the limit" from "over it".
  while (total <= limit) {
    const wanted = Math.min(Math.max(expectedSize - total + 1, minimumChunkBytes), limit + 1 - total);
    const chunk = new Uint8Array(wanted);
    const { bytesRead } = await handle.read(chunk, 0, wanted, total);
    if (bytesRead === 0) break;
    chunks.push(chunk.subarray(0, bytesRead));
    total += bytesRead;
  }
  return total > limit ? undefined : concatenate(chunks, total);
}

/**
 * Reads a flow file as bytes, refusing without reading what is not a regular file or is larger
 * than `limit`. The size comes from fstat on the open handle, so the file checked is the file read.
 */
export async function readFlowBytes(path: string, limit: number): Promise<FlowBytes> {
  let handle: FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO named `*.yaml` must not wait forever for a writer. It changes
    // nothing for regular files. Windows has no such flag.
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    return { issue: fileSystemIssue(error) };
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return { issue: { kind: "not-a-file" } };
    if (stats.size > limit) return { issue: { kind: "too-large", bytes: stats.size, limit } };
    const bytes = await readAtMost(handle, stats.size, limit);
    return bytes ? { bytes } : { issue: { kind: "too-large", limit } };
  } catch (error) {
    return { issue: fileSystemIssue(error) };
  } finally {
    await handle.close();
  }
}
