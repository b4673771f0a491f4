/**
 * The validator benchmark (`npm run bench`): generates realistic flows of 1,000, 10,000 and
 * 50,000 nodes, measures each in a fresh child process (`measure-flow-check.ts`) and prints a
 * table and a verdict per target. A benchmark, not a test: it prints figures and exits 0 even
 * when a target is missed, unless the measurement itself failed.
 *
 * Options: --sizes 1000,10000,50000  --runs 9  --warmups 3  --broken-size 10000  --broken-nodes 100
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import {
  type DamagedNode,
  type DamageKind,
  type FlowComposition,
  type GeneratedFlow,
  generateFlow,
  minimumNodeCount,
} from "./generate-flow.ts";
import type { Measurement, Timing } from "./measurement.ts";

/** The targets the validator is held to. */
const targets = {
  /** The whole check of a 10,000-node file (CLI, publish). */
  wholeCheckMsAt10k: 250,
  /** The editor's re-check after each edit on a 10,000-node flow. */
  valueCheckMsAt10k: 50,
  /** "A few" schema problems per broken node: ajv's discriminator, not a `oneOf` flood. */
  problemsPerBrokenNode: 3,
  /** How far the cost per node at the largest size may exceed that at 10,000 and still count as linear. */
  linearTolerance: 1.25,
};

interface BenchOptions {
  sizes: number[];
  runs: number;
  warmups: number;
  brokenSize: number;
  brokenNodes: number;
}

/** A whole-number option; `10_000` is accepted as in code. */
function wholeNumber(text: string, option: string, minimum: number): number {
  const value = Number(text.replaceAll("_", ""));
  if (!Number.isInteger(value) || value < minimum)
    throw new Error(`--${option} expects a whole number ≥ ${minimum}, got "${text}".`);
  return value;
}

function readOptions(): BenchOptions {
  const { values } = parseArgs({
    options: {
      sizes: { type: "string", default: "1000,10000,50000" },
      runs: { type: "string", default: "9" },
      warmups: { type: "string", default: "3" },
      "broken-size": { type: "string", default: "10000" },
      "broken-nodes": { type: "string", default: "100" },
    },
  });
  return {
    sizes: values.sizes.split(",").map((size) => wholeNumber(size.trim(), "sizes", minimumNodeCount)),
    runs: wholeNumber(values.runs, "runs", 1),
    warmups: wholeNumber(values.warmups, "warmups", 0),
    brokenSize: wholeNumber(values["broken-size"], "broken-size", minimumNodeCount),
    brokenNodes: wholeNumber(values["broken-nodes"], "broken-nodes", 1),
  };
}

const measurerPath = fileURLToPath(new URL("./measure-flow-check.ts", import.meta.url));

/** Checks one generated flow in a fresh Node process, so sizes share no heap, JIT state or peak RSS. */
function measureInChildProcess(generated: GeneratedFlow, directory: string, options: BenchOptions): Measurement {
  const fileName = `${generated.id}${generated.damaged.length > 0 ? "-broken" : ""}.yaml`;
  const file = join(directory, fileName);
  writeFileSync(file, generated.yaml);
  const child = spawnSync(
    process.execPath,
    [
      "--expose-gc",
      "--import",
      import.meta.resolve("tsx"),
      measurerPath,
      "--file",
      file,
      // The flow id must match the file name, also for the broken copy.
      "--file-name",
      `${generated.id}.yaml`,
      "--warmups",
      String(options.warmups),
      "--runs",
      String(options.runs),
    ],
    { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 64 * 1024 * 1024 },
  );
  if (child.status !== 0)
    throw new Error(`The measuring process for ${fileName} failed (exit ${child.status ?? child.signal}).`);
  // The last line is the child's JSON; the child is this benchmark's own code, so its shape is known.
  return JSON.parse(child.stdout.trim().split("\n").pop() ?? "") as Measurement;
}

// Formatting -------------------------------------------------------------------------------------

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const twoDecimals = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function milliseconds(value: number): string {
  return value >= 100 ? integer.format(value) : value >= 1 ? oneDecimal.format(value) : twoDecimals.format(value);
}

