/**
 * The proof ledger as the services write and read it (docs/privacy.md#proof-ledger): consent
 * decisions, erasures and exports, chained with a keyed hash (HMAC-SHA256 under a key derived
 * from the installation's secret) and appended in batches, so a burst of turns costs one store
 * write. The person is a keyed pseudonym of the conversation; nothing personal and no content
 * is kept. Kept for the proof period (BOTSCHAFT_PROOF_PERIOD, default three years), then pruned
 * behind a checkpoint.
 *
 * A chain that fails verification halts the ledger: drafts are held, not chained, until an
 * administrator acknowledges the break, which is itself an entry.
 */
import { createHmac, type KeyObject } from "node:crypto";
import type { ConsentRecord } from "../../core/index.ts";
import { chainEntries, type LedgerBreak, type LedgerDraft, type LedgerEntry, LedgerVerifier } from "../../core/privacy/ledger-chain.ts";
import type { LedgerStatus, ProofLedgerStore } from "../../stores/ports/proof-ledger.ts";
import { AppError } from "../app-error.ts";

export type { LedgerBreak, LedgerDraft, LedgerEntry, LedgerStatus };

/** The columns of the CSV export, in order. */
export const ledgerColumns = ["seq", "time", "type", "decision", "purpose", "flow", "flowVersion", "channel", "person", "textHash", "reason", "request", "prev", "hash"] as const;

export const defaultProofPeriodMs = 3 * 365 * 86_400_000;

const decisions: Record<ConsentRecord["decision"], NonNullable<LedgerDraft["decision"]>> = { accept: "given", decline: "declined", withdraw: "withdrawn" };

/** A consent record of the engine as a ledger draft. */
export function consentDraft(record: ConsentRecord, flow: string, person: string): LedgerDraft {
  return {
    time: record.at,
    type: "consent",
    decision: decisions[record.decision],
    purpose: record.purpose,
    flow,
    flowVersion: record.flowVersion,
    channel: record.channel,
    person,
    textHash: record.textHash,
  };
}

export interface ProofLedgerOptions {
  store: ProofLedgerStore;
  /** Keys the chain's hashes. */
  chainKey: KeyObject;
  /** Keys the person pseudonyms. */
  personKey: KeyObject;
  clock: () => Date;
  proofPeriodMs?: number;
  /** Told when an append failed and is retried, or the chain was found broken; the caller logs it. */
  onProblem?: (problem: { code: "append-failed" | "chain-broken"; message: string; error?: unknown }) => void;
}

export interface VerifyResult {
  ok: boolean;
  /** Entries checked. */
  entries: number;
  broken?: LedgerBreak;
}

const pageSize = 5000;

export class ProofLedger {
  readonly #options: ProofLedgerOptions;
  #pending: { draft: LedgerDraft; done: () => void }[] = [];
  #flushing: Promise<void> | undefined;

  constructor(options: ProofLedgerOptions) {
    this.#options = options;
  }

