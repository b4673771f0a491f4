/**
 * Deletes conversations whose retention has run out (docs/privacy.md#retention). The time is
 * passed in, so tests sweep without waiting; `runtime/server/retention-timer.ts` runs it on a timer.
 */
import type { ConversationStore } from "../../stores/ports/conversations.ts";
import type { LedgerDraft } from "../privacy/proof-ledger.ts";

/** Where the sweep's erasures are proven (docs/privacy.md#proof-ledger). */
export interface ErasureProof {
  personOf(conversationId: string): string;
  record(drafts: readonly LedgerDraft[]): Promise<void>;
  /** Removes the erased conversations from the requests desk's blind index. */
  forget?(conversationIds: readonly string[]): Promise<void>;
}

/** Sweeps in batches, so a large backlog never blocks the event loop for long. */
const batchSize = 500;

export async function sweepExpired(conversations: Pick<ConversationStore, "deleteExpired">, now: Date, ledger?: ErasureProof): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await conversations.deleteExpired(now.toISOString(), batchSize);
    total += deleted.length;
    const time = now.toISOString();
    await ledger?.forget?.(deleted);
    await ledger?.record(deleted.map((id) => ({ time, type: "erasure", reason: "retention", person: ledger.personOf(id) })));
    if (deleted.length < batchSize) return total;
  }
}
