import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import type { Language, Problem } from "../core/index.ts";
import { findFlowFiles } from "./find-flow-files.ts";
import { fileSystemIssue, inputProblem } from "./input-problem.ts";

/** A file to check, or a path argument that yields none, with the reason. */
export interface CollectedPath {
  path: string;
  problem?: Problem;
}

async function expandPath(path: string, lang: Language): Promise<CollectedPath[]> {
  try {
    // A path that is not a directory is checked as a file whatever its name: the user named it.
    if (!(await stat(path)).isDirectory()) return [{ path }];
    const files = await findFlowFiles(path);
    if (files.length === 0) return [{ path, problem: inputProblem({ kind: "no-flow-files" }, lang) }];
    return files.map((file) => ({ path: file }));
  } catch (error) {
    return [{ path, problem: inputProblem(fileSystemIssue(error), lang) }];
  }
}

/**
 * Expands path arguments in order: directories to their flow files, anything else to itself.
 * A file reached twice (`flows flows/a.yaml`) is checked once, where it first appears.
 */
export async function collectFlowFiles(paths: readonly string[], lang: Language): Promise<CollectedPath[]> {
  const seen = new Set<string>();
  const collected: CollectedPath[] = [];
  for (const path of paths) {
    for (const entry of await expandPath(path, lang)) {
      const key = resolve(entry.path);
      if (seen.has(key)) continue;
      seen.add(key);
      collected.push(entry);
    }
  }
  return collected;
}