function mebibytes(bytes: number): string {
  return oneDecimal.format(bytes / 1024 / 1024);
}

function timingDetail(timing: Timing): string {
  return `median ${milliseconds(timing.medianMs)} ms, min ${milliseconds(timing.minMs)} ms, CPU ${milliseconds(timing.cpuMedianMs)} ms`;
}

function medianAndMin(timing: Timing | undefined): string {
  return timing ? `${milliseconds(timing.medianMs)} / ${milliseconds(timing.minMs)}` : "–";
}

/** A text table: the first column left-aligned, the others right-aligned. */
function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)))
      .join("  ");
  return [line(header), widths.map((width) => "─".repeat(width)).join("  "), ...rows.map(line)]
    .map((text) => `  ${text}`)
    .join("\n");
}

// Report sections ------------------------------------------------------------------------------

interface SizeResult {
  size: number;
  generateMs: number;
  composition: FlowComposition;
  measurement: Measurement;
}

function printSizeTable(results: readonly SizeResult[]): void {
  console.log(
    formatTable(
      [
        "nodes",
        "MB",
        "whole check ms (median / min)",
        "value check ms (median / min)",
        "peak RSS MiB",
        "problems (errors / warnings)",
      ],
      results.map(({ size, measurement: m }) => [
        integer.format(size),
        twoDecimals.format(m.sourceBytes / 1e6),
        medianAndMin(m.wholeCheck),
        medianAndMin(m.valueCheck),
        mebibytes(m.memory.peakRssBytes),
        `${m.errors} / ${m.warnings}`,
      ]),
    ),
  );
  console.log(
    "\n  whole check: checkFlowSource(text, { fileName }): parse, schema, rules (and locating, when there are problems).",
  );
  console.log(
    "  value check: checkFlowValue(value) on an already parsed value: schema and rules, what the editor re-runs per edit.\n",
  );
  console.log(
    formatTable(
      [
        "nodes",
        "whole CPU ms",
        "value CPU ms",
        "first check ms",
        "schema compile ms",
        "RSS before MiB",
        "heap Δ MiB",
        "retained MiB",
      ],
      results.map(({ size, measurement: m }) => [
        integer.format(size),
        milliseconds(m.wholeCheck.cpuMedianMs),
        m.valueCheck ? milliseconds(m.valueCheck.cpuMedianMs) : "–",
        milliseconds(m.coldCheckMs),
        milliseconds(m.compileMs),
        mebibytes(m.memory.baselineRssBytes),
        mebibytes(m.memory.heapDeltaBytes),
        mebibytes(m.memory.retainedHeapBytes),
      ]),
    ),
  );
  console.log(
    "\n  CPU ms: median CPU time of the same runs (unaffected by other processes; includes V8's parallel GC threads).",
  );
  console.log("  first check: the first whole check in its process (schema compiled on a tiny flow before, JIT cold).");
  console.log(
    "  peak RSS: resourceUsage().maxRSS after the first check; RSS before: Node, tsx, the core and the text.",
  );
  console.log(
    "  heap Δ: heapUsed right after the first check minus before it (no GC); retained: the same after a forced GC.",
  );
  // The order shows what a median hides: a run that gets slower after the first few parses.
  console.log("\n  Whole check, each timed run in order (ms):");
  for (const { size, measurement } of results) {
    console.log(
      `  ${integer.format(size).padStart(6)}: ${measurement.wholeCheck.samplesMs.map(milliseconds).join("  ")}`,
    );
  }
}

function percent(part: number, whole: number): string {
  return `${oneDecimal.format((100 * part) / whole)} %`;
}

function printComposition(results: readonly SizeResult[]): void {
  console.log("\nThe generated flows (a utility's customer-service bot; valid by construction, checked above):\n");
  for (const { size, composition } of results) {
    const types = Object.entries(composition.byType)
      .sort(([, a], [, b]) => b - a)
      .map(([type, count]) => `${type} ${percent(count, size)}`)
      .join(", ");
    console.log(
      `  ${integer.format(size).padStart(6)} nodes: ${integer.format(composition.sections)} sections; ${types}; personal inputs ${percent(composition.personalInputs, size)}`,
    );
  }
}

