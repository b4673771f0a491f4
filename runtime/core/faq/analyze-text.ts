/**
 * Turns a question into matchable terms: Unicode-normalised and lower-cased, umlauts folded,
 * colloquial and dialect spellings replaced, stop words dropped, stemmed (Snowball German,
 * Porter English, from `@orama/stemmers`) and synonyms merged into one term per meaning. The
 * knowledge base's phrasings and the visitor's question go through the same steps, so both
 * sides meet in the same terms.
 */
import { stemmer as stemEnglish } from "@orama/stemmers/english";
import { stemmer as stemGerman } from "@orama/stemmers/german";
import type { Language } from "../validate/problem.ts";
import { colloquialForms, joinedPhrases, stopWords, synonymGroups } from "./word-tables.ts";

/** Longer questions are cut: no visitor asks in more words, and the cost of a question stays bounded. */
export const maxQuestionChars = 1000;
export const maxQuestionWords = 80;

export interface AnalyzedWord {
  /** The word folded (lower case, umlauts and ß replaced), before stemming: compound splitting works on it. */
  surface: string;
  /** The matchable term: stemmed, synonyms merged. */
  term: string;
}

export interface Analyzer {
  readonly language: Language;
  /** The words of a text that carry meaning, each with its term. */
  words(text: string): AnalyzedWord[];
  /** The term of one folded word (stemmed, synonyms merged); used for the parts of compounds. */
  termOf(surface: string): string;
  /** The stem of one folded word, before synonyms. */
  stemOf(surface: string): string;
  /** Stem → the term of its synonym group, for every stem in a group. */
  readonly synonyms: ReadonlyMap<string, string>;
}

/** Lower case, compatibility forms unified, and for German the umlauts and ß spelled out plainly. */
export function foldWord(word: string, language: Language): string {
  const lower = word.normalize("NFKC").toLowerCase().replace(/’/g, "'");
  if (language !== "de") return lower;
  // "Öffnungszeiten", "Oeffnungszeiten" and "Offnungszeiten" (a keyboard without umlauts) all meet.
  return lower
    .replace(/ä/g, "a")
    .replace(/ö/g, "o")
    .replace(/ü/g, "u")
    .replace(/ß/g, "ss")
    .replace(/(?<![aeiouq])ae/g, "a")
    .replace(/(?<![aeiouq])oe/g, "o")
    .replace(/(?<![aeiouq])ue/g, "u");
}

