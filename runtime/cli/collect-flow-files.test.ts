import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { collectFlowFiles } from "./collect-flow-files.ts";

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "botschaft-collect-"));
  await mkdir(join(root, "flows"));
  await mkdir(join(root, "empty"));
  for (const name of ["a.yaml", "b.yaml"]) await writeFile(join(root, "flows", name), "flow: x\n");
  await writeFile(join(root, "notes.txt"), "not yaml, but named explicitly\n");
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function schemaProblemAtStart(message: string) {
  return { rule: "schema", severity: "error", pointer: "", message, line: 1, column: 1 };
}

describe("collectFlowFiles", () => {
  it("expands directories and keeps the order of the arguments", async () => {
    const paths = [join(root, "notes.txt"), join(root, "flows")];
    expect(await collectFlowFiles(paths, "en")).toEqual([
      { path: join(root, "notes.txt") },
      { path: join(root, "flows", "a.yaml") },
      { path: join(root, "flows", "b.yaml") },
    ]);
  });

  it("reports a missing path and an empty directory and goes on with the other arguments", async () => {
    const paths = [join(root, "missing.yaml"), join(root, "empty"), join(root, "flows", "b.yaml")];
    expect(await collectFlowFiles(paths, "en")).toEqual([
      { path: join(root, "missing.yaml"), problem: schemaProblemAtStart("There is no file or directory here.") },
      {
        path: join(root, "empty"),
        problem: schemaProblemAtStart("This directory contains no flow files (*.yaml, *.yml)."),
      },
      { path: join(root, "flows", "b.yaml") },
    ]);
  });

  it("writes its messages in the language asked for", async () => {
    const [entry] = await collectFlowFiles([join(root, "empty")], "de");
    expect(entry?.problem?.message).toBe("Dieses Verzeichnis enthält keine Flow-Dateien (*.yaml, *.yml).");
  });

  it("checks a file reached twice only where it first appears", async () => {
    const paths = [join(root, "flows", "b.yaml"), join(root, "flows"), join(root, "flows", "..", "flows", "a.yaml")];
    expect(await collectFlowFiles(paths, "en")).toEqual([
      { path: join(root, "flows", "b.yaml") },
      { path: join(root, "flows", "a.yaml") },
    ]);
  });
});
