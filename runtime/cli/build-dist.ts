/**
 * Compiles the runtime and the CLI to JavaScript with esbuild, so that neither `npm start` nor the
 * `botschaft` command transpiles TypeScript when it runs (docs/running.md#compiled-javascript).
 *
 * - `dist/runtime/`: `botschaft.js` (the CLI, whose server commands load their code on demand
 *   from chunks beside it) and `flow-check-worker.js`, with source maps. Packages from
 *   node_modules stay imports. `inputs.json` lists the sources that went in, with the build's
 *   start time, so that `runtime/cli/bin/botschaft.js` can tell a stale build and fall back to the
 *   sources. `npm install` builds it (`prepare`), `npm start` rebuilds it.
 * - `dist/package/`: the flow-validation package a flow repository installs
 *   (docs/ci.md#installing-the-validator). Its JavaScript inlines the core, the CLI and the few
 *   libraries they use, so it has no dependencies; the server's commands are left out. Beside it:
 *   the JSON Schemas, a README, its package.json and the licences of the inlined libraries.
 *   `npm run pack:cli` packs it (`pack-cli.ts`).
 *
 * @example
 * npx tsx runtime/cli/build-dist.ts                  # npm run build:runtime: both
 * npx tsx runtime/cli/build-dist.ts --package-only   # dist/package/ only (npm run pack:cli)
 */
import { cp, mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { _ } from "ajv";
import standalone from "ajv/dist/standalone/index.js";
import { build, type Metafile, type Plugin } from "esbuild";
import knowledgeBaseSchema from "../../schemas/knowledge-base.schema.json" with { type: "json" };
import { flowAjv, flowSchemaId, knowledgeBaseAjv } from "../core/validate/schema-check.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
// CommonJS with `module.exports = standaloneCode; exports.default = standaloneCode`: TypeScript sees the namespace.
const standaloneCode = standalone.default;
const runtimeDir = join(root, "dist/runtime");
const packageDir = join(root, "dist/package");

/** ESM output of CommonJS code (ajv, its precompiled checks) calls `require` for Node's built-ins and, in dist/runtime/, for packages. */
const requireShim = 'import { createRequire as __botschaftCreateRequire } from "node:module"; const require = __botschaftCreateRequire(import.meta.url);';

const shared = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20.19",
  splitting: true,
  entryNames: "[name]",
  // Chunks beside the entries: the off-thread flow check finds its worker at `./flow-check-worker.js`.
  chunkNames: "[name]-[hash]",
  metafile: true,
  // Input paths in the metafile, and so in inputs.json, relative to the repository root.
  absWorkingDir: root,
  logLevel: "warning",
  banner: { js: requireShim },
} as const;

/** The server's commands, which the flow-validation package replaces by `serverCommandsStub`. */
const serverModules = /^(\.\.\/server\/main\.ts|\.\/setup-channel\.ts|\.\/users-command\.ts)$/;

const serverCommandsStub = `
const refuse = (io) => {
  io.stderr("botschaft: this command needs the Botschaft server, which the flow-validation package does not include. Run it from a checkout of Botschaft (docs/running.md).\\n");
  return 2;
};
export const serve = (env, io) => refuse(io);
export const purge = (env, io) => refuse(io);
export const erasures = (env, io) => refuse(io);
export const setupChannel = (env, io) => refuse(io);
export const usersCommand = (env, io) => refuse(io);
`;

const leaveOutServer: Plugin = {
  name: "leave-out-server",
  setup(builder) {
    builder.onResolve({ filter: serverModules }, (args) => (args.importer.endsWith(`${sep}cli${sep}main.ts`) ? { path: args.path, namespace: "server-stub" } : undefined));
    builder.onLoad({ filter: /.*/, namespace: "server-stub" }, () => ({ contents: serverCommandsStub, loader: "js" }));
  },
};

/**
 * ajv's standalone code for the flow and knowledge-base checks, written as CommonJS modules
 * (what ajv emits) into `dist/precompiled/`, and a plugin that puts them in place of
 * `runtime/core/validate/precompiled-validators.ts`.
 */
async function precompileValidators(): Promise<Plugin> {
  const dir = join(root, "dist/precompiled");
  await mkdir(dir, { recursive: true });
  const code = { source: true, formats: _`require("ajv-formats/dist/formats.js").fullFormats` };
  const flow = flowAjv(code);
  const flowValidate = flow.getSchema(flowSchemaId);
  const knowledgeBase = knowledgeBaseAjv(code);
  if (!flowValidate) throw new Error("the flow schema did not compile");
  await writeFile(join(dir, "flow-validator.cjs"), standaloneCode(flow, flowValidate));
  await writeFile(join(dir, "knowledge-base-validator.cjs"), standaloneCode(knowledgeBase, knowledgeBase.compile(knowledgeBaseSchema)));
  const replacement = `import flow from ${JSON.stringify(join(dir, "flow-validator.cjs"))};
import knowledgeBase from ${JSON.stringify(join(dir, "knowledge-base-validator.cjs"))};
export const precompiledFlowValidator = flow;
export const precompiledKnowledgeBaseValidator = knowledgeBase;
`;
  return {
    name: "precompiled-validators",
    setup(builder) {
      builder.onResolve({ filter: /\/precompiled-validators\.ts$/ }, (args) => ({ path: join(args.resolveDir, args.path), namespace: "precompiled" }));
      builder.onLoad({ filter: /.*/, namespace: "precompiled" }, () => ({ contents: replacement, loader: "js", resolveDir: dir }));
    },
  };
}

