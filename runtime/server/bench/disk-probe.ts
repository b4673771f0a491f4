/**
 * How long the disk took to make a small write durable while a target was measured: a 4 KiB
 * append and fdatasync every 100 ms on the file system of the data directories. Botschaft
 * answers a turn only after its journal's fdatasync, so one slow sync delays every turn of its
 * group-commit round; on a shared machine a neighbour's I/O can stretch a sync from under a
 * millisecond to a hundred. This says so next to the latency figures instead of leaving it to
 * be guessed. Ten syncs a second are negligible beside the journal's hundreds, and every target
 * gets the same probe.
 */
import { type FileHandle, open } from "node:fs/promises";
import { join } from "node:path";

const intervalMs = 100;
const probeBytes = Buffer.alloc(4096, 0x2e);

export interface DiskProbe {
  /** Stops probing and resolves with the latency of every sync, in ms. */
  stop(): Promise<number[]>;
}

/** Starts probing in `directory`, in a file of its own named after `name`. */
export async function startDiskProbe(directory: string, name: string): Promise<DiskProbe> {
  const handle: FileHandle = await open(join(directory, `disk-probe-${name.replace(/[^a-z0-9]+/gi, "-")}`), "a");
  const latencies: number[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const started = performance.now();
      await handle.appendFile(probeBytes);
      await handle.datasync();
      latencies.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      try {
        await loop;
      } finally {
        await handle.close();
      }
      return latencies;
    },
  };
}
