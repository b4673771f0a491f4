/**
 * The matcher: a knowledge base indexed once (`indexKnowledgeBase`), then each question scored
 * against it (`matchQuestion`) and decided — answer, suggest the best entries, or fall back.
 *
 * Every phrasing of an entry is a document of its own, the answer text a weaker one. A question's
 * terms are looked up exactly, then as a German compound split into known parts, then as a
 * near spelling (character trigrams find candidates, an edit distance accepts them: typos),
 * and otherwise count as unknown. A document's score is BM25 normalised by what the question
 * asks (its terms' IDF weight, unknown terms at full weight), times how much of the document the
 * question covers — so "Wann habt ihr offen?" scores near 1 against "Habt ihr samstags offen?",
 * and "Wie wird das Wetter?" scores near 0 against everything. An entry scores as its best document.
 * Pure: the editor's "try a question" box, the engine and the CLI share it.
 */
import type { Language } from "../validate/problem.ts";
import { type Analyzer, type AnalyzedWord, createAnalyzer } from "./analyze-text.ts";

export interface FaqThresholdSettings {
  answer: number;
  suggest: number;
  margin: number;
}

export const defaultThresholds: FaqThresholdSettings = { answer: 0.7, suggest: 0.4, margin: 0.1 };

/** What the matcher needs of a knowledge base (the schema's `KnowledgeBase` fits). */
export interface MatchableKnowledgeBase {
  language: Language;
  synonyms?: string[][];
  thresholds?: Partial<FaqThresholdSettings>;
  entries: readonly { id: string; title?: string; questions: readonly string[]; answer: string }[];
}

export type FaqDecision = "answer" | "suggest" | "fallback";

export interface FaqCandidate {
  id: string;
  /** 0 to 1; three decimals. */
  score: number;
}

export interface FaqMatch {
  decision: FaqDecision;
  /** The best entries, best first (at most three). */
  candidates: FaqCandidate[];
  /** Set when the question has no words at all (empty, emoji, punctuation). */
  empty?: true;
}

const analyzers = new WeakMap<FaqIndex, Analyzer>();

/** The index's analyzer, built once per index object. */
export function analyzerOf(index: FaqIndex): Analyzer {
  let analyzer = analyzers.get(index);
  if (!analyzer) {
    analyzer = createAnalyzer(index.language, index.synonyms);
    analyzers.set(index, analyzer);
  }
  return analyzer;
}

interface Document {
  entry: number;
  /** The answer text counts less than a phrasing. */
  weight: number;
  length: number;
  /** Sum of the IDF of the document's distinct terms, for its coverage. */
  mass: number;
}

interface Posting {
  document: number;
  frequency: number;
}

export interface FaqIndex {
  readonly language: Language;
  readonly thresholds: FaqThresholdSettings;
  readonly entryIds: readonly string[];
  /** The knowledge base's own synonym groups (the analyzer is rebuilt from them: an index is plain data, so it crosses worker threads). */
  readonly synonyms: readonly (readonly string[])[];
  readonly documents: readonly Document[];
  readonly postings: ReadonlyMap<string, readonly Posting[]>;
  readonly idf: ReadonlyMap<string, number>;
  /** The weight of a term the knowledge base does not know: as rare as a term can be. */
  readonly unknownWeight: number;
  readonly averageLength: number;
  /** Character trigram → terms containing it, for finding near spellings. */
  readonly trigrams: ReadonlyMap<string, readonly string[]>;
  /** Folded surface words and their terms, for splitting compounds and for near spellings of whole words. */
  readonly surfaceTerms: ReadonlyMap<string, string>;
  /** Character trigram → folded surface words containing it. */
  readonly surfaceTrigrams: ReadonlyMap<string, readonly string[]>;
}

const k1 = 1.2;
const b = 0.75;
const answerWeight = 0.6;
/**
 * How much the share of the question a document answers counts, and how much the share of the
 * document the question covers: a short question may match a long phrasing, but a question half
 * of whose words no document knows is not answered with confidence.
 */
const askedExponent = 0.55;
const coverageExponent = 0.45;
/** A word the knowledge base does not know weighs as much as a rare known one, a little less: often it is filler. */
const unknownFactor = 1;
const linkers = ["", "s", "es", "n", "en", "e", "er"];