/** The name of the package a bare import specifier names (`@scope/name/sub` → `@scope/name`). */
function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return (specifier.startsWith("@") ? parts.slice(0, 2) : parts.slice(0, 1)).join("/");
}

/**
 * Inlines the libraries the core and the CLI use (those of the flow-validation package), so that
 * `botschaft validate` reads one file instead of some 1,400 of yaml and ajv; the server's
 * libraries (Express, pg, pino, …) stay imports from node_modules.
 */
function inlineOnly(libraries: ReadonlySet<string>): Plugin {
  return {
    name: "inline-only",
    setup(builder) {
      builder.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith("node:") || libraries.has(packageName(args.path)) ? undefined : { path: args.path, external: true }));
    },
  };
}

/**
 * What the command line loads before it knows the command — its entry and everything that
 * imports statically — must not reach the server, the channels or the editor: those load on
 * demand (`main.ts`).
 */
function assertLeanStart(metafile: Metafile, entry: string): void {
  const outputs = metafile.outputs;
  const start = relative(root, entry);
  const seen = new Set<string>([start]);
  const queue = [start];
  const reached: string[] = [];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    const output = outputs[file];
    if (!output) continue;
    reached.push(...Object.keys(output.inputs));
    for (const imported of output.imports) {
      if (imported.kind === "dynamic-import") continue;
      if (imported.external) reached.push(`node_modules/${packageName(imported.path)}/`);
      else if (!seen.has(imported.path)) {
        seen.add(imported.path);
        queue.push(imported.path);
      }
    }
  }
  const heavy = reached.filter((input) => /node_modules\/(express|react|react-dom|pg|pino|@xyflow|@codemirror|elkjs|nodemailer|openid-client)\//.test(input) || /^runtime\/(server|channels|widget|stores|integrations)\//.test(input));
  if (heavy.length > 0) throw new Error(`botschaft.js loads server or editor code before it knows the command: ${[...new Set(heavy)].slice(0, 5).join(", ")}`);
}

async function buildRuntime(precompiled: Plugin, libraries: ReadonlySet<string>): Promise<void> {
  const startedAtMs = Date.now();
  // Built beside and then swapped in, so that a `botschaft` starting meanwhile finds the old build or the new one.
  const buildDir = `${runtimeDir}-${process.pid}`;
  const result = await build({
    ...shared,
    entryPoints: { botschaft: join(root, "runtime/cli/main.ts"), "flow-check-worker": join(root, "runtime/app/flows/flow-check-worker.ts") },
    outdir: buildDir,
    plugins: [precompiled, inlineOnly(libraries)],
    sourcemap: true,
  });
  assertLeanStart(result.metafile, join(buildDir, "botschaft.js"));
  // Source files only: not the libraries (npm replaces those), not the plugins' modules
  // (`namespace:path`), not dist/precompiled/ (made from schemas/, which are inputs themselves).
  const inputs = Object.keys(result.metafile.inputs).filter((path) => !path.includes("node_modules/") && !/^[a-z-]+:/.test(path) && !path.startsWith("dist/"));
  await writeFile(join(buildDir, "inputs.json"), `${JSON.stringify({ startedAtMs, inputs }, null, 1)}\n`);
  await rm(runtimeDir, { recursive: true, force: true });
  await rename(buildDir, runtimeDir);
}

interface PackageJson {
  name: string;
  version: string;
  description?: string;
  license?: string;
  engines?: Record<string, string>;
}

/** The library a bundled input file belongs to: the directory after its last `node_modules/`. */
function libraryDir(input: string): string | undefined {
  const at = input.lastIndexOf("node_modules/");
  if (at < 0) return undefined;
  const rest = input.slice(at + "node_modules/".length).split("/");
  const name = rest[0]?.startsWith("@") ? rest.slice(0, 2).join("/") : rest[0];
  return name ? `${input.slice(0, at)}node_modules/${name}` : undefined;
}

function libraryDirs(metafile: Metafile): string[] {
  return [...new Set(Object.keys(metafile.inputs).flatMap((input) => libraryDir(input) ?? []))].sort();
}

