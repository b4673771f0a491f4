import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findFlowFiles, isFlowFileName } from "./find-flow-files.ts";

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "botschaft-find-"));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function createFiles(paths: readonly string[]): Promise<void> {
  for (const path of paths) {
    await mkdir(join(root, path, ".."), { recursive: true });
    await writeFile(join(root, path), "flow: x\n");
  }
}

describe("isFlowFileName", () => {
  it.each(["a.yaml", "a.yml", "a.b.yaml"])("accepts %s", (name) => {
    expect(isFlowFileName(name)).toBe(true);
  });

  it.each(["a.json", "a.yaml.bak", "yaml", "a.ts"])("rejects %s", (name) => {
    expect(isFlowFileName(name)).toBe(false);
  });
});

describe("findFlowFiles", () => {
  it("finds *.yaml and *.yml files recursively, depth-first in name order", async () => {
    await createFiles(["b.yaml", "a.yml", "sub/z.yaml", "sub/deeper/c.yaml", "c.yaml", "notes.md", "sub/data.json"]);
    expect(await findFlowFiles(root)).toEqual(
      ["a.yml", "b.yaml", "c.yaml", "sub/deeper/c.yaml", "sub/z.yaml"].map((path) => join(root, path)),
    );
  });

  it("orders by code unit, not by locale: capitals first", async () => {
    await createFiles(["b.yaml", "B.yaml", "a.yaml", "Ä.yaml"]);
    expect(await findFlowFiles(root)).toEqual(["B.yaml", "a.yaml", "b.yaml", "Ä.yaml"].map((path) => join(root, path)));
  });

  it("skips node_modules, dot-directories and dot-files", async () => {
    await createFiles([
      "node_modules/pkg/flow.yaml",
      ".github/workflows/ci.yml",
      ".pre-commit-config.yaml",
      "sub/node_modules/x.yaml",
      "flow.yaml",
    ]);
    expect(await findFlowFiles(root)).toEqual([join(root, "flow.yaml")]);
  });

  it("does not follow a symbolic link to a directory, so a cycle cannot make the walk endless", async () => {
    await createFiles(["sub/flow.yaml"]);
    await symlink(root, join(root, "sub", "loop"), "dir");
    expect(await findFlowFiles(root)).toEqual([join(root, "sub", "flow.yaml")]);
  });

  it("returns a symbolic link named like a flow file, to be checked like one", async () => {
    await createFiles(["real.yaml"]);
    await symlink(join(root, "real.yaml"), join(root, "linked.yaml"));
    expect(await findFlowFiles(root)).toEqual([join(root, "linked.yaml"), join(root, "real.yaml")]);
  });

  it("returns nothing for a directory without flow files", async () => {
    await createFiles(["readme.md"]);
    expect(await findFlowFiles(root)).toEqual([]);
  });
});
