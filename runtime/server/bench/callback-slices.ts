/**
 * What the leads and privacy benchmarks share: the reference flow's callback walk (menu choice,
 * consent given, name, phone) by concurrent visitors through the conversation service, timed in
 * interleaved slices of two runtimes ("off" and "on"), so the drift of a shared machine spreads
 * over both; medians; and the load average printed beside a figure.
 */
import { loadavg } from "node:os";
import type { TestRuntime } from "../../testing/create-test-runtime.ts";
import { startForeignCpuMeter } from "./foreign-cpu.ts";

const walk = [{ type: "choice", value: "Rückruf anfordern" }, { type: "choice", value: "accept" }, { type: "text", text: "Max Muster" }, { type: "text", text: "030 123456" }] as const;

export function median(list: readonly number[]): number {
  const sorted = [...list].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** The 1, 5 and 15 minute load averages, e.g. "1.3 / 2.2 / 5.5". */
export function load(): string {
  return loadavg()
    .map((value) => value.toFixed(1))
    .join(" / ");
}

/** Turns per second of `visitors` walking the callback flow for `seconds`, and this process's CPU ms per turn. */
async function slice(runtime: TestRuntime, seconds: number, visitors = 40): Promise<{ rate: number; cpuPerTurn: number }> {
  let turns = 0;
  const cpuBefore = process.cpuUsage();
  const until = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: visitors }, async () => {
      while (Date.now() < until) {
        const started = await runtime.service.start("callback-request", "web");
        turns++;
        for (const event of walk) {
          await runtime.service.handle(started.id, started.token, event);
          turns++;
        }
      }
    }),
  );
  const cpu = process.cpuUsage(cpuBefore);
  return { rate: turns / seconds, cpuPerTurn: (cpu.user + cpu.system) / 1000 / Math.max(1, turns) };
}

export interface OnOffSlices {
  /** Turns/s per slice, in the order the slices ran. */
  rates: { off: number[]; on: number[] };
  /** CPU ms of this process per turn, per slice. */
  cpu: { off: number[]; on: number[] };
  /** The share of the machine other processes took meanwhile. */
  foreign: number;
}

/** After a one-second warm-up of each, `rounds` slices of `seconds` each, alternating which goes first. */
export async function interleavedSlices(off: TestRuntime, on: TestRuntime, seconds: number, rounds: number): Promise<OnOffSlices> {
  await slice(off, 1);
  await slice(on, 1);
  const rates = { off: [] as number[], on: [] as number[] };
  const cpu = { off: [] as number[], on: [] as number[] };
  const meter = startForeignCpuMeter([]);
  for (let round = 0; round < rounds; round++) {
    for (const [name, runtime] of round % 2 === 0 ? ([["off", off], ["on", on]] as const) : ([["on", on], ["off", off]] as const)) {
      const measured = await slice(runtime, seconds);
      rates[name].push(measured.rate);
      cpu[name].push(measured.cpuPerTurn);
    }
  }
  return { rates, cpu, foreign: meter.share() };
}