  /** The keyed pseudonym under which a conversation's entries stand. */
  personOf(conversationId: string): string {
    return createHmac("sha256", this.#options.personKey).update(`conversation\u0000${conversationId}`).digest("base64url");
  }

  #mac = (text: string): string => createHmac("sha256", this.#options.chainKey).update(text).digest("hex");

  /**
   * Appends the drafts; resolves once they are durable (or held, while the ledger is halted).
   * Drafts recorded while a write is under way go together in the next one. A failed write is
   * reported and tried again; the promise waits for it.
   */
  record(drafts: readonly LedgerDraft[]): Promise<void> {
    if (drafts.length === 0) return Promise.resolve();
    const done = new Promise<void>((resolve) => {
      for (const [index, draft] of drafts.entries()) this.#pending.push({ draft, done: index === drafts.length - 1 ? resolve : () => undefined });
    });
    this.#flushing ??= this.#flush();
    return done;
  }

  async #flush(): Promise<void> {
    let failures = 0;
    while (this.#pending.length > 0) {
      const batch = this.#pending;
      this.#pending = [];
      try {
        await this.#write(batch.map((item) => item.draft));
        failures = 0;
        for (const item of batch) item.done();
      } catch (error) {
        failures += 1;
        this.#pending = [...batch, ...this.#pending];
        this.#options.onProblem?.({ code: "append-failed", message: `Appending ${batch.length} proof ledger entr${batch.length === 1 ? "y" : "ies"} failed; retrying.`, error });
        await new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 100 * 2 ** failures)));
      }
    }
    this.#flushing = undefined;
  }

  async #write(drafts: LedgerDraft[]): Promise<void> {
    const { store } = this.#options;
    for (let attempt = 0; ; attempt++) {
      const status = await store.status();
      if (status.halted) return store.hold(drafts);
      const entries = chainEntries(drafts, status.head, this.#mac);
      if (await store.append(entries, status.head)) return;
      if (attempt > 50) throw new AppError("conflict", "The proof ledger's head kept moving.");
    }
  }

  /** Waits until everything recorded so far is written. */
  async settled(): Promise<void> {
    while (this.#flushing) await this.#flushing;
  }

  status(): Promise<LedgerStatus> {
    return this.#options.store.status();
  }

  /** Checks the whole chain from its checkpoint, page by page. */
  async verify(): Promise<VerifyResult> {
    const { store } = this.#options;
    const status = await store.status();
    const verifier = new LedgerVerifier(status.checkpoint, this.#mac);
    let fromSeq = (status.checkpoint?.seq ?? 0) + 1;
    // An entry before the checkpoint that survived pruning (or was put back) is a break too.
    const early = await store.read({ fromSeq: 0, limit: 1 });
    if (early[0] && early[0].seq < fromSeq) return { ok: false, entries: 0, broken: { seq: early[0].seq, problem: "reordered" } };
    // The next page is read while this one is hashed, so the store's time and the HMACs overlap.
    let next = store.read({ fromSeq, limit: pageSize });
    for (;;) {
      const page = await next;
      const full = page.length === pageSize;
      if (full) {
        fromSeq = (page.at(-1)?.seq ?? fromSeq) + 1;
        next = store.read({ fromSeq, limit: pageSize });
      }
      for (const entry of page) {
        const broken = verifier.push(entry);
        if (broken) {
          // The page read ahead is not needed any more; its failure must not go unhandled.
          if (full) next.catch(() => undefined);
          return { ok: false, entries: verifier.count, broken };
        }
      }
      if (!full) break;
    }
    const broken = verifier.finish(status.head);
    return broken ? { ok: false, entries: verifier.count, broken } : { ok: true, entries: verifier.count };
  }

  /** Verifies; a broken chain halts the ledger and is reported loudly. Run at start and on a timer. */
  async check(): Promise<VerifyResult> {
    const result = await this.verify();
    if (result.broken) {
      const reason = describeBreak(result.broken);
      await this.#options.store.halt(reason, this.#options.clock().toISOString());
      this.#options.onProblem?.({
        code: "chain-broken",
        message: `PROOF LEDGER TAMPERED: ${reason}. New entries are held until an administrator acknowledges it (POST /api/v1/privacy/ledger/acknowledge).`,
      });
    }
    return result;
  }

  /**
   * An administrator saw the break: an acknowledgement entry (naming what broke and who
   * acknowledged it) starts the chain again after the current head, followed by the held drafts.
   */
  async acknowledge(by: string): Promise<LedgerEntry[]> {
    const { store } = this.#options;
    for (let attempt = 0; attempt < 50; attempt++) {
      const status = await store.status();
      if (!status.halted) throw new AppError("conflict", "The proof ledger is not halted; there is nothing to acknowledge.");
      const held = await store.held();
      const acknowledgement: LedgerDraft = { time: this.#options.clock().toISOString(), type: "acknowledgement", reason: `${status.halted.reason}; acknowledged by ${by}` };
      const entries = chainEntries([acknowledgement, ...held], status.head, this.#mac);
      if (await store.release(entries, status.head, held.length)) return entries;
    }
    throw new AppError("conflict", "The proof ledger's head kept moving.");
  }

  /** Removes entries older than the proof period behind a checkpoint; resolves with how many. */
  prune(): Promise<number> {
    const now = this.#options.clock();
    const before = new Date(now.getTime() - (this.#options.proofPeriodMs ?? defaultProofPeriodMs)).toISOString();
    return this.#options.store.prune(before, now.toISOString());
  }

  /** One page of entries in chain order, from `fromSeq` on. */
  page(query: { fromSeq: number; limit: number; person?: string }): Promise<LedgerEntry[]> {
    return this.#options.store.read(query);
  }

  /** Entries in chain order, page by page; only one person's with `person`. */
  async *entries(query: { person?: string } = {}): AsyncGenerator<LedgerEntry> {
    let fromSeq = 0;
    for (;;) {
      const page = await this.#options.store.read({ fromSeq, limit: pageSize, ...query });
      yield* page;
      if (page.length < pageSize) return;
      fromSeq = (page.at(-1)?.seq ?? fromSeq) + 1;
    }
  }
}

export function describeBreak(broken: LedgerBreak): string {
  const what = { changed: "was changed", removed: "was removed", reordered: "is out of order", "tail-removed": "and those after it were removed" }[broken.problem];
  return `entry ${broken.seq} ${what}`;
}
