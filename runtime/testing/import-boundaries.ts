/**
 * The layer rule of the code base, as data, and a checker for it. Imports run one way:
 *
 *   editor/src  →  widget/src (browser; the preview is the widget)  →  core
 *   server, cli  →  channels, widget, integrations  →  app  →  stores/ports, core
 *   stores  →  core
 *
 * Tests, benchmarks and browser suites may also use `runtime/testing`, the test runtime's
 * composition root, and the store record builders of `runtime/stores/contracts`. `import-boundaries.test.ts` runs `checkImportBoundaries` over the real
 * tree, so an upward import or an import circle fails `npm test`.
 */

/** A part of the tree; the first matching prefix names a file's layer. */
export interface Layer {
  name: string;
  /** Path prefixes (repository-relative, with a trailing slash for folders). */
  paths: readonly string[];
  /** The layers this one may import (itself always allowed). */
  mayImport: readonly string[];
}

export const layers: readonly Layer[] = [
  { name: "core", paths: ["runtime/core/"], mayImport: [] },
  { name: "store-ports", paths: ["runtime/stores/ports/"], mayImport: ["core"] },
  { name: "store-contracts", paths: ["runtime/stores/contracts/"], mayImport: ["store-ports", "core"] },
  { name: "stores", paths: ["runtime/stores/"], mayImport: ["store-ports", "core"] },
  { name: "app", paths: ["runtime/app/"], mayImport: ["store-ports", "core"] },
  { name: "integrations", paths: ["runtime/integrations/"], mayImport: ["app", "store-ports", "core"] },
  { name: "channels", paths: ["runtime/channels/"], mayImport: ["app", "store-ports", "core"] },
  { name: "widget-browser", paths: ["runtime/widget/src/"], mayImport: ["core"] },
  { name: "widget", paths: ["runtime/widget/"], mayImport: ["widget-browser", "app", "store-ports", "core"] },
  {
    name: "server",
    paths: ["runtime/server/"],
    mayImport: ["widget", "widget-browser", "channels", "integrations", "app", "stores", "store-ports", "core"],
  },
  {
    name: "cli",
    paths: ["runtime/cli/"],
    mayImport: ["server", "widget", "channels", "integrations", "app", "stores", "store-ports", "core"],
  },
  {
    name: "testing",
    paths: ["runtime/testing/"],
    mayImport: ["cli", "server", "widget", "widget-browser", "channels", "integrations", "app", "stores", "store-ports", "core", "editor-tests"],
  },
  // The preview is the widget: the editor mounts the widget's own window (runtime/widget/src).
  { name: "editor", paths: ["editor/src/"], mayImport: ["widget-browser", "core"] },
  { name: "editor-tests", paths: ["editor/e2e/", "editor/bench/"], mayImport: ["editor", "testing", "core"] },
  { name: "editor-build", paths: ["editor/"], mayImport: ["editor", "core"] },
];

export interface SourceFile {
  /** Repository-relative path with forward slashes. */
  path: string;
  /** Repository-relative paths of the project files it imports. */
  imports: readonly string[];
}

export interface Violation {
  kind: "upward-import" | "circle" | "unknown-layer";
  message: string;
}

export function layerOf(path: string): Layer | undefined {
  return layers.find((layer) => layer.paths.some((prefix) => path.startsWith(prefix)));
}

/** Tests and benchmarks also reach the test runtime; they are not part of any import chain. */
export function isTestSupport(path: string): boolean {
  return /\.test\.tsx?$/.test(path) || /\/bench\//.test(path) || path.startsWith("editor/e2e/");
}

function allowed(from: string, to: string): boolean {
  const source = layerOf(from);
  const target = layerOf(to);
  if (!source || !target) return false;
  if (source === target) return true;
  if (source.mayImport.includes(target.name)) return true;
  // Tests reach the test runtime and the store record builders from any layer.
  return isTestSupport(from) && (target.name === "testing" || target.name === "store-contracts");
}

/** Import circles among non-test files (Tarjan's strongly connected components). */
function circles(files: readonly SourceFile[]): string[][] {
  const graph = new Map(files.filter((file) => !isTestSupport(file.path)).map((file) => [file.path, file.imports]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let counter = 0;
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) as number, low.get(next) as number));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) as number, index.get(next) as number));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

export function checkImportBoundaries(files: readonly SourceFile[]): Violation[] {
  const violations: Violation[] = [];
  for (const file of files) {
    if (!layerOf(file.path)) {
      violations.push({ kind: "unknown-layer", message: `${file.path} lies in no layer; add its folder to the table in import-boundaries.ts` });
      continue;
    }
    for (const target of file.imports) {
      if (!allowed(file.path, target)) {
        violations.push({
          kind: "upward-import",
          message: `${file.path} (${layerOf(file.path)?.name}) imports ${target} (${layerOf(target)?.name ?? "no layer"})`,
        });
      }
    }
  }
  for (const circle of circles(files)) violations.push({ kind: "circle", message: `import circle: ${circle.join(" ↔ ")}` });
  return violations;
}

/** Relative module specifiers of `import … from`, `export … from`, `import "…"` and `import("…")`. */
export function importSpecifiers(source: string): string[] {
  const specifiers: string[] = [];
  const pattern = /(?:^|[\s;])(?:import|export)\s(?:[^"';]*?\sfrom\s)?["'](\.{1,2}\/[^"']+)["']|\bimport\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g;
  for (const match of source.matchAll(pattern)) specifiers.push((match[1] ?? match[2]) as string);
  return specifiers;
}

/** Folder → folder counts of imports between layers, for reports. */
export function layerImportCounts(files: readonly SourceFile[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const file of files) {
    const from = layerOf(file.path)?.name ?? "?";
    for (const target of new Set(file.imports)) {
      const to = layerOf(target)?.name ?? "?";
      if (from === to) continue;
      const key = `${from} → ${to}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}
