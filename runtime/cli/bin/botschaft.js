#!/usr/bin/env node
// The `botschaft` command of a Botschaft checkout. It runs the compiled CLI in dist/runtime/
// (`npm run build:runtime`; `npm install` and `npm start` build it) when that build is newer
// than every source file it was built from; otherwise, e.g. right after editing a source file,
// the TypeScript sources through tsx, which compiles them on import (slower to start, never stale).
import { readFileSync, statSync } from "node:fs";

const root = new URL("../../../", import.meta.url);

function compiledIsCurrent() {
  let build;
  try {
    build = JSON.parse(readFileSync(new URL("dist/runtime/inputs.json", root), "utf8"));
  } catch {
    return false;
  }
  return build.inputs.every((path) => {
    try {
      return statSync(new URL(path, root)).mtimeMs < build.startedAtMs;
    } catch {
      return false;
    }
  });
}

if (compiledIsCurrent()) {
  await import(new URL("dist/runtime/botschaft.js", root).href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("../main.ts");
}
