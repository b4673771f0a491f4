/**
 * The flow-validation package as a flow repository gets it: `npm run pack:cli`, the tarball
 * installed offline into an empty project whose path has a space and an umlaut, then
 * `npx botschaft` there — on good flows, a Windows line-ending flow, a wrong `$schema` path, a
 * project without `flows/`, and a command the package leaves out. Also: the compiled validator
 * reports exactly what the sources report, and the package stays small and free of dependencies.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.ts";

const repositoryRoot = fileURLToPath(new URL("../../", import.meta.url));
const example = (name: string) => readFile(join(repositoryRoot, "examples", name), "utf8");
const packageSchema = "../node_modules/botschaft/schemas/flow.schema.json";
const tenMegabytes = 10 * 1024 * 1024;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: readonly string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: { ...process.env, LANG: "C", npm_config_offline: "true", npm_config_update_notifier: "false" }, timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

async function directorySize(path: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(path, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}

let tarball: string;
let base: string;
let project: string;
const botschaft = (args: readonly string[], cwd = project) => run("npx", ["--no-install", "botschaft", ...args], cwd);

beforeAll(async () => {
  const packed = await run("npm", ["run", "-s", "pack:cli"], repositoryRoot);
  expect(packed.code, packed.stderr).toBe(0);
  tarball = packed.stdout.trimEnd().split("\n").at(-1) ?? "";
  base = await mkdtemp(join(tmpdir(), "botschaft-pack-"));
  project = join(base, "Flow-Repo mit Ümlaut");
  await mkdir(join(project, "flows", "Unterordner ä"), { recursive: true });
  await writeFile(join(project, "package.json"), `${JSON.stringify({ name: "flow-repo", private: true })}\n`);
  const installed = await run("npm", ["install", "--save-dev", "--offline", "--no-audit", "--no-fund", tarball], project);
  expect(installed.code, installed.stderr).toBe(0);
  const withPackageSchema = (text: string, up = "") => text.replace(/\$schema=\S+/, `$schema=${up}${packageSchema}`);
  await writeFile(join(project, "flows", "callback-request.yaml"), withPackageSchema(await example("callback-request.yaml")));
  // A Windows line-ending flow, in a directory whose name has a space and an umlaut.
  await writeFile(join(project, "flows", "Unterordner ä", "newsletter-signup.yaml"), withPackageSchema(await example("newsletter-signup.yaml"), "../").replaceAll("\n", "\r\n"));
}, 180_000);

afterAll(() => rm(base, { recursive: true, force: true }));

describe("the flow-validation package (npm run pack:cli)", () => {
  it("prints the tarball's path on the last line, and holds no tests, benchmarks or dependencies", async () => {
    expect(tarball).toMatch(/botschaft-\d+\.\d+\.\d+\.tgz$/);
    expect((await stat(tarball)).isFile()).toBe(true);
    const manifest = JSON.parse(await readFile(join(project, "node_modules/botschaft/package.json"), "utf8"));
    expect(manifest).toMatchObject({ name: "botschaft", bin: { botschaft: "bin/botschaft.js" }, type: "module" });
    expect(manifest.dependencies).toBeUndefined();
    expect(manifest.license).toEqual(expect.any(String));
    const files = (await readdir(join(project, "node_modules/botschaft"), { recursive: true })).map(String);
    expect(files.filter((file) => /\.test\.|bench|fixtures|\.ts$/.test(file))).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(["README.md", "THIRD-PARTY-LICENSES.md", "schemas/flow.schema.json", "schemas/knowledge-base.schema.json"]));
    expect(await readdir(join(project, "node_modules"))).toEqual([".bin", ".package-lock.json", "botschaft"]);
    expect(await directorySize(join(project, "node_modules"))).toBeLessThan(tenMegabytes);
  });

  it("validates flows/ in the project, a CRLF flow under a path with a space and an umlaut included", async () => {
    const result = await botschaft(["validate", "flows/"]);
    expect(result).toMatchObject({ code: 0, stdout: "" });
    expect(result.stderr).toBe("2 files checked: no problems\n");
  });

  it("prints the privacy texts of flows/", async () => {
    const result = await botschaft(["privacy-text"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Rückruf anfordern");
    expect((await botschaft(["privacy-text", "--record"])).code).toBe(0);
  });

  it("warns about a $schema path that leads nowhere and names the installed schema", async () => {
    const copied = join(project, "copied");
    await mkdir(copied);
    await writeFile(join(copied, "callback-request.yaml"), await example("callback-request.yaml"));
    const result = await botschaft(["validate", "copied"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `copied/callback-request.yaml:1:33: warning schema: The $schema path "../schemas/flow.schema.json" leads to no file from here, so editors can neither check nor complete this file. From here it is "${packageSchema}".\n`,
    );
    await rm(copied, { recursive: true });
  });

  it("says so when the project has no flows/ directory, with exit code 1", async () => {
    await rename(join(project, "flows"), join(project, "flows-away"));
    try {
      const validate = await botschaft(["validate", "flows/"]);
      expect(validate).toMatchObject({ code: 1, stdout: "flows/:1:1: error schema: There is no file or directory here.\n" });
      const privacy = await botschaft(["privacy-text"]);
      expect(privacy.code).toBe(1);
      expect(privacy.stderr).toContain("flows:1:1: error schema: There is no file or directory here.");
    } finally {
      await rename(join(project, "flows-away"), join(project, "flows"));
    }
  });

  it("refuses the server's commands with exit code 2 and says why", async () => {
    const result = await botschaft(["serve"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^botschaft: this command needs the Botschaft server, which the flow-validation package does not include\./);
  });

  it("reports exactly what the sources report, on the examples and the CLI's fixtures of every kind", async () => {
    const paths = ["examples/", "runtime/cli/fixtures/"];
    const compiled = await run(process.execPath, [join(project, "node_modules/botschaft/bin/botschaft.js"), "validate", "--json", ...paths], repositoryRoot);
    let fromSource = "";
    await runCli(["validate", "--json", ...paths], {
      defaultLang: "en",
      stdout: (text) => {
        fromSource += text;
      },
      stderr: () => {},
      serve: async () => 2,
      purge: async () => 2,
      users: async () => 2,
      erasures: async () => 2,
      ledger: async () => 2,
      setupChannel: async () => 2,
    });
    expect(JSON.parse(fromSource).length).toBeGreaterThan(10);
    expect(JSON.parse(compiled.stdout)).toEqual(JSON.parse(fromSource));
  });
});
