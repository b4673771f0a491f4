/**
 * Runs the retention sweep at start and then every `intervalMs`, with any other housekeeping
 * that runs on the same beat (ended sessions, expired links, the audit trail's retention); the
 * returned function stops it.
 */
import type { Logger } from "pino";
import { type ErasureProof, sweepExpired } from "../app/retention/sweep-expired.ts";
import type { ConversationStore } from "../stores/ports/conversations.ts";

export function startRetentionSweeper(
  store: Pick<ConversationStore, "deleteExpired">,
  clock: () => Date,
  intervalMs: number,
  logger: Logger,
  housekeeping: () => Promise<void> = async () => undefined,
  ledger?: ErasureProof,
): () => void {
  const sweep = async () => {
    try {
      const deleted = await sweepExpired(store, clock(), ledger);
      if (deleted > 0) logger.info({ deleted }, "retention sweep deleted expired conversations");
      await housekeeping();
    } catch (error) {
      logger.error({ err: error instanceof Error ? error.message : String(error) }, "retention sweep failed");
    }
  };
  void sweep();
  const timer = setInterval(sweep, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