function trigramsOf(term: string): string[] {
  const padded = `#${term}#`;
  const grams: string[] = [];
  for (let index = 0; index + 3 <= padded.length; index++) grams.push(padded.slice(index, index + 3));
  return grams;
}

/**
 * A compound's known parts (German: "versandkosten" → versand, kost), or undefined. Parts are
 * at least 3 letters, joined optionally by a linking s/es/n/en/e/er; the longest known head wins.
 */
function splitCompound(surface: string, known: (surface: string) => string | undefined, depth = 0): string[] | undefined {
  if (surface.length < 7 || depth > 3) return undefined;
  // Parts joined directly first: "trackingnummer" is tracking + nummer, not trackingn + ummer.
  for (const linked of [false, true]) {
    for (let cut = surface.length - 4; cut >= 3; cut--) {
      const head = surface.slice(0, cut);
      const tail = surface.slice(cut);
      for (const linker of linked ? linkers.slice(1) : [""]) {
        if (!head.endsWith(linker) || head.length - linker.length < 3) continue;
        const headTerm = known(head.slice(0, head.length - linker.length));
        if (headTerm === undefined) continue;
        const tailTerm = known(tail);
        if (tailTerm !== undefined) return [headTerm, tailTerm];
        const tailParts = splitCompound(tail, known, depth + 1);
        if (tailParts) return [headTerm, ...tailParts];
      }
    }
  }
  return undefined;
}

/**
 * A compound of which only one part is known: the known part, and the other as a word of its
 * own ("wartungsintervall" → wartung + intervall; "ruckerstattung" → ruck + erstattung). Parts
 * are at least 4 letters, so short syllables never pass for words.
 */
function splitCompoundPartly(surface: string, known: (surface: string) => string | undefined): { known: string; rest: string } | undefined {
  if (surface.length < 9) return undefined;
  for (let cut = surface.length - 4; cut >= 4; cut--) {
    const head = surface.slice(0, cut);
    const tail = surface.slice(cut);
    const tailTerm = known(tail);
    if (tailTerm !== undefined) return { known: tailTerm, rest: head.replace(/(?:es|s)$/, "") };
  }
  for (const linked of [false, true]) {
    for (let cut = surface.length - 4; cut >= 4; cut--) {
      const head = surface.slice(0, cut);
      for (const linker of linked ? linkers.slice(1) : [""]) {
        if (!head.endsWith(linker) || head.length - linker.length < 4) continue;
        const headTerm = known(head.slice(0, head.length - linker.length));
        if (headTerm !== undefined) return { known: headTerm, rest: surface.slice(cut) };
      }
    }
  }
  return undefined;
}

/** Optimal string alignment distance (edits, with swapped neighbours as one), or `limit + 1` once beyond it. */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previousPrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMinimum = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, (previousPrevious[j - 2] ?? 0) + 1);
      current.push(value);
      rowMinimum = Math.min(rowMinimum, value);
    }
    if (rowMinimum > limit) return limit + 1;
    previousPrevious = previous;
    previous = current;
  }
  return previous[b.length] ?? limit + 1;
}

/**
 * Indexes a knowledge base for matching; done once per published version (and on each edit in
 * the editor), so it may take a few milliseconds per thousand entries.
 *
 * @example
 * const index = indexKnowledgeBase({ language: "de", entries: [{ id: "opening-hours", questions: ["Öffnungszeiten"], answer: "9–17 Uhr" }] });
 * matchQuestion(index, "Wann habt ihr offen?"); // { decision: "answer", candidates: [{ id: "opening-hours", score: 1 }] }
 */
