import { describe, expect, it } from "vitest";
import { chainEntries, genesisHash, type LedgerDraft, type LedgerEntry, ledgerDraftKeys, ledgerEntryText, LedgerVerifier } from "./ledger-chain.ts";

/** A stand-in for HMAC-SHA256: deterministic and different for every input that matters here. */
const mac = (text: string) => {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619) >>> 0;
  return `${hash.toString(16)}:${text.length}`;
};

const drafts: LedgerDraft[] = ["given", "declined", "withdrawn", "given"].map((decision, index) => ({
  time: `2026-11-22T10:0${index}:00.000Z`,
  type: "consent",
  decision: decision as LedgerDraft["decision"],
  purpose: "Rückruf",
  flow: "callback-request",
  channel: "web",
  person: `p-${index}`,
}));

function check(entries: LedgerEntry[], head = entries.at(-1), start?: { seq: number; hash: string }) {
  const verifier = new LedgerVerifier(start, mac);
  for (const entry of entries) if (verifier.push(entry)) break;
  return verifier.finish(head && { seq: head.seq, hash: head.hash });
}

describe("the proof ledger's chain", () => {
  const entries = chainEntries(drafts, undefined, mac);

  it("hashes the same bytes as ever: position, previous hash and every fact in the draft keys' order, absent ones as null", () => {
    // Stored chains were hashed over exactly this text; a change here would break every one of them.
    const entry: LedgerEntry = { seq: 7, prev: "p".repeat(4), hash: "ignored", time: "2026-11-22T10:00:00.000Z", type: "erasure", person: "p-1", reason: "visitor", request: "r-1" };
    expect(ledgerEntryText(entry)).toBe('[7,"pppp","2026-11-22T10:00:00.000Z","erasure",null,null,null,null,null,"p-1",null,"visitor","r-1"]');
    const full = { ...entries[0], flowVersion: "sha256:1", textHash: "t", reason: "x", request: "y" } as LedgerEntry;
    expect(ledgerEntryText(full)).toBe(JSON.stringify([full.seq, full.prev, ...ledgerDraftKeys.map((key) => full[key] ?? null)]));
  });

  it("numbers entries from 1 and links each to the one before, starting at the genesis hash", () => {
    expect(entries.map((entry) => entry.seq)).toEqual([1, 2, 3, 4]);
    expect(entries[0]?.prev).toBe(genesisHash);
    expect(entries[2]?.prev).toBe(entries[1]?.hash);
    expect(check(entries)).toBeUndefined();
  });

  it("continues after a head and keeps only the known facts of a draft", () => {
    const more = chainEntries([{ ...drafts[0], secret: "x" } as LedgerDraft], entries[3], mac);
    expect(more[0]).not.toHaveProperty("secret");
    expect(check([...entries, ...more])).toBeUndefined();
  });

  it("names the first changed entry", () => {
    const changed = entries.map((entry) => (entry.seq === 2 ? { ...entry, decision: "given" as const } : entry));
    expect(check(changed)).toEqual({ seq: 2, problem: "changed" });
  });

  it("names a removed entry, a reordered pair and a removed last entry", () => {
    expect(check([entries[0], entries[2], entries[3]] as LedgerEntry[])).toEqual({ seq: 2, problem: "removed" });
    expect(check([entries[0], entries[2], entries[1], entries[3]] as LedgerEntry[])).toEqual({ seq: 2, problem: "removed" });
    expect(check([entries[1], entries[0]] as LedgerEntry[], entries[3], { seq: 1, hash: entries[0]?.hash as string })).toEqual({ seq: 1, problem: "reordered" });
    expect(check(entries.slice(0, 3), entries[3])).toEqual({ seq: 4, problem: "tail-removed" });
  });

  it("finds an entry rewritten with a recomputed hash but a wrong link, and an unknown head", () => {
    const forged = chainEntries([drafts[1] as LedgerDraft], { seq: 1, hash: "f".repeat(64) }, mac);
    expect(check([entries[0] as LedgerEntry, ...forged, ...entries.slice(2)], entries[3])).toEqual({ seq: 2, problem: "changed" });
    expect(check(entries, { ...(entries[3] as LedgerEntry), hash: "other" })).toEqual({ seq: 4, problem: "changed" });
  });

  it("verifies a pruned chain from its checkpoint", () => {
    expect(check(entries.slice(2), entries[3], { seq: 2, hash: entries[1]?.hash as string })).toBeUndefined();
    expect(check(entries.slice(2), entries[3], { seq: 2, hash: "wrong" })).toEqual({ seq: 3, problem: "changed" });
  });
});
