/**
 * Scores a knowledge base against an evaluation set (`question,expected` rows; an empty
 * `expected` means no entry answers it and the fallback is right), by the rules of
 * docs/faq.md#testing-a-knowledge-base-in-ci:
 *
 * - a row is right when `expected` is an id, the decision is `answer` or `suggest` and the first
 *   candidate is that id — or when `expected` is empty and the decision is `fallback`;
 * - `wrongConfident` is the share of all rows decided `answer` whose first candidate is not the
 *   expected id (for an unanswerable row: any `answer`).
 */
import { type FaqIndex, type FaqMatch, matchQuestion } from "./faq-index.ts";

export interface EvaluationRow {
  question: string;
  /** An entry id, or "" when the right outcome is the fallback. */
  expected: string;
}

export interface EvaluatedRow extends EvaluationRow {
  match: FaqMatch;
  right: boolean;
}

export interface EvaluationReport {
  rows: EvaluatedRow[];
  accuracy: number;
  wrongConfident: number;
  /** Of the rows with an expected id: right ones. */
  answerableAccuracy: number;
  /** Of the rows without one: the share sent to the fallback. */
  unanswerableFallback: number;
  /** Of the rows decided `answer`: the share that was wrong (precision's complement). */
  wrongAmongAnswers: number;
  /** Expected ids that are not entries of the knowledge base (a typo in the set). */
  unknownExpected: string[];
}

function share(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

export function evaluateFaq(index: FaqIndex, rows: readonly EvaluationRow[]): EvaluationReport {
  const evaluated = rows.map((row): EvaluatedRow => {
    const match = matchQuestion(index, row.question);
    const first = match.candidates[0]?.id;
    const right = row.expected === "" ? match.decision === "fallback" : match.decision !== "fallback" && first === row.expected;
    return { ...row, match, right };
  });
  const answered = evaluated.filter((row) => row.match.decision === "answer");
  const wrongAnswers = answered.filter((row) => row.match.candidates[0]?.id !== row.expected || row.expected === "");
  const answerable = evaluated.filter((row) => row.expected !== "");
  const unanswerable = evaluated.filter((row) => row.expected === "");
  const known = new Set(index.entryIds);
  return {
    rows: evaluated,
    accuracy: share(evaluated.filter((row) => row.right).length, evaluated.length),
    wrongConfident: share(wrongAnswers.length, evaluated.length),
    answerableAccuracy: share(answerable.filter((row) => row.right).length, answerable.length),
    unanswerableFallback: share(unanswerable.filter((row) => row.right).length, unanswerable.length),
    wrongAmongAnswers: share(wrongAnswers.length, answered.length),
    unknownExpected: [...new Set(answerable.map((row) => row.expected).filter((id) => !known.has(id)))],
  };
}
