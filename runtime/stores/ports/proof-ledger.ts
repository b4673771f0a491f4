/**
 * Store role: the proof ledger (docs/privacy.md#proof-ledger) — an append-only, hash-chained log
 * of consent decisions, erasures, exports and requests that outlives the conversations it
 * proves. It holds no personal value and no conversation content: the person is a keyed
 * pseudonym, the consent text a hash.
 *
 * Each entry's `hash` is a keyed hash over its facts and the previous entry's hash
 * (`runtime/core/privacy/ledger-chain.ts`), computed by the caller, which holds the key; the
 * store appends with a compare-and-set on the head, so several instances chain one line. A
 * pruned beginning leaves a checkpoint (the last removed entry's sequence number and hash) from
 * which the rest still verifies.
 *
 * @example
 * ```ts
 * const { head } = await store.proofLedger.status();
 * const entries = chainEntries([{ time, type: "consent", decision: "given", flow, person }], head, mac);
 * if (!(await store.proofLedger.append(entries, head))) retry(); // another instance appended first
 * ```
 */
import type { LedgerCheckpoint, LedgerDraft, LedgerEntry } from "../../core/privacy/ledger-chain.ts";

export type { LedgerCheckpoint, LedgerDraft, LedgerEntry };

export interface LedgerStatus {
  /** The last entry's sequence number and hash, kept apart from the entries (so a removed last entry shows); the checkpoint's when all were pruned; undefined when nothing was ever chained. */
  head?: { seq: number; hash: string };
  checkpoint?: LedgerCheckpoint;
  /** Set by `halt`: a verification failed; drafts are held, not chained, until `release`. */
  halted?: { since: string; reason: string };
}

export interface ProofLedgerStore {
  /**
   * Appends entries already chained by the caller after `after` (the head the caller read;
   * undefined for an empty ledger), atomically and durably. A compare-and-set: resolves false,
   * writing nothing, when the head is no longer `after` (another instance appended first).
   */
  append(entries: readonly LedgerEntry[], after: { seq: number; hash: string } | undefined): Promise<boolean>;

  /** Entries in chain order: from `fromSeq` (inclusive), at most `limit`, only `person`'s when given. */
  read(query: { fromSeq?: number; limit?: number; person?: string }): Promise<LedgerEntry[]>;

  status(): Promise<LedgerStatus>;

  /**
   * Removes the entries whose time is before `before` from the start of the chain (stopping at
   * the first later one, so order is kept) and moves the checkpoint to the last one removed
   * (`at` is the pruning's time); resolves with how many.
   */
  prune(before: string, at: string): Promise<number>;

  /** Stops chaining until `release`. Idempotent: the first reason is kept. */
  halt(reason: string, since: string): Promise<void>;

  /** Keeps drafts that arrive while the ledger is halted, in order. */
  hold(drafts: readonly LedgerDraft[]): Promise<void>;

  /** The held drafts, oldest first. */
  held(): Promise<LedgerDraft[]>;

  /**
   * After an administrator's acknowledgement: appends `entries` (the acknowledgement, then the
   * first `releasedHeld` held drafts, chained by the caller) after `after`, removes those held
   * drafts and clears the halt, atomically. Compare-and-set like `append`.
   */
  release(entries: readonly LedgerEntry[], after: { seq: number; hash: string } | undefined, releasedHeld: number): Promise<boolean>;
}