function printStages(results: readonly SizeResult[]): void {
  const names = results[0]?.measurement.stages.map((stage) => stage.name) ?? [];
  const largest = results[results.length - 1];
  // Shares by CPU time: wall-clock shares drift with whatever else the machine is running.
  const largestTotal = largest?.measurement.stages.reduce((sum, stage) => sum + stage.timing.cpuMedianMs, 0) ?? 0;
  const rows = names.map((name) => {
    const cells = results.map(({ measurement }) => {
      const stage = measurement.stages.find((candidate) => candidate.name === name);
      return stage ? `${milliseconds(stage.timing.medianMs)} / ${milliseconds(stage.timing.cpuMedianMs)}` : "–";
    });
    const atLargest = largest?.measurement.stages.find((stage) => stage.name === name)?.timing.cpuMedianMs ?? 0;
    return [name, ...cells, `${integer.format((100 * atLargest) / (largestTotal || 1))} %`];
  });
  console.log("\nWhere the time goes: each stage of the whole check timed on its own (median ms, wall / CPU)\n");
  console.log(
    formatTable(["stage", ...results.map(({ size }) => `${integer.format(size)} nodes`), "CPU share at largest"], rows),
  );
  console.log(
    `  Generating the flows (not measured above): ${results.map((r) => `${integer.format(r.size)}: ${milliseconds(r.generateMs)} ms`).join(", ")}.`,
  );
}

interface BrokenReport {
  problemsPerNode: number[];
  byKind: Map<DamageKind, number[]>;
  outsideDamaged: number;
  unreported: DamagedNode[];
  locatedInNode: number;
  total: number;
}

/** Line ranges (1-based, end exclusive) of each node's block under `nodes:`. */
function nodeLineRanges(yaml: string): Map<string, { from: number; to: number }> {
  const lines = yaml.split("\n");
  const ranges = new Map<string, { from: number; to: number }>();
  let inNodes = false;
  let current: { id: string; from: number } | undefined;
  const close = (to: number): void => {
    if (current) ranges.set(current.id, { from: current.from, to });
    current = undefined;
  };
  lines.forEach((line, index) => {
    if (/^\S/.test(line)) {
      close(index + 1);
      inNodes = line === "nodes:";
      return;
    }
    const header = inNodes ? /^ {2}([A-Za-z0-9][A-Za-z0-9_-]*):$/.exec(line) : null;
    if (header) {
      close(index + 1);
      current = { id: header[1] as string, from: index + 1 };
    }
  });
  close(lines.length + 1);
  return ranges;
}

function analyseBroken(generated: GeneratedFlow, measurement: Measurement): BrokenReport {
  const counts = new Map<string, number>();
  const ranges = nodeLineRanges(generated.yaml);
  const damagedIds = new Set(generated.damaged.map((damaged) => damaged.id));
  let outsideDamaged = 0;
  let locatedInNode = 0;
  for (const problem of measurement.problems) {
    if (problem.node === undefined || !damagedIds.has(problem.node)) {
      outsideDamaged++;
      continue;
    }
    counts.set(problem.node, (counts.get(problem.node) ?? 0) + 1);
    const range = ranges.get(problem.node);
    if (range && problem.line >= range.from && problem.line < range.to) locatedInNode++;
  }
  const byKind = new Map<DamageKind, number[]>();
  for (const damaged of generated.damaged)
    byKind.set(damaged.kind, [...(byKind.get(damaged.kind) ?? []), counts.get(damaged.id) ?? 0]);
  return {
    problemsPerNode: generated.damaged.map((damaged) => counts.get(damaged.id) ?? 0),
    byKind,
    outsideDamaged,
    unreported: generated.damaged.filter((damaged) => !counts.has(damaged.id)),
    locatedInNode,
    total: measurement.problems.length,
  };
}

function spread(values: readonly number[]): string {
  if (values.length === 0) return "–";
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  return `min ${Math.min(...values)}, max ${Math.max(...values)}, mean ${twoDecimals.format(mean)}`;
}

