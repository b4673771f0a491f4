import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { posix } from "node:path";
import { describe, expect, it } from "vitest";
import { checkImportBoundaries, importSpecifiers, type SourceFile } from "./import-boundaries.ts";

const root = new URL("../../", import.meta.url);

function projectFiles(): SourceFile[] {
  const listed = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "runtime", "editor"], {
    cwd: root,
    encoding: "utf8",
  });
  const paths = listed.split("\n").filter((path) => /\.(ts|tsx)$/.test(path) && !path.endsWith(".d.ts"));
  const existing = new Set(paths);
  return paths.flatMap((path) => {
    let source: string;
    try {
      source = readFileSync(new URL(path, root), "utf8");
    } catch {
      return []; // deleted in the work tree, not yet in the index
    }
    const imports = importSpecifiers(source)
      .map((specifier) => posix.normalize(posix.join(posix.dirname(path), specifier)))
      .filter((target) => existing.has(target));
    return [{ path, imports }];
  });
}

describe("import boundaries", () => {
  it("finds every import of the tree's files", () => {
    const files = projectFiles();
    const service = files.find((file) => file.path === "runtime/app/conversations/conversation-service.ts");
    expect(service?.imports).toContain("runtime/core/index.ts");
    expect(files.length).toBeGreaterThan(200);
  });

  it("holds for the whole tree: imports run one way and nothing imports in a circle", () => {
    const violations = checkImportBoundaries(projectFiles());
    expect(violations.map((violation) => violation.message)).toEqual([]);
  });

  it("fails on an upward import, such as the core importing the server", () => {
    const violations = checkImportBoundaries([
      { path: "runtime/core/engine/step.ts", imports: ["runtime/server/main.ts"] },
      { path: "runtime/server/main.ts", imports: [] },
    ]);
    expect(violations).toEqual([
      { kind: "upward-import", message: "runtime/core/engine/step.ts (core) imports runtime/server/main.ts (server)" },
    ]);
  });

  it("fails when the app imports a store implementation instead of its port", () => {
    const violations = checkImportBoundaries([
      { path: "runtime/app/flows/flow-catalog.ts", imports: ["runtime/stores/embedded/memory-store.ts", "runtime/stores/ports/flow-versions.ts"] },
    ]);
    expect(violations.map((violation) => violation.kind)).toEqual(["upward-import"]);
  });

  it("keeps the editor's browser code to the core", () => {
    const violations = checkImportBoundaries([{ path: "editor/src/ui/App.tsx", imports: ["runtime/app/app-error.ts", "runtime/core/index.ts"] }]);
    expect(violations.map((violation) => violation.message)).toEqual(["editor/src/ui/App.tsx (editor) imports runtime/app/app-error.ts (app)"]);
  });

  it("lets tests use the test runtime, but not production code", () => {
    expect(checkImportBoundaries([{ path: "runtime/app/x.test.ts", imports: ["runtime/testing/create-test-runtime.ts"] }])).toEqual([]);
    expect(checkImportBoundaries([{ path: "runtime/app/x.ts", imports: ["runtime/testing/create-test-runtime.ts"] }])).toHaveLength(1);
  });

  it("fails on an import circle", () => {
    const violations = checkImportBoundaries([
      { path: "editor/src/model/a.ts", imports: ["editor/src/model/b.ts"] },
      { path: "editor/src/model/b.ts", imports: ["editor/src/model/a.ts"] },
    ]);
    expect(violations).toEqual([{ kind: "circle", message: "import circle: editor/src/model/a.ts ↔ editor/src/model/b.ts" }]);
  });

  it("reads static, re-export, side-effect and dynamic imports", () => {
    const source = [
      'import { a } from "./a.ts";',
      'import type { B } from "../b.ts";',
      'export { c } from "./c.ts";',
      'import "./d.css";',
      'const e = await import("./e.ts");',
      'import express from "express";',
    ].join("\n");
    expect(importSpecifiers(source)).toEqual(["./a.ts", "../b.ts", "./c.ts", "./d.css", "./e.ts"]);
  });
});