export function indexKnowledgeBase(knowledgeBase: MatchableKnowledgeBase, thresholds: Partial<FaqThresholdSettings> = {}): FaqIndex {
  const analyzer = createAnalyzer(knowledgeBase.language, knowledgeBase.synonyms ?? []);
  const entryWords = knowledgeBase.entries.map((entry) => ({
    phrasings: [...(entry.title === undefined ? [] : [entry.title]), ...entry.questions].map((text) => analyzer.words(text)),
    answer: analyzer.words(entry.answer),
  }));
  // Every single word the knowledge base uses, for splitting compounds into known parts.
  const surfaceTerms = new Map<string, string>();
  for (const { phrasings, answer } of entryWords) for (const word of [...phrasings.flat(), ...answer]) surfaceTerms.set(word.surface, word.term);
  const knownTerms = new Set(surfaceTerms.values());
  const known = knownPart(surfaceTerms, knownTerms, analyzer);
  const split = new Map<string, string[]>();
  const termsOf = (words: readonly AnalyzedWord[]): string[] =>
    words.flatMap((word) => {
      if (knowledgeBase.language !== "de") return [word.term];
      let terms = split.get(word.surface);
      if (!terms) {
        const parts = splitCompound(word.surface, known);
        const partly = parts ? undefined : splitCompoundPartly(word.surface, known);
        // A compound counts whole and as its parts, so "Zeiten" finds "Öffnungszeiten".
        terms = parts ? [word.term, ...parts.filter((part) => part !== word.term)] : partly ? [word.term, partly.known, analyzer.termOf(partly.rest)] : [word.term];
        split.set(word.surface, terms);
      }
      return terms;
    });

  const documents: Document[] = [];
  const documentTerms: string[][] = [];
  const entryFrequency = new Map<string, number>();
  entryWords.forEach(({ phrasings, answer }, entry) => {
    const seen = new Set<string>();
    for (const words of phrasings) {
      const terms = termsOf(words);
      documents.push({ entry, weight: 1, length: terms.length, mass: 0 });
      documentTerms.push(terms);
      for (const term of terms) seen.add(term);
    }
    const answerTerms = termsOf(answer);
    documents.push({ entry, weight: answerWeight, length: answerTerms.length, mass: 0 });
    documentTerms.push(answerTerms);
    for (const term of answerTerms) seen.add(term);
    for (const term of seen) entryFrequency.set(term, (entryFrequency.get(term) ?? 0) + 1);
  });

  // IDF over entries, not documents: an entry with twenty phrasings of "Akku" must not make "Akku" common.
  const entryCount = knowledgeBase.entries.length;
  const idf = new Map<string, number>();
  for (const [term, frequency] of entryFrequency) idf.set(term, Math.log(1 + (entryCount - frequency + 0.5) / (frequency + 0.5)));
  const unknownWeight = unknownFactor * Math.log(1 + (entryCount + 0.5) / 0.5);

  const postings = new Map<string, Posting[]>();
  let totalLength = 0;
  documentTerms.forEach((terms, document) => {
    const counts = new Map<string, number>();
    for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
    let mass = 0;
    for (const [term, frequency] of counts) {
      mass += idf.get(term) ?? 0;
      const list = postings.get(term);
      if (list) list.push({ document, frequency });
      else postings.set(term, [{ document, frequency }]);
    }
    const stored = documents[document];
    if (stored) stored.mass = mass;
    totalLength += terms.length;
  });

  const trigramIndex = (words: Iterable<string>, minimum: number): Map<string, string[]> => {
    const index = new Map<string, string[]>();
    for (const word of words) {
      if (word.length < minimum) continue;
      for (const gram of new Set(trigramsOf(word))) {
        const list = index.get(gram);
        if (list) list.push(word);
        else index.set(gram, [word]);
      }
    }
    return index;
  };
  const trigrams = trigramIndex(postings.keys(), 4);
  const surfaceTrigrams = trigramIndex(surfaceTerms.keys(), 5);

  const index: FaqIndex = {
    language: knowledgeBase.language,
    thresholds: { ...defaultThresholds, ...knowledgeBase.thresholds, ...thresholds },
    entryIds: knowledgeBase.entries.map((entry) => entry.id),
    synonyms: knowledgeBase.synonyms ?? [],
    documents,
    postings,
    idf,
    unknownWeight,
    averageLength: documents.length === 0 ? 1 : Math.max(1, totalLength / documents.length),
    trigrams,
    surfaceTerms,
    surfaceTrigrams,
  };
  analyzers.set(index, analyzer);
  return index;
}

/** A question term resolved against the index: the indexed term it means, how sure that is, and its weight. */
interface QueryTerm {
  term: string | undefined;
  similarity: number;
  weight: number;
}

/**
 * The word of `trigrams` nearest to an unknown one: a shared beginning (an inflection the
 * stemmer left, when `prefixes`), then an edit or two (a typo).
 */