/** Each inlined library with its licence text, as its licence asks for when it is redistributed. */
async function thirdPartyLicences(metafile: Metafile): Promise<string> {
  const dirs = libraryDirs(metafile);
  const sections: string[] = [];
  for (const dir of dirs) {
    const manifest = JSON.parse(await readFile(join(root, dir, "package.json"), "utf8")) as PackageJson;
    const licenceFile = (await readdir(join(root, dir))).find((name) => /^(licen[cs]e|copying)(\.|$)/i.test(name));
    const text = licenceFile ? await readFile(join(root, dir, licenceFile), "utf8") : `(${manifest.name} ships no licence file; its package.json names the licence ${manifest.license}.)`;
    sections.push(`## ${manifest.name} ${manifest.version} (${manifest.license ?? "no licence named"})\n\n${text.trim()}\n`);
  }
  return `# Third-party code in this package\n\nThe files lib/cli/*.js inline the following libraries.\n\n${sections.join("\n")}`;
}

const packageReadme = (version: string) => `# botschaft ${version}: the flow validator

Validates Botschaft flows (\`*.yaml\`) and knowledge bases (\`*.faq.yaml\`) in a flow repository
and prints the privacy texts they imply. No dependencies; Node.js 20.19 or newer.

\`\`\`sh
npm install --save-dev ./botschaft-${version}.tgz
npx botschaft validate flows/              # file:line:column: severity rule: message
npx botschaft validate --format github flows/
npx botschaft privacy-text flows/          # the privacy-policy passage; --record: the Art. 30 record
npx botschaft help
\`\`\`

Exit status: 0 when no file has an error (warnings allowed), 1 when one has (a missing path or
directory counts as an error), 2 on bad usage or a command this package does not include
(\`serve\`, \`purge\`, \`users\`, \`erasures\`, \`channels\`: they need the server).

The JSON Schema of a flow is \`node_modules/botschaft/schemas/flow.schema.json\`. For completion in
VS Code (Red Hat's YAML extension), start each file in \`flows/\` with

\`\`\`yaml
# yaml-language-server: $schema=../node_modules/botschaft/schemas/flow.schema.json
\`\`\`

Knowledge bases: \`schemas/knowledge-base.schema.json\`.
`;

/** Builds dist/package/ and returns the names of the libraries it inlines. */
async function buildPackage(precompiled: Plugin): Promise<Set<string>> {
  const manifest = JSON.parse(await readFile(join(root, "package.json"), "utf8")) as PackageJson;
  await rm(packageDir, { recursive: true, force: true });
  const result = await build({
    ...shared,
    entryPoints: { botschaft: join(root, "runtime/cli/main.ts") },
    // Two levels down like runtime/cli/, so that `../../schemas/` is the package's schemas from here too.
    outdir: join(packageDir, "lib/cli"),
    plugins: [leaveOutServer, precompiled],
    // Maps without the sources: stack traces name the TypeScript file and line, the package stays small.
    sourcemap: true,
    sourcesContent: false,
    legalComments: "none",
  });
  const bundled = Object.keys(result.metafile.inputs);
  const forbidden = bundled.filter((input) => /node_modules\/(express|react|react-dom|pg|@xyflow|@codemirror|elkjs)\//.test(input) || /^runtime\/(server|channels|widget|stores)\//.test(input));
  if (forbidden.length > 0) throw new Error(`the flow-validation package would include server or editor code: ${forbidden.slice(0, 5).join(", ")}`);

  await mkdir(join(packageDir, "bin"), { recursive: true });
  await writeFile(join(packageDir, "bin/botschaft.js"), '#!/usr/bin/env node\nimport "../lib/cli/botschaft.js";\n', { mode: 0o755 });
  await cp(join(root, "schemas"), join(packageDir, "schemas"), { recursive: true, filter: (source) => !source.endsWith(".test.ts") });
  await writeFile(join(packageDir, "README.md"), packageReadme(manifest.version));
  await writeFile(join(packageDir, "THIRD-PARTY-LICENSES.md"), await thirdPartyLicences(result.metafile));
  const files = ["bin/", "lib/", "schemas/", "README.md", "THIRD-PARTY-LICENSES.md"];
  const pkg = {
    name: manifest.name,
    version: manifest.version,
    description: "Botschaft's flow validator: checks flows and knowledge bases against the JSON Schema and the privacy rules, prints the privacy texts",
    type: "module",
    // The project has not chosen a licence yet (package.json has none): until it does, the package grants none.
    license: manifest.license ?? "UNLICENSED",
    engines: manifest.engines,
    bin: { botschaft: "bin/botschaft.js" },
    exports: { "./package.json": "./package.json", "./schemas/*": "./schemas/*" },
    files,
  };
  await writeFile(join(packageDir, "package.json"), `${JSON.stringify(pkg, null, 2)}\n`);
  return new Set(libraryDirs(result.metafile).map((dir) => packageName(dir.slice(dir.lastIndexOf("node_modules/") + "node_modules/".length))));
}

const precompiled = await precompileValidators();
const libraries = await buildPackage(precompiled);
if (!process.argv.includes("--package-only")) await buildRuntime(precompiled, libraries);
