/**
 * Where a process spent its CPU time, from a V8 `.cpuprofile` (`node --cpu-prof`): self time
 * per area (an npm package, a directory of this repository, Node's internals, the garbage
 * collector) and per function, as shares of the time the process was not idle.
 */
import { readFile } from "node:fs/promises";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function isCpuProfile(value: unknown): value is CpuProfile {
  return (
    typeof value === "object" &&
    value !== null &&
    "nodes" in value &&
    Array.isArray(value.nodes) &&
    "samples" in value &&
    Array.isArray(value.samples) &&
    "timeDeltas" in value &&
    Array.isArray(value.timeDeltas)
  );
}

export interface TimeShare {
  name: string;
  ms: number;
  /** Of the busy (non-idle) time. */
  share: number;
}

export interface CpuProfileSummary {
  busyMs: number;
  byArea: TimeShare[];
  byFunction: TimeShare[];
}

const repositoryRoot = fileURLToPath(new URL("../../../", import.meta.url));

/** `express`, `@types/x`, `runtime/core/engine`, `node:internal`, `(garbage collector)`… */
function areaOf(frame: ProfileNode["callFrame"]): string {
  if (!frame.url) return frame.functionName.startsWith("(") ? frame.functionName : "(native)";
  if (frame.url.startsWith("node:")) return frame.url.startsWith("node:internal") ? "node:internal" : frame.url;
  const path = frame.url.startsWith("file:") ? fileURLToPath(frame.url) : frame.url;
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path);
  if (inPackage?.[1]) return inPackage[1];
  const local = relative(repositoryRoot, path);
  return local.startsWith("..") ? path : local.split("/").slice(0, -1).join("/") || local;
}

function functionOf(frame: ProfileNode["callFrame"]): string {
  const name = frame.functionName || "(anonymous)";
  if (!frame.url) return name;
  const path = frame.url.startsWith("file:") ? fileURLToPath(frame.url) : frame.url;
  const inPackage = /node_modules\/(.+)$/.exec(path);
  const where = inPackage?.[1] ?? relative(repositoryRoot, path);
  return `${name} ${where}:${frame.lineNumber + 1}`;
}

function ranked(totals: Map<string, number>, busyMs: number, limit: number): TimeShare[] {
  return [...totals]
    .map(([name, ms]) => ({ name, ms, share: busyMs > 0 ? ms / busyMs : 0 }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, limit);
}

export async function summariseCpuProfile(path: string, limit = 20): Promise<CpuProfileSummary> {
  const profile: unknown = JSON.parse(await readFile(path, "utf8"));
  if (!isCpuProfile(profile)) throw new Error(`${path} is not a V8 CPU profile`);
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const byArea = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let busyMs = 0;
  profile.samples.forEach((nodeId, index) => {
    const frame = frames.get(nodeId);
    // A sample's delta is the time since the previous sample, in microseconds.
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    if (!frame || frame.functionName === "(idle)") return;
    busyMs += ms;
    const area = areaOf(frame);
    byArea.set(area, (byArea.get(area) ?? 0) + ms);
    const name = functionOf(frame);
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
  });
  return { busyMs, byArea: ranked(byArea, busyMs, limit), byFunction: ranked(byFunction, busyMs, limit) };
}