function nearest(trigrams: ReadonlyMap<string, readonly string[]>, term: string, prefixes: boolean): { term: string; similarity: number } | undefined {
  if (term.length < 5) return undefined;
  const shared = new Map<string, number>();
  for (const gram of trigramsOf(term)) for (const candidate of trigrams.get(gram) ?? []) shared.set(candidate, (shared.get(candidate) ?? 0) + 1);
  const limit = term.length >= 8 ? 2 : 1;
  let best: { term: string; similarity: number } | undefined;
  for (const [candidate, count] of shared) {
    if (count < 2 && term.length > 4) continue;
    let similarity = 0;
    const shorter = Math.min(candidate.length, term.length);
    if (prefixes && shorter >= 4 && Math.abs(candidate.length - term.length) <= 3 && (candidate.startsWith(term) || term.startsWith(candidate))) {
      // "kostet" and "kost", "deliveri" and "deliv": one word, inflected past what the stemmer removes.
      similarity = 0.85;
    } else {
      // Typos rarely hit the first letter; a short word with another first letter is another word.
      const distance = term[0] === candidate[0] || term.length >= 7 ? editDistance(term, candidate, limit) : limit + 1;
      if (distance <= limit) similarity = 1 - distance * 0.2 - (term[0] === candidate[0] ? 0 : 0.15);
    }
    if (similarity > 0.5 && (!best || similarity > best.similarity || (similarity === best.similarity && candidate < best.term))) {
      best = { term: candidate, similarity };
    }
  }
  return best;
}

/**
 * Whether a piece of a compound is a known word, and its term. A stem is the start of its word,
 * so a piece that starts with no stem of a known term cannot stem to one: that check is a few
 * set lookups, and only the pieces that pass are stemmed (splitting tries dozens per word).
 */
function knownPart(surfaceTerms: ReadonlyMap<string, string>, knownTerms: ReadonlySet<string>, analyzer: Analyzer): (surface: string) => string | undefined {
  // The stems that lead to a known term: the knowledge base's own, and every synonym of a known term ("kosten" for "preis").
  const stems = new Set<string>();
  for (const word of surfaceTerms.keys()) stems.add(analyzer.stemOf(word));
  for (const [stem, term] of analyzer.synonyms) if (knownTerms.has(term)) stems.add(stem);
  for (const term of knownTerms) stems.add(term);
  return (surface) => {
    const exact = surfaceTerms.get(surface);
    if (exact !== undefined) return knownTerms.has(exact) ? exact : undefined;
    let possible = false;
    for (let length = 2; length <= surface.length && !possible; length++) possible = stems.has(surface.slice(0, length));
    if (!possible) return undefined;
    const term = analyzer.termOf(surface);
    return knownTerms.has(term) ? term : undefined;
  };
}

const knownParts = new WeakMap<FaqIndex, (surface: string) => string | undefined>();

function knownPartOf(index: FaqIndex): (surface: string) => string | undefined {
  let known = knownParts.get(index);
  if (!known) {
    known = knownPart(index.surfaceTerms, new Set(index.idf.keys()), analyzerOf(index));
    knownParts.set(index, known);
  }
  return known;
}

function resolve(index: FaqIndex, word: AnalyzedWord): QueryTerm[] {
  const exact = index.idf.get(word.term);
  if (exact !== undefined) return [{ term: word.term, similarity: 1, weight: exact }];
  if (index.language === "de") {
    // German participles: "geöffnet" is "öffnet" with a prefix the stemmer keeps.
    const unprefixed = word.surface.startsWith("ge") && word.surface.length > 6 ? analyzerOf(index).termOf(word.surface.slice(2)) : undefined;
    const unprefixedWeight = unprefixed === undefined ? undefined : index.idf.get(unprefixed);
    if (unprefixed !== undefined && unprefixedWeight !== undefined) return [{ term: unprefixed, similarity: 0.95, weight: unprefixedWeight }];
    const parts = splitCompound(word.surface, knownPartOf(index));
    if (parts) return parts.map((part) => ({ term: part, similarity: 0.95, weight: index.idf.get(part) ?? 0 }));
  }
  // A typo in a whole word ("Öffnungzeiten"), before the stemmer made it unrecognisable.
  const nearWord = nearest(index.surfaceTrigrams, word.surface, false);
  const nearWordTerm = nearWord && index.surfaceTerms.get(nearWord.term);
  const nearWordWeight = nearWordTerm === undefined ? undefined : index.idf.get(nearWordTerm);
  if (nearWord && nearWordTerm !== undefined && nearWordWeight !== undefined) return [{ term: nearWordTerm, similarity: nearWord.similarity, weight: nearWordWeight }];
  const near = nearest(index.trigrams, word.term, true);
  if (near) return [{ term: near.term, similarity: near.similarity, weight: index.idf.get(near.term) ?? 0 }];
  if (index.language === "de") {
    const partly = splitCompoundPartly(word.surface, knownPartOf(index));
    if (partly) {
      const rest = analyzerOf(index).termOf(partly.rest);
      const restWeight = index.idf.get(rest);
      return [
        { term: partly.known, similarity: 0.9, weight: index.idf.get(partly.known) ?? 0 },
        restWeight === undefined ? { term: undefined, similarity: 0, weight: index.unknownWeight } : { term: rest, similarity: 0.9, weight: restWeight },
      ];
    }
  }
  return [{ term: undefined, similarity: 0, weight: index.unknownWeight }];
}

