/**
 * `npm run bench:faq`: the `faq` step's matcher at 1,000 entries (docs/faq.md#speed).
 *
 * Builds a German knowledge base of 1,035 entries (the 45 of examples/velo-service.faq.yaml,
 * each repeated for 23 bike models, so every entry and phrasing is distinct and the vocabulary
 * grows as in a real catalogue), then measures
 *
 * - the load: YAML text → checked knowledge base → index, as publishing and a restart do it
 *   (cold, the first in the process, and the median of further loads), with the schema check's
 *   one-time compilation (from source only; the build compiles it ahead of time) timed apart;
 * - the answer: `matchQuestion` for each question of examples/faq-eval/velo-service.de.csv
 *   (242 questions, typos and unanswerable ones included), many rounds, per question.
 *
 * Targets of issue 15: an answer in ≤ 5 ms at 1,000 entries, a load in ≤ 200 ms.
 */
import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { Document, parseDocument } from "yaml";
import { checkKnowledgeBaseSource } from "../faq/check-knowledge-base.ts";
import { indexKnowledgeBase, matchQuestion } from "../faq/faq-index.ts";
import { checkKnowledgeBaseSchema } from "../validate/schema-check.ts";

const root = new URL("../../../", import.meta.url);
const models = ["Aurora", "Borkum", "Cirrus", "Delta", "Elbe", "Fjord", "Gera", "Havel", "Isar", "Jura", "Kiel", "Lahn", "Mosel", "Neiße", "Oder", "Pleiße", "Quarz", "Ruhr", "Saale", "Tauber", "Unstrut", "Vils", "Werra"];

function thousandEntries(): string {
  const document = parseDocument(readFileSync(new URL("examples/velo-service.faq.yaml", root), "utf8"));
  const base = document.toJS() as { language: string; synonyms: string[][]; entries: { id: string; title?: string; questions: string[]; answer: string; next?: string }[] };
  const entries = models.flatMap((model) =>
    base.entries.map((entry) => {
      const { next: _next, ...rest } = entry;
      return {
        ...rest,
        id: `${entry.id}-${model.toLowerCase().replace("ß", "ss")}`,
        ...(entry.title ? { title: `${entry.title} (${model})` } : {}),
        questions: entry.questions.map((question) => `${question.replace(/[?.!]$/, "")} beim Modell ${model}?`),
        answer: `Beim Modell ${model}: ${entry.answer}`,
      };
    }),
  );
  // Written as block-style YAML, as a team would write the file.
  // The last synonym group differs per load (see `variant`), so no load reuses the analyzer of an earlier one.
  return new Document({ language: base.language, synonyms: [...base.synonyms, ["laufnummer0", "laufzahl0"]], entries }).toString({ lineWidth: 0 });
}

function percentile(sorted: readonly number[], share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] ?? 0;
}

function load(source: string) {
  const { knowledgeBase, problems } = checkKnowledgeBaseSource(source);
  if (!knowledgeBase) throw new Error(`the generated knowledge base does not load: ${problems[0]?.message}`);
  return { index: indexKnowledgeBase(knowledgeBase), entries: knowledgeBase.entries.length, warnings: problems.length };
}

const source = thousandEntries();
if (process.env.FAQ_BENCH_WRITE) (await import("node:fs")).writeFileSync(process.env.FAQ_BENCH_WRITE, source);
/** The same knowledge base with its last synonym group renamed: a first load for the matcher's caches, as after a restart or an edit. */
const variant = (run: number) => source.replace(/laufnummer0, laufzahl0|laufnummer0\n\s*- laufzahl0/, (found) => found.replaceAll("0", String(run)));
// The schema check is compiled on first use when running from source; the built runtime and CLI
// have it compiled at build time (precompiled-validators.ts). Timed apart, so that the first load
// below is what a started server pays: a cold JIT, but no compilation.
let started = performance.now();
checkKnowledgeBaseSchema({}, "de");
const schemaCompileMs = performance.now() - started;
started = performance.now();
const { index, entries, warnings } = load(source);
const coldLoadMs = performance.now() - started;
const loads: number[] = [];
const loadCpu: number[] = [];
for (let run = 1; run <= 10; run++) {
  const text = variant(run);
  const cpu = process.cpuUsage();
  started = performance.now();
  load(text);
  loads.push(performance.now() - started);
  const used = process.cpuUsage(cpu);
  // CPU time too: on a shared machine the wall clock also counts other processes' turns.
  loadCpu.push((used.user + used.system) / 1000);
}
loads.sort((a, b) => a - b);
loadCpu.sort((a, b) => a - b);

const questions = (parse(readFileSync(new URL("examples/faq-eval/velo-service.de.csv", root), "utf8"), { columns: true }) as { question: string }[]).map((row) => row.question);
const rounds = 40;
for (const question of questions) matchQuestion(index, question);
const times: number[] = [];
for (let round = 0; round < rounds; round++) {
  for (const question of questions) {
    started = performance.now();
    matchQuestion(index, question);
    times.push(performance.now() - started);
  }
}
times.sort((a, b) => a - b);
const long = `Habt ihr samstags offen? ${"Ich hätte da noch eine ganz andere Frage zu meinem Fahrrad ".repeat(200)}`;
const longTimes: number[] = [];
for (let round = 0; round < 50; round++) {
  started = performance.now();
  matchQuestion(index, long);
  longTimes.push(performance.now() - started);
}
longTimes.sort((a, b) => a - b);

const figures = {
  entries,
  phrasings: index.documents.length - entries,
  sourceBytes: Buffer.byteLength(source),
  duplicateWarnings: warnings,
  load: { schemaCompileMs: round(schemaCompileMs), coldMs: round(coldLoadMs), medianMs: round(percentile(loads, 0.5)), maxMs: round(loads.at(-1) ?? 0), cpuMedianMs: round(percentile(loadCpu, 0.5)) },
  answer: { questions: times.length, medianMs: round(percentile(times, 0.5)), p99Ms: round(percentile(times, 0.99)), maxMs: round(times.at(-1) ?? 0) },
  answerLong: { chars: long.length, medianMs: round(percentile(longTimes, 0.5)), maxMs: round(longTimes.at(-1) ?? 0) },
};

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

console.log(`faq matcher at ${entries} entries (${figures.phrasings} phrasings, ${(figures.sourceBytes / 1024).toFixed(0)} KiB of YAML), Node ${process.version}`);
console.log(`schema check compiled on first use (from source only; the build compiles it ahead of time): ${figures.load.schemaCompileMs} ms`);
console.log(`load (YAML → check → index): first in the process ${figures.load.coldMs} ms (cold JIT), then median ${figures.load.medianMs} ms (CPU ${figures.load.cpuMedianMs} ms), max ${figures.load.maxMs} ms   (target ≤ 200 ms)`);
console.log(`answer: median ${figures.answer.medianMs} ms, p99 ${figures.answer.p99Ms} ms, max ${figures.answer.maxMs} ms over ${figures.answer.questions} questions   (target ≤ 5 ms)`);
console.log(`answer to a ${figures.answerLong.chars}-character question: median ${figures.answerLong.medianMs} ms, max ${figures.answerLong.maxMs} ms`);
console.log(JSON.stringify(figures));
