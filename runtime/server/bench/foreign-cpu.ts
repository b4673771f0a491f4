/**
 * How much of the machine other processes used while a target was measured: the machine's busy
 * CPU time (/proc/stat) minus that of the benchmark and of the servers under test
 * (/proc/<pid>/stat). On a shared two-core machine a neighbour's job can halve a figure; this
 * says so next to the figure instead of leaving it to be guessed. Linux only.
 */
import { readFileSync } from "node:fs";
import { cpus } from "node:os";

/** USER_HZ: the unit of /proc's CPU times, 100 on every Linux architecture Node runs on. */
const ticksPerSecond = 100;

function machineBusyTicks(): number {
  const line = readFileSync("/proc/stat", "utf8").split("\n", 1)[0] ?? "";
  // cpu  user nice system idle iowait irq softirq steal …: all but idle and iowait are busy.
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number);
  return user + nice + system + irq + softirq + steal;
}

function processTicks(pid: number | "self"): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name, which is in parentheses and may hold spaces: utime is the 12th, stime the 13th.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

/** The CPU time a process has used so far, in seconds (user + system, at /proc's 10 ms resolution). */
export function processCpuSeconds(pid: number): number {
  return processTicks(pid) / ticksPerSecond;
}

export interface ForeignCpuMeter {
  /** The share of the machine's CPU capacity that other processes used since the meter started, 0–1. */
  share(): number;
}

/** Starts counting; the CPU time of this process and of `serverPids` is not foreign. */
export function startForeignCpuMeter(serverPids: readonly number[]): ForeignCpuMeter {
  const startedAt = performance.now();
  // A process that ended meanwhile (a database backend whose connection closed) counts as 0 from then on.
  const ticksOr0 = (pid: number) => {
    try {
      return processTicks(pid);
    } catch {
      return 0;
    }
  };
  const own = () => serverPids.reduce((sum, pid) => sum + ticksOr0(pid), processTicks("self"));
  const machineAtStart = machineBusyTicks();
  const ownAtStart = own();
  return {
    share: () => {
      const foreign = machineBusyTicks() - machineAtStart - (own() - ownAtStart);
      const capacity = ((performance.now() - startedAt) / 1000) * ticksPerSecond * cpus().length;
      return Math.max(0, foreign / capacity);
    },
  };
}