function printBroken(
  generated: GeneratedFlow,
  measurement: Measurement,
  report: BrokenReport,
  validAtSameSize: Measurement | undefined,
): void {
  console.log(
    `\nBroken flow: ${integer.format(measurement.nodeCount)} nodes, ${generated.damaged.length} damaged (${[
      ...report.byKind,
    ]
      .map(([kind, counts]) => `${counts.length} ${kind}`)
      .join(", ")})\n`,
  );
  console.log(`  schema problems: ${report.total} in total; per damaged node: ${spread(report.problemsPerNode)}`);
  for (const [kind, counts] of report.byKind) console.log(`    ${kind.padEnd(18)} ${spread(counts)}`);
  const example = (kind: DamageKind): string => {
    const damaged = generated.damaged.find((candidate) => candidate.kind === kind);
    const problem = measurement.problems.find((candidate) => candidate.node === damaged?.id);
    return problem ? `line ${problem.line}:${problem.column} ${problem.message}` : "no problem reported";
  };
  for (const kind of report.byKind.keys()) console.log(`    e.g. ${kind}: ${example(kind)}`);
  console.log(
    `  problems outside the damaged nodes: ${report.outsideDamaged}; damaged nodes without a problem: ${report.unreported.length}; located inside their node's lines: ${report.locatedInNode} of ${report.total}`,
  );
  const valid = validAtSameSize ? `; the valid flow of this size: ${timingDetail(validAtSameSize.wholeCheck)}` : "";
  console.log(`  whole check including locating every problem: ${timingDetail(measurement.wholeCheck)}${valid}`);
  const stages = measurement.stages.map(
    (stage) => `${stage.name} ${milliseconds(stage.timing.medianMs)} / ${milliseconds(stage.timing.cpuMedianMs)}`,
  );
  console.log(`  stages (median ms, wall / CPU): ${stages.join(", ")}`);
}

// Verdicts -------------------------------------------------------------------------------------

function verdict(label: string, met: boolean | undefined, detail: string): string {
  const outcome = met === undefined ? "not measured" : met ? "met" : "MISSED";
  return `  ${outcome.padEnd(12)} ${label}: ${detail}`;
}

/** A time target, judged by the median. */
function timeVerdict(label: string, timing: Timing | undefined, targetMs: number): string {
  if (!timing) return verdict(label, undefined, "include 10000 in --sizes");
  const factor = twoDecimals.format(timing.medianMs / targetMs);
  return verdict(label, timing.medianMs <= targetMs, `${timingDetail(timing)} (median ${factor}× the target)`);
}

