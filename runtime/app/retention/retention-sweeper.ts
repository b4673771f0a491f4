/**
 * Deletes conversations whose retention has run out (SPEC §2.5), on a timer. The clock is
 * passed in, so tests sweep without waiting.
 */
import type { Logger } from "pino";
import type { ConversationStore } from "../../stores/ports/conversations.ts";

/** Sweeps in batches, so a large backlog never blocks the event loop for long. */
const batchSize = 500;

export async function sweepExpired(store: ConversationStore, now: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await store.deleteExpired(now.toISOString(), batchSize);
    total += deleted.length;
    if (deleted.length < batchSize) return total;
  }
}

export function startRetentionSweeper(store: ConversationStore, clock: () => Date, intervalMs: number, logger: Logger): () => void {
  const sweep = async () => {
    try {
      const deleted = await sweepExpired(store, clock());
      if (deleted > 0) logger.info({ deleted }, "retention sweep deleted expired conversations");
    } catch (error) {
      logger.error({ err: error instanceof Error ? error.message : String(error) }, "retention sweep failed");
    }
  };
  void sweep();
  const timer = setInterval(sweep, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
