/**
 * The proof ledger's chain (docs/privacy.md#proof-ledger): what an entry holds, how its hash
 * links it to the one before, and the check that finds a changed, removed or reordered entry.
 * Pure: the keyed hash (HMAC-SHA256 under a key derived from the installation's secret, so that
 * whoever can write the database cannot forge a consistent chain) comes in as a function.
 */

export type LedgerType = "consent" | "erasure" | "export" | "correction" | "notice" | "request" | "acknowledgement";
export type LedgerDecision = "given" | "declined" | "withdrawn";

/** What happened, without its place in the chain. No personal value and no content. */
export interface LedgerDraft {
  time: string;
  type: LedgerType;
  /** Consents: the decision. */
  decision?: LedgerDecision;
  /** Consents: the purpose as the flow states it. */
  purpose?: string;
  flow?: string;
  flowVersion?: string;
  channel?: string;
  /** The keyed pseudonym of the person the entry is about. */
  person?: string;
  /** Consents: SHA-256 of the exact consent text shown. */
  textHash?: string;
  /**
   * Erasures: `visitor`, `retention`, `request` or `withdrawal`; exports and corrections:
   * `visitor` or `request`; requests: their outcome; acknowledgements: what was found broken;
   * notices: `<erasure|correction|withdrawal>: <processor name>` (docs/privacy.md#recipients-told).
   */
  reason?: string;
  /** Requests desk: the request the entry belongs to. */
  request?: string;
}

export interface LedgerEntry extends LedgerDraft {
  /** Position in the chain, from 1; never reused, also after pruning. */
  seq: number;
  /** The previous entry's hash (the checkpoint's after pruning; `genesis` for the first). */
  prev: string;
  hash: string;
}

/** Where a pruned chain continues from: the last removed entry. */
export interface LedgerCheckpoint {
  seq: number;
  hash: string;
  /** When the pruning happened. */
  at: string;
}

export const genesisHash = "0".repeat(64);

const draftKeys = ["time", "type", "decision", "purpose", "flow", "flowVersion", "channel", "person", "textHash", "reason", "request"] as const;

/**
 * The bytes an entry's hash covers: its facts in a fixed order (`draftKeys`), its position and
 * the previous hash. Spelled out rather than mapped over `draftKeys`, and reading a whole entry
 * without copying it first: verify runs this a million times (the test checks it against the keys).
 */
export function ledgerEntryText(entry: Omit<LedgerEntry, "hash">): string {
  return JSON.stringify([
    entry.seq,
    entry.prev,
    entry.time ?? null,
    entry.type ?? null,
    entry.decision ?? null,
    entry.purpose ?? null,
    entry.flow ?? null,
    entry.flowVersion ?? null,
    entry.channel ?? null,
    entry.person ?? null,
    entry.textHash ?? null,
    entry.reason ?? null,
    entry.request ?? null,
  ]);
}

/** The keys a draft holds, in the order their values enter the hash. */
export const ledgerDraftKeys: readonly (keyof LedgerDraft)[] = draftKeys;

/** Chains drafts after `head` (undefined: the very start). */
export function chainEntries(drafts: readonly LedgerDraft[], head: { seq: number; hash: string } | undefined, mac: (text: string) => string): LedgerEntry[] {
  let seq = head?.seq ?? 0;
  let prev = head?.hash ?? genesisHash;
  return drafts.map((draft) => {
    const unhashed: Omit<LedgerEntry, "hash"> = { ...pickDraft(draft), seq: seq + 1, prev };
    const entry = { ...unhashed, hash: mac(ledgerEntryText(unhashed)) };
    seq = entry.seq;
    prev = entry.hash;
    return entry;
  });
}

/** Only the draft's known keys, so nothing else reaches the store. */
export function pickDraft(draft: LedgerDraft): LedgerDraft {
  const picked: Record<string, string> = {};
  for (const key of draftKeys) {
    const value = draft[key];
    if (value !== undefined) picked[key] = value;
  }
  return picked as unknown as LedgerDraft;
}

export type LedgerBreak = { seq: number; problem: "changed" | "removed" | "reordered" | "tail-removed" };

/**
 * Checks entries in chain order, page by page. `push` answers the first break found (and keeps
 * answering it); `finish` compares the end with the stored head, so a removed last entry shows.
 *
 * @example
 * const check = new LedgerVerifier(status.checkpoint, mac);
 * for (const entry of entries) if (check.push(entry)) break;
 * const broken = check.finish(status.head);
 */
export class LedgerVerifier {
  #seq: number;
  #prev: string;
  #broken: LedgerBreak | undefined;
  count = 0;

  constructor(
    start: { seq: number; hash: string } | undefined,
    private readonly mac: (text: string) => string,
  ) {
    this.#seq = start?.seq ?? 0;
    this.#prev = start?.hash ?? genesisHash;
  }

  push(entry: LedgerEntry): LedgerBreak | undefined {
    if (this.#broken) return this.#broken;
    const expected = this.#seq + 1;
    if (entry.seq !== expected) {
      this.#broken = { seq: Math.min(entry.seq, expected), problem: entry.seq > expected ? "removed" : "reordered" };
      return this.#broken;
    }
    const { hash } = entry;
    if (entry.prev !== this.#prev || this.mac(ledgerEntryText(entry)) !== hash) {
      this.#broken = { seq: entry.seq, problem: "changed" };
      return this.#broken;
    }
    this.#seq = entry.seq;
    this.#prev = hash;
    this.count += 1;
    return undefined;
  }

  /** The break, if any, after the last entry was pushed; the chain must end at `head`. */
  finish(head: { seq: number; hash: string } | undefined): LedgerBreak | undefined {
    if (this.#broken) return this.#broken;
    const endSeq = head?.seq ?? 0;
    if (endSeq > this.#seq) return { seq: this.#seq + 1, problem: "tail-removed" };
    if (endSeq < this.#seq || (head !== undefined && head.hash !== this.#prev)) return { seq: this.#seq, problem: "changed" };
    return undefined;
  }
}
