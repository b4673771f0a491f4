/**
 * What one measuring child process reports to the benchmark (as one JSON line on stdout), so
 * each flow size is measured in a fresh process and sizes do not share heap, JIT state or the
 * peak-RSS high-water mark.
 */

/** Wall-clock times, and the median CPU time of the same runs. */
export interface Timing {
  medianMs: number;
  minMs: number;
  cpuMedianMs: number;
  /** Wall-clock time of each timed run, in run order (shows warm-up effects and JIT cliffs). */
  samplesMs: number[];
}

export interface MemoryFigures {
  /** RSS before the check: Node, tsx, the loaded core and the source text. */
  baselineRssBytes: number;
  /** The process's peak RSS (`resourceUsage().maxRSS`) right after the first full check. */
  peakRssBytes: number;
  /** heapUsed right after the first check minus before it, without collecting garbage in between. */
  heapDeltaBytes: number;
  /** heapUsed after a forced GC while the check's result is still held: what a caller keeps. */
  retainedHeapBytes: number;
}

export interface LocatedProblem {
  rule: string;
  severity: string;
  node?: string;
  pointer: string;
  line: number;
  column: number;
  message: string;
}

export interface Measurement {
  sourceBytes: number;
  nodeCount: number;
  /** The first check of a tiny flow in the process: ajv's schema compilation, paid once. */
  compileMs: number;
  /** The first full check of this flow, with ajv compiled but the JIT still cold. */
  coldCheckMs: number;
  /** `checkFlowSource` on the text: parse, schema, rules and, on problems, locating them. */
  wholeCheck: Timing;
  /** `checkFlowValue` on an already parsed value; absent for the broken flow. */
  valueCheck?: Timing;
  /** The stages of the whole check timed one by one, in check order. */
  stages: { name: string; timing: Timing }[];
  memory: MemoryFigures;
  errors: number;
  warnings: number;
  /** Every problem of the broken flow; the first few otherwise (there should be none). */
  problems: LocatedProblem[];
}
