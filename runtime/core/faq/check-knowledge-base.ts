/**
 * The check of a knowledge base file (`<name>.faq.yaml`), like a flow's: bytes → text → YAML →
 * schema (`schemas/knowledge-base.schema.json`) → its own rules, every problem with line and
 * column. An entry id used twice is an error; a question that two entries share, or that the
 * matcher cannot tell from another (same terms after stemming and synonyms), is a warning.
 */
import type { KnowledgeBase } from "../dsl/knowledge-base.generated.ts";
import { locateProblems, readYamlSource } from "../load/read-yaml-source.ts";
import { message } from "../validate/messages.ts";
import type { Language, Problem, UnlocatedProblem } from "../validate/problem.ts";
import { checkKnowledgeBaseSchema } from "../validate/schema-check.ts";
import { createAnalyzer, foldWord } from "./analyze-text.ts";

export const knowledgeBaseSuffix = ".faq.yaml";

/** Whether a file name is a knowledge base's (`service.faq.yaml`, also `.faq.yml`) rather than a flow's. */
export function isKnowledgeBaseFileName(fileName: string): boolean {
  return /\.faq\.ya?ml$/i.test(fileName);
}

/** `dir/service.faq.yaml` → `service`. */
export function knowledgeBaseNameFromFileName(fileName: string): string {
  const base = fileName.slice(Math.max(fileName.lastIndexOf("/"), fileName.lastIndexOf("\\")) + 1);
  return base.replace(/\.faq\.ya?ml$/i, "");
}

export interface CheckKnowledgeBaseResult {
  /** The knowledge base, when it is schema-valid (it may still have problems). */
  knowledgeBase?: KnowledgeBase;
  problems: Problem[];
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Duplicate ids (errors) and questions the matcher cannot tell apart (warnings). */
function entryProblems(knowledgeBase: KnowledgeBase, lang: Language): UnlocatedProblem[] {
  const problems: UnlocatedProblem[] = [];
  const ids = new Set<string>();
  const analyzer = createAnalyzer(knowledgeBase.language, knowledgeBase.synonyms ?? []);
  const questions = new Map<string, { entry: string; question: string }>();
  knowledgeBase.entries.forEach((entry, index) => {
    if (ids.has(entry.id)) {
      problems.push({ rule: "faq-id", severity: "error", pointer: `/entries/${index}/id`, message: message("faq-id-twice", { id: entry.id }, lang) });
    }
    ids.add(entry.id);
    entry.questions.forEach((question, position) => {
      const pointer = `/entries/${index}/questions/${position}`;
      const terms = [...new Set(analyzer.words(question).map((word) => word.term))].sort().join(" ");
      // A question of stop words only ("Wie ist das?") has no terms; compare it by its text.
      const key = terms === "" ? `text:${foldWord(question.trim(), knowledgeBase.language)}` : terms;
      const earlier = questions.get(key);
      if (!earlier) {
        questions.set(key, { entry: entry.id, question });
        return;
      }
      const same = foldWord(earlier.question.trim(), knowledgeBase.language) === foldWord(question.trim(), knowledgeBase.language);
      // Two wordings of one entry that the matcher reads alike do no harm; only a verbatim repeat is worth a word.
      if (earlier.entry === entry.id && !same) return;
      const text =
        earlier.entry === entry.id
          ? message("faq-repeated-question", undefined, lang)
          : same
            ? message("faq-duplicate-question", { other: earlier.entry }, lang)
            : message("faq-near-duplicate-question", { other: earlier.entry, question: earlier.question }, lang);
      problems.push({ rule: "faq-duplicate", severity: "warning", pointer, message: text });
    });
  });
  return problems;
}

/** Validates a parsed knowledge base document (the editor re-runs this after each edit). */
export function checkKnowledgeBaseValue(value: unknown, lang: Language = "en"): { knowledgeBase?: KnowledgeBase; problems: UnlocatedProblem[] } {
  if (!isMapping(value) || !("entries" in value || "language" in value)) {
    return { problems: [{ rule: "schema", severity: "error", pointer: "", message: message("not-a-knowledge-base", undefined, lang) }] };
  }
  const { knowledgeBase, problems } = checkKnowledgeBaseSchema(value, lang);
  if (!knowledgeBase) return { problems };
  return { knowledgeBase, problems: entryProblems(knowledgeBase, lang) };
}

/**
 * Checks a knowledge base file's content.
 *
 * @example
 * const { knowledgeBase, problems } = checkKnowledgeBaseSource(await readFile("flows/service.faq.yaml"), { lang: "de" });
 */
export function checkKnowledgeBaseSource(source: string | Uint8Array, options: { lang?: Language } = {}): CheckKnowledgeBaseResult {
  const lang = options.lang ?? "en";
  const read = readYamlSource(source, lang);
  if ("problems" in read) return { problems: read.problems };
  const { knowledgeBase, problems } = checkKnowledgeBaseValue(read.value, lang);
  const located = locateProblems(read, problems);
  return knowledgeBase ? { knowledgeBase, problems: located } : { problems: located };
}
