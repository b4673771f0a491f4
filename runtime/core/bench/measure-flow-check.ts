/**
 * Measures the validator on one flow file in a fresh process (started by `validate-bench.ts`):
 * memory of the first check, then timed whole checks, value checks and each stage of the check.
 * Prints one `Measurement` as JSON on stdout.
 *
 * Usage: node --expose-gc --import tsx measure-flow-check.ts --file <path> --file-name <id>.yaml
 *        [--warmups 3] [--runs 9]
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { Flow } from "../dsl/flow.ts";
import { checkFlowSource, checkFlowValue } from "../index.ts";
import { eventsOf, locatePointers, parseYaml } from "../load/parse-yaml.ts";
import { createPositionIndex } from "../load/source-text.ts";
import { buildFlowGraph } from "../validate/flow-graph.ts";
import { indexFields } from "../validate/personal-fields-index.ts";
import { messengerChannels } from "../channels/channel-table.ts";
import type { Problem } from "../validate/problem.ts";
import { rules } from "../validate/rules/index.ts";
import { checkSchema } from "../validate/schema-check.ts";
import { generateFlowYaml, generatedFlowId, minimumNodeCount } from "./generate-flow.ts";
import type { LocatedProblem, Measurement, MemoryFigures } from "./measurement.ts";
import { type RunPlan, timeRuns } from "./time-runs.ts";

function collectGarbage(): void {
  if (!globalThis.gc) throw new Error("Start the measuring process with --expose-gc.");
  // Twice: the first pass may only promote objects that the second then frees.
  globalThis.gc();
  globalThis.gc();
}

function readArguments(): { file: string; fileName: string; plan: RunPlan } {
  const { values } = parseArgs({
    options: {
      file: { type: "string" },
      "file-name": { type: "string" },
      warmups: { type: "string", default: "3" },
      runs: { type: "string", default: "9" },
    },
  });
  if (values.file === undefined || values["file-name"] === undefined)
    throw new Error("--file and --file-name are required.");
  return {
    file: values.file,
    fileName: values["file-name"],
    plan: { warmups: Number.parseInt(values.warmups, 10), runs: Number.parseInt(values.runs, 10) },
  };
}

/** ajv compiles the schema on the first check of a process; pay that on a tiny flow first. */
function compileSchema(): number {
  const start = performance.now();
  checkFlowSource(generateFlowYaml(minimumNodeCount), { fileName: `${generatedFlowId(minimumNodeCount)}.yaml` });
  return performance.now() - start;
}

/** Memory of the first check of `text` (schema already compiled), and its result. */
function measureFirstCheck(
  text: string,
  fileName: string,
): { memory: MemoryFigures; coldCheckMs: number; problems: Problem[]; flow?: Flow } {
  collectGarbage();
  const before = process.memoryUsage();
  const start = performance.now();
  const result = checkFlowSource(text, { fileName });
  const coldCheckMs = performance.now() - start;
  const after = process.memoryUsage();
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  collectGarbage();
  // Read after the collection, while `result` is still in use below.
  const retainedHeapBytes = process.memoryUsage().heapUsed - before.heapUsed;
  return {
    memory: {
      baselineRssBytes: before.rss,
      peakRssBytes,
      heapDeltaBytes: after.heapUsed - before.heapUsed,
      retainedHeapBytes,
    },
    coldCheckMs,
    problems: result.problems,
    ...(result.flow ? { flow: result.flow } : {}),
  };
}

/** The parsed value alone: the parser's event list is left to the collector, as after a check. */
function parseValue(text: string): unknown {
  const parsed = parseYaml(text);
  if ("failure" in parsed) throw new Error(`The flow does not parse: ${parsed.failure.reason}`);
  return parsed.value;
}

/** The broken flow's slow path: find every problem's line and column in the parser's events. */
function timeLocating(text: string, pointers: readonly string[], plan: RunPlan): Measurement["stages"] {
  const parsed = parseYaml(text);
  if ("failure" in parsed) throw new Error(`The flow does not parse: ${parsed.failure.reason}`);
  // Files read by the fast path have no events yet: locating starts with the full parse.
  return [{ name: "locate problems", timing: timeRuns(() => locatePointers(text, parsed.events ?? eventsOf(text), pointers), plan) }];
}

/**
 * The whole check's stages one by one, each on what the previous stage produced. Each series
 * starts on a collected heap holding only what the check itself would hold, so a stage is not
 * slowed by another stage's leftovers.
 */
function timeStages(text: string, plan: RunPlan): Measurement["stages"] {
  const stages: Measurement["stages"] = [
    { name: "parse YAML", timing: timeRuns(() => parseYaml(text), plan) },
    { name: "line index", timing: timeRuns(() => createPositionIndex(text), plan) },
  ];
  const value = parseValue(text);
  stages.push({ name: "schema (ajv)", timing: timeRuns(() => checkSchema(value, "en"), plan) });
  const { flow, problems } = checkSchema(value, "en");
  if (!flow) {
    return [
      ...stages,
      ...timeLocating(
        text,
        problems.map((problem) => problem.pointer),
        plan,
      ),
    ];
  }
  const graph = buildFlowGraph(flow);
  const fields = indexFields(graph);
  // Every messenger's limits, so `channel-limits` shows its cost (the whole check above is a web flow's).
  const context = { flow, graph, fields, lang: "en" as const, channels: messengerChannels, webhookAllowHosts: [] };
  stages.push({ name: "flow graph", timing: timeRuns(() => buildFlowGraph(flow), plan) });
  stages.push({ name: "field index", timing: timeRuns(() => indexFields(graph), plan) });
  for (const rule of rules) stages.push({ name: `rule ${rule.name}`, timing: timeRuns(() => rule(context), plan) });
  return stages;
}

/** Nodes in the parsed document, also when it is not schema-valid. */
function countNodes(value: unknown): number {
  const nodes = typeof value === "object" && value !== null && "nodes" in value ? value.nodes : undefined;
  return typeof nodes === "object" && nodes !== null ? Object.keys(nodes).length : 0;
}

function located(problem: Problem): LocatedProblem {
  const { rule, severity, node, pointer, line, column, message } = problem;
  return { rule, severity, ...(node === undefined ? {} : { node }), pointer, line, column, message };
}

function measure(): Measurement {
  const { file, fileName, plan: runs } = readArguments();
  const plan: RunPlan = { ...runs, beforeSeries: collectGarbage };
  const compileMs = compileSchema();
  const text = readFileSync(file, "utf8");
  const first = measureFirstCheck(text, fileName);
  const wholeCheck = timeRuns(() => checkFlowSource(text, { fileName }), plan);

  const value = parseValue(text);
  const valueCheck = first.flow ? timeRuns(() => checkFlowValue(value), plan) : undefined;

  const errors = first.problems.filter((problem) => problem.severity === "error").length;
  return {
    sourceBytes: new TextEncoder().encode(text).byteLength,
    nodeCount: countNodes(value),
    compileMs,
    coldCheckMs: first.coldCheckMs,
    wholeCheck,
    ...(valueCheck ? { valueCheck } : {}),
    stages: timeStages(text, plan),
    memory: first.memory,
    errors,
    warnings: first.problems.length - errors,
    // A valid flow should have no problems; a few are enough to see what went wrong.
    problems: (first.flow ? first.problems.slice(0, 5) : first.problems).map(located),
  };
}

process.stdout.write(`${JSON.stringify(measure())}\n`);