function printVerdicts(results: readonly SizeResult[], broken: { report: BrokenReport } | undefined): void {
  const at = (size: number): Measurement | undefined => results.find((result) => result.size === size)?.measurement;
  const at10k = at(10_000);
  const largest = results.reduce<SizeResult | undefined>(
    (best, result) => (best && best.size >= result.size ? best : result),
    undefined,
  );
  const lines: string[] = [];

  lines.push(
    timeVerdict(
      `whole check ≤ ${targets.wholeCheckMsAt10k} ms at 10,000 nodes`,
      at10k?.wholeCheck,
      targets.wholeCheckMsAt10k,
    ),
  );

  if (at10k && largest && largest.size > 10_000) {
    // Growth is judged by CPU time per node: it is what the algorithm costs, while wall-clock time
    // at the largest size (seconds per run) absorbs whatever else the machine runs meanwhile.
    // The level itself is the 10,000-node target's, judged above.
    const perNode = (totalMs: number, size: number): number => (totalMs / size) * 1000;
    const largestWhole = largest.measurement.wholeCheck;
    const cpuPerNode = perNode(largestWhole.cpuMedianMs, largest.size);
    const cpuPerNodeAt10k = perNode(at10k.wholeCheck.cpuMedianMs, 10_000);
    const wallGrowth = perNode(largestWhole.medianMs, largest.size) / perNode(at10k.wholeCheck.medianMs, 10_000);
    const scaledTarget = (targets.wholeCheckMsAt10k * largest.size) / 10_000;
    lines.push(
      verdict(
        `whole check grows linearly from 10,000 to ${integer.format(largest.size)} nodes (CPU time per node ≤ ×${targets.linearTolerance})`,
        cpuPerNode / cpuPerNodeAt10k <= targets.linearTolerance,
        `${twoDecimals.format(cpuPerNode)} µs CPU per node vs ${twoDecimals.format(cpuPerNodeAt10k)} µs (×${twoDecimals.format(cpuPerNode / cpuPerNodeAt10k)}; by wall-clock median ×${twoDecimals.format(wallGrowth)}); ${timingDetail(largestWhole)}, against ${integer.format(scaledTarget)} ms at the 10,000-node target's rate`,
      ),
    );
  } else {
    lines.push(
      verdict("whole check grows linearly to 50,000 nodes", undefined, "include 10000 and a larger size in --sizes"),
    );
  }

  lines.push(
    timeVerdict(
      `value check ≤ ${targets.valueCheckMsAt10k} ms at 10,000 nodes`,
      at10k?.valueCheck,
      targets.valueCheckMsAt10k,
    ),
  );

  if (broken) {
    const { report } = broken;
    const most = Math.max(0, ...report.problemsPerNode);
    const precise =
      most <= targets.problemsPerBrokenNode && report.unreported.length === 0 && report.outsideDamaged === 0;
    lines.push(
      verdict(
        `a few schema problems per broken node (≤ ${targets.problemsPerBrokenNode}), every one located`,
        precise && report.locatedInNode === report.total,
        `at most ${most} per node, ${report.unreported.length} broken nodes unreported, ${report.outsideDamaged} stray problems, ${report.locatedInNode}/${report.total} located inside their node`,
      ),
    );
  }

  const invalid = results.filter((result) => result.measurement.errors > 0);
  lines.push(
    verdict(
      "generated flows are valid (0 errors)",
      invalid.length === 0,
      invalid.length === 0
        ? `warnings: ${results.map((r) => r.measurement.warnings).join(", ")}`
        : invalid
            .map((r) => `${r.size}: ${r.measurement.problems.map((p) => `${p.rule} ${p.message}`).join("; ")}`)
            .join(" | "),
    ),
  );
  console.log("\nVerdicts\n");
  console.log(lines.join("\n"));
}

// Main -----------------------------------------------------------------------------------------

function main(): void {
  const options = readOptions();
  const directory = mkdtempSync(join(tmpdir(), "botschaft-bench-"));
  try {
    const cpu = cpus();
    // Other processes on the machine inflate wall-clock figures; the load shows how busy it was.
    const startLoad = twoDecimals.format(loadavg()[0] ?? 0);
    console.log(
      `Botschaft validator benchmark – Node ${process.version}, ${process.platform} ${process.arch}, ${cpu.length} × ${cpu[0]?.model ?? "unknown CPU"}`,
    );
    console.log(
      `${options.warmups} warm-up runs, then ${options.runs} timed runs per figure; one fresh process per flow.\n`,
    );

    const results: SizeResult[] = [];
    for (const size of options.sizes) {
      process.stderr.write(`  measuring ${integer.format(size)} nodes …\n`);
      const start = performance.now();
      const generated = generateFlow(size);
      const generateMs = performance.now() - start;
      results.push({
        size,
        generateMs,
        composition: generated.composition,
        measurement: measureInChildProcess(generated, directory, options),
      });
    }

    process.stderr.write(
      `  measuring ${integer.format(options.brokenSize)} nodes with ${options.brokenNodes} broken …\n`,
    );
    const brokenFlow = generateFlow(options.brokenSize, { damagedNodes: options.brokenNodes });
    const brokenMeasurement = measureInChildProcess(brokenFlow, directory, options);
    const brokenReport = analyseBroken(brokenFlow, brokenMeasurement);

    printSizeTable(results);
    printComposition(results);
    printStages(results);
    printBroken(
      brokenFlow,
      brokenMeasurement,
      brokenReport,
      results.find((result) => result.size === options.brokenSize)?.measurement,
    );
    printVerdicts(results, { report: brokenReport });
    console.log(
      `\nLoad average (1 min) at the start: ${startLoad}, at the end: ${twoDecimals.format(loadavg()[0] ?? 0)} on ${cpus().length} CPUs.`,
    );
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

main();
