/** Repeated timing of one synchronous function: warm-up runs first, then median and minimum. */
import type { Timing } from "./measurement.ts";

export interface RunPlan {
  /** Untimed runs first, so the JIT has compiled the hot paths before timing starts. */
  warmups: number;
  runs: number;
  /** Called before the warm-ups, e.g. to collect the previous series' garbage. */
  beforeSeries?: () => void;
}

/** Holds the last result so no run can be optimised away as dead code. */
export let lastResult: unknown;

function median(sorted: readonly number[]): number {
  const middle = sorted.length >> 1;
  if (sorted.length % 2 === 1) return sorted[middle] as number;
  return ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function cpuMilliseconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * Times `run` by the wall clock and by the process's CPU time. Garbage collection is not forced
 * between runs: the editor and the server pay for the garbage a check leaves, so its collection
 * belongs in the figures. CPU time is the steadier figure on a shared machine (other processes
 * do not count) but includes V8's parallel GC threads, so it can exceed the wall time.
 */
export function timeRuns(run: () => unknown, plan: RunPlan): Timing {
  plan.beforeSeries?.();
  for (let warmup = 0; warmup < plan.warmups; warmup++) lastResult = run();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let index = 0; index < plan.runs; index++) {
    const cpuStart = cpuMilliseconds();
    const start = performance.now();
    lastResult = run();
    wall.push(performance.now() - start);
    cpu.push(cpuMilliseconds() - cpuStart);
  }
  const sorted = [...wall].sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return { medianMs: median(sorted), minMs: sorted[0] ?? Number.NaN, cpuMedianMs: median(cpu), samplesMs: wall };
}
