/**
 * Deletes conversations whose retention has run out (docs/privacy.md#retention). The time is
 * passed in, so tests sweep without waiting; `runtime/server/retention-timer.ts` runs it on a timer.
 */
import type { ConversationStore } from "../../stores/ports/conversations.ts";

/** Sweeps in batches, so a large backlog never blocks the event loop for long. */
const batchSize = 500;

export async function sweepExpired(conversations: Pick<ConversationStore, "deleteExpired">, now: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await conversations.deleteExpired(now.toISOString(), batchSize);
    total += deleted.length;
    if (deleted.length < batchSize) return total;
  }
}