/** How each word of a question was understood (the editor's "try a question" box shows it): its term, or unknown. */
export function explainQuestion(index: FaqIndex, question: string): { word: string; terms: { term: string | undefined; similarity: number; weight: number }[] }[] {
  return analyzerOf(index).words(question).map((word) => ({ word: word.surface, terms: resolve(index, word).map((term) => ({ ...term, weight: round(term.weight) })) }));
}

function round(score: number): number {
  return Math.round(score * 1000) / 1000;
}

/**
 * Scores a question against the knowledge base and decides. Never throws: an empty question,
 * emoji or a text in another language simply matches nothing and falls back.
 *
 * @example
 * const { decision, candidates } = matchQuestion(index, "Was kostet der Versand?");
 */
export function matchQuestion(index: FaqIndex, question: string, thresholds: Partial<FaqThresholdSettings> = {}): FaqMatch {
  const settings = { ...index.thresholds, ...thresholds };
  const seen = new Set<string>();
  const query: QueryTerm[] = [];
  for (const word of analyzerOf(index).words(question)) {
    for (const resolved of resolve(index, word)) {
      const key = resolved.term ?? `?${word.term}`;
      if (seen.has(key)) continue;
      seen.add(key);
      query.push(resolved);
    }
  }
  const asked = query.reduce((sum, term) => sum + term.weight, 0);
  if (asked === 0) return { decision: "fallback", candidates: [], empty: true };

  const scores = new Map<number, number>();
  const covered = new Map<number, number>();
  for (const { term, similarity, weight } of query) {
    if (term === undefined) continue;
    for (const { document, frequency } of index.postings.get(term) ?? []) {
      const stored = index.documents[document];
      // An answer text is long by nature; its length must not hide the one word a question asks about.
      const lengthFactor = !stored || stored.weight < 1 ? 1 : 1 - b + (b * stored.length) / index.averageLength;
      const saturation = (frequency * (k1 + 1)) / (frequency + k1 * lengthFactor);
      scores.set(document, (scores.get(document) ?? 0) + weight * similarity * Math.min(saturation, 1.25));
      covered.set(document, (covered.get(document) ?? 0) + weight * similarity);
    }
  }
  const best = new Map<number, number>();
  for (const [document, score] of scores) {
    const stored = index.documents[document];
    if (!stored) continue;
    const asks = Math.min(1, score / asked);
    // An answer text is long: how much of it a question covers says nothing, so it counts by the question alone, weaker.
    const coverage = stored.weight < 1 ? 1 : stored.mass === 0 ? 0 : Math.min(1, (covered.get(document) ?? 0) / stored.mass);
    const confidence = (stored.weight < 1 ? asks : asks ** askedExponent * coverage ** coverageExponent) * stored.weight;
    if (confidence > (best.get(stored.entry) ?? 0)) best.set(stored.entry, confidence);
  }
  const ranked = [...best].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 3);
  const candidates = ranked.map(([entry, score]) => ({ id: index.entryIds[entry] ?? "", score: round(score) }));
  const first = candidates[0]?.score ?? 0;
  const second = candidates[1]?.score ?? 0;
  if (first >= settings.answer && first - second >= settings.margin) return { decision: "answer", candidates };
  if (first >= settings.suggest) return { decision: "suggest", candidates: candidates.filter((candidate) => candidate.score >= settings.suggest) };
  return { decision: "fallback", candidates };
}