const wordPattern = /[\p{L}\p{N}]+(?:'[\p{L}]+)?/gu;

function foldKeys(table: Readonly<Record<string, string>>, language: Language): Map<string, string[]> {
  return new Map(
    Object.entries(table).map(([key, value]) => [
      foldWord(key, language),
      value.split(" ").map((word) => foldWord(word, language)),
    ]),
  );
}

const stemmers: Record<Language, (word: string) => string> = { de: stemGerman, en: stemEnglish };

/** Tables folded once per language; an analyzer per knowledge base adds only its own synonyms. */
const prepared = new Map<
  Language,
  { colloquial: Map<string, string[]>; phrases: Map<string, string>; stop: Set<string>; synonyms: Map<string, string> }
>();

function stemWord(word: string, language: Language): string {
  // Stemmers are for words: numbers and very short tokens stay as they are.
  if (word.length <= 3 || /^\p{N}+$/u.test(word)) return word;
  const stem = stemmers[language](word);
  return stem.length >= 2 ? stem : word;
}

function synonymMap(
  groups: readonly (readonly string[])[],
  language: Language,
  into: Map<string, string>,
): Map<string, string> {
  for (const group of groups) {
    const stems = group.map((word) => stemWord(foldWord(word, language), language));
    const canonical = stems.map((stem) => into.get(stem)).find((known) => known !== undefined) ?? stems[0];
    if (canonical === undefined) continue;
    for (const stem of stems) if (!into.has(stem)) into.set(stem, canonical);
  }
  return into;
}

function tablesFor(language: Language) {
  let tables = prepared.get(language);
  if (!tables) {
    tables = {
      colloquial: foldKeys(colloquialForms[language], language),
      phrases: new Map(
        Object.entries(joinedPhrases[language]).map(([phrase, word]) => [
          foldWord(phrase, language),
          foldWord(word, language),
        ]),
      ),
      stop: new Set([...stopWords[language]].map((word) => foldWord(word, language))),
      synonyms: synonymMap(synonymGroups[language], language, new Map()),
    };
    prepared.set(language, tables);
  }
  return tables;
}

/**
 * An analyzer for a language, with a knowledge base's own synonym groups (single words only;
 * a group's words all become one term).
 *
 * @example
 * const analyzer = createAnalyzer("de", [["Akku", "Batterie"]]);
 * analyzer.words("Habt ihr samstags offen?").map((word) => word.term); // ["samstag", "offen"]
 */
export function createAnalyzer(language: Language, extraSynonyms: readonly (readonly string[])[] = []): Analyzer {
  // The knowledge base's check, its index and the editor's every keystroke analyse the same words: share one analyzer (and its memory of stems).
  const key = `${language}\u0000${JSON.stringify(extraSynonyms)}`;
  const cached = analyzers.get(key);
  if (cached) return cached;
  const analyzer = buildAnalyzer(language, extraSynonyms);
  if (analyzers.size >= 16) analyzers.delete(analyzers.keys().next().value as string);
  analyzers.set(key, analyzer);
  return analyzer;
}

const analyzers = new Map<string, Analyzer>();

function buildAnalyzer(language: Language, extraSynonyms: readonly (readonly string[])[]): Analyzer {
  const tables = tablesFor(language);
  const synonyms =
    extraSynonyms.length === 0 ? tables.synonyms : synonymMap(extraSynonyms, language, new Map(tables.synonyms));
  const analysed = new Map<string, AnalyzedWord[]>();
  // A knowledge base and its visitors repeat their words: each raw word's folded, replaced form is remembered.
  const replacements = new Map<string, string[]>();
  // Stemming is the costly part, and a knowledge base repeats its words (compound splitting asks for many parts): remember each.
  const stems = new Map<string, string>();
  const stemOf = (surface: string): string => {
    let stem = stems.get(surface);
    if (stem === undefined) {
      stem = stemWord(surface, language);
      if (stems.size < 200_000) stems.set(surface, stem);
    }
    return stem;
  };
  const termOf = (surface: string): string => {
    const stem = stemOf(surface);
    return synonyms.get(stem) ?? stem;
  };
  return {
    language,
    termOf,
    stemOf,
    synonyms,
    words(text) {
      // The check of a knowledge base and its index analyse the same phrasings one after the other.
      const known = analysed.get(text);
      if (known) return known;
      const words = analyse(text);
      if (analysed.size >= 50_000) analysed.clear();
      analysed.set(text, words);
      return words;
    },
  };
  function analyse(text: string): AnalyzedWord[] {
    const cut = text.slice(0, maxQuestionChars);
    const plain: string[] = [];
    for (const match of cut.matchAll(wordPattern)) {
      let replaced = replacements.get(match[0]);
      if (replaced === undefined) {
        const folded = foldWord(match[0], language);
        replaced = tables.colloquial.get(folded) ?? (folded.endsWith("'s") ? [folded.slice(0, -2)] : [folded]);
        if (replacements.size < 200_000) replacements.set(match[0], replaced);
      }
      // German separable verbs end the sentence with their particle: "Habt ihr samstags auf?" asks "offen".
      if (
        language === "de" &&
        (replaced[0] === "auf" || replaced[0] === "zu") &&
        /^\s*(?:[?.!]|$)/.test(
          cut.slice((match.index ?? 0) + match[0].length, (match.index ?? 0) + match[0].length + 8),
        )
      ) {
        replaced = [replaced[0] === "auf" ? "offen" : "geschlossen"];
      }
      plain.push(...replaced);
      if (plain.length >= maxQuestionWords * 2) break;
    }
    const words: AnalyzedWord[] = [];
    for (let index = 0; index < plain.length && words.length < maxQuestionWords; index++) {
      const joined = tables.phrases.get(`${plain[index]} ${plain[index + 1]}`);
      if (joined !== undefined) index++;
      const surface = joined ?? (plain[index] as string);
      if (surface.length === 0 || tables.stop.has(surface)) continue;
      words.push({ surface, term: termOf(surface) });
    }
    return words;
  }
}
