/**
 * `botschaft ask` and `botschaft faq-eval` (docs/faq.md#testing-a-knowledge-base-in-ci): the
 * matcher of the `faq` step on the command line, for trying a question and for scoring a
 * knowledge base against an evaluation set in CI.
 */
import { parse } from "csv-parse/sync";
import { type EvaluationRow, evaluateFaq, type FaqIndex, hasErrors, indexKnowledgeBase, type Language, matchQuestion, maxFlowBytes } from "../core/index.ts";
import { checkFlowFile } from "./check-flow-file.ts";
import { type ExitCode, exitCode } from "./exit-code.ts";
import { formatText } from "./format-problems.ts";
import { inputProblem } from "./input-problem.ts";
import { readFlowBytes } from "./read-flow-bytes.ts";
import { sanitizeForTerminal } from "./sanitize-for-terminal.ts";

interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** The knowledge base of a file, indexed; its problems on stderr when it has errors. */
async function loadIndex(file: string, lang: Language, io: Io): Promise<FaqIndex | undefined> {
  const report = await checkFlowFile(file, lang);
  if (!report.knowledgeBase || hasErrors(report.problems)) {
    const problems = report.knowledgeBase || report.problems.length > 0 ? report.problems : [inputProblem({ kind: "not-a-file" }, lang)];
    io.stderr(formatText([{ file, problems }]));
    return undefined;
  }
  return indexKnowledgeBase(report.knowledgeBase);
}

/** Prints `{ "decision", "candidates": [{ "id", "score" }] }` for one question. */
export async function askCommand(file: string, question: string, lang: Language, io: Io): Promise<ExitCode> {
  const index = await loadIndex(file, lang, io);
  if (!index) return exitCode.errors;
  const { decision, candidates } = matchQuestion(index, question);
  io.stdout(`${JSON.stringify({ decision, candidates: candidates.map(({ id, score }) => ({ id, score })) })}\n`);
  return exitCode.ok;
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)} %`;
}

function readRows(text: string): EvaluationRow[] | string {
  let records: Record<string, string | undefined>[];
  try {
    records = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true, relax_column_count: true });
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  if (records.length > 0 && !("question" in (records[0] ?? {}))) return "the CSV needs a header line `question,expected`";
  return records.map((record) => ({ question: record.question ?? "", expected: record.expected ?? "" }));
}

/**
 * Scores a knowledge base against `question,expected` rows and prints accuracy, the confident
 * wrong answers and the confusion list; the last line is `accuracy=<0..1> wrong_confident=<0..1>`.
 * Exit 0 whenever it ran, whatever the figures: CI decides on the last line.
 */
export async function faqEvalCommand(file: string, csvFile: string, lang: Language, io: Io): Promise<ExitCode> {
  const index = await loadIndex(file, lang, io);
  if (!index) return exitCode.errors;
  const read = await readFlowBytes(csvFile, maxFlowBytes);
  if (read.issue) {
    io.stderr(formatText([{ file: csvFile, problems: [inputProblem(read.issue, lang)] }]));
    return exitCode.errors;
  }
  const rows = readRows(new TextDecoder().decode(read.bytes));
  if (typeof rows === "string") {
    io.stderr(`${sanitizeForTerminal(csvFile)}: ${sanitizeForTerminal(rows)}\n`);
    return exitCode.errors;
  }
  const report = evaluateFaq(index, rows);
  const count = (decision: string) => report.rows.filter((row) => row.match.decision === decision).length;
  const answerable = rows.filter((row) => row.expected !== "").length;
  const confusions = report.rows.filter((row) => !row.right);
  const wrongAnswers = report.rows.filter((row) => row.match.decision === "answer" && row.match.candidates[0]?.id !== row.expected).length;
  const lines = [
    `${sanitizeForTerminal(file)} against ${sanitizeForTerminal(csvFile)}: ${rows.length} questions (${answerable} with an expected entry, ${rows.length - answerable} that none answers)`,
    `top-1 accuracy: ${percent(report.accuracy)} (${rows.length - confusions.length} of ${rows.length})`,
    `  answerable questions right: ${percent(report.answerableAccuracy)}; unanswerable ones sent to the fallback: ${percent(report.unanswerableFallback)}`,
    `confident wrong answers: ${percent(report.wrongConfident)} of all questions (${wrongAnswers}); ${percent(report.wrongAmongAnswers)} of the ${count("answer")} direct answers`,
    `decisions: answer ${count("answer")}, suggest ${count("suggest")}, fallback ${count("fallback")}`,
    ...(report.unknownExpected.length > 0 ? [`expected ids that are no entry: ${report.unknownExpected.join(", ")}`] : []),
    "",
    confusions.length === 0 ? "confusions: none" : "confusions (expected → first candidate, decision, score: question):",
    ...confusions.map((row) => {
      const first = row.match.candidates[0];
      const got = first ? `${first.id}` : "-";
      return `  ${row.expected || "(fallback)"} → ${got}, ${row.match.decision}, ${first ? first.score.toFixed(3) : "0.000"}: ${sanitizeForTerminal(row.question)}`;
    }),
    "",
    `accuracy=${report.accuracy.toFixed(4)} wrong_confident=${report.wrongConfident.toFixed(4)}`,
  ];
  io.stdout(`${lines.join("\n")}\n`);
  return exitCode.ok;
}
