/**
 * End to end: spawns the real launcher on bad input of every kind. Each file must get a located
 * `schema` error, the valid file among them must still be reported, and nothing may print a
 * stack trace or hang.
 */
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repositoryRoot = fileURLToPath(new URL("../../../", import.meta.url));
const launcher = fileURLToPath(new URL("botschaft.js", import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const killAfterMilliseconds = 30_000;
const stackTraceLine = /^\s+at .+[:(]\d+/m;

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runBotschaft(args: readonly string[], cwd = repositoryRoot): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [launcher, ...args], { cwd, env: { ...process.env, LANG: "C" } });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), killAfterMilliseconds);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

let root: string;
let badInputs: Record<string, string>;
const validFlow = fixture("callback-request.yaml");

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "botschaft-e2e-"));
  const huge = join(root, "huge.yaml");
  await writeFile(huge, "");
  await truncate(huge, 50 * 2 ** 20);
  const nonUtf8 = join(root, "non-utf8.yaml");
  await writeFile(
    nonUtf8,
    new Uint8Array([...new TextEncoder().encode('flow: non-utf8\ntitle: "Gr'), 0xfc, 0xdf, 0x65, 0x22, 0x0a]),
  );
  const deep = join(root, "deep.yaml");
  await writeFile(deep, `flow: ${"[".repeat(10_000)}${"]".repeat(10_000)}\n`);
  const empty = join(root, "empty");
  await mkdir(empty);
  badInputs = {
    "invalid YAML": fixture("invalid-yaml.yaml"),
    "duplicate keys": fixture("duplicate-keys.yaml"),
    "a billion-laughs alias bomb": fixture("billion-laughs.yaml"),
    "a 50 MB file": huge,
    "bytes that are not UTF-8": nonUtf8,
    "10,000-deep nesting": deep,
    "an empty directory": empty,
    "a YAML list": fixture("top-level-list.yaml"),
    "a docker-compose file": fixture("docker-compose.yaml"),
    "a flow id that differs from the file name": fixture("flow-id-mismatch.yaml"),
  };
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("botschaft validate on bad input", { timeout: 60_000 }, () => {
  it("reports every bad file as a located schema error in JSON, and the valid file as ok", async () => {
    const { code, stdout, stderr } = await runBotschaft(["validate", "--json", ...Object.values(badInputs), validFlow]);
    expect(stderr).not.toMatch(stackTraceLine);
    expect(code).toBe(1);
    const reports: {
      file: string;
      ok: boolean;
      problems: { rule: string; line: number; column: number; message: string }[];
    }[] = JSON.parse(stdout);
    expect(reports.map((report) => report.file)).toEqual([...Object.values(badInputs), validFlow]);
    for (const [input, path] of Object.entries(badInputs)) {
      const report = reports.find((entry) => entry.file === path);
      expect(report?.ok, input).toBe(false);
      expect(report?.problems.length, input).toBeGreaterThan(0);
      for (const problem of report?.problems ?? []) {
        expect(problem.rule, input).toBe("schema");
        expect(problem.line, input).toBeGreaterThanOrEqual(1);
        expect(problem.column, input).toBeGreaterThanOrEqual(1);
        expect(problem.message, input).not.toMatch(/internal error/i);
      }
    }
    expect(reports.at(-1)).toEqual({ file: validFlow, ok: true, problems: [] });
  });

  it("prints one file:line:column line per problem, a summary and no stack trace", async () => {
    const { code, stdout, stderr } = await runBotschaft(["validate", ...Object.values(badInputs), validFlow]);
    expect(code).toBe(1);
    expect(stdout).not.toMatch(stackTraceLine);
    expect(stderr).not.toMatch(stackTraceLine);
    const lines = stdout.trimEnd().split("\n");
    for (const line of lines) expect(line).toMatch(/^.+:[1-9]\d*:[1-9]\d*: error schema: \S.*$/);
    for (const [input, path] of Object.entries(badInputs)) {
      expect(
        lines.some((line) => line.startsWith(`${path}:`)),
        input,
      ).toBe(true);
    }
    expect(stdout).not.toContain(validFlow);
    expect(stderr).toBe(`11 files checked: 10 with errors, 0 warnings\n`);
  });

  it("still checks the other files after a missing path", async () => {
    const missing = join(root, "missing.yaml");
    const { code, stdout } = await runBotschaft(["validate", missing, fixture("duplicate-keys.yaml")]);
    expect(code).toBe(1);
    expect(stdout).toContain(`${missing}:1:1: error schema: `);
    expect(stdout).toContain(`${fixture("duplicate-keys.yaml")}:3:1: error schema: `);
  });
});

describe("botschaft exit codes", { timeout: 60_000 }, () => {
  it("exits 0 for a valid flow", async () => {
    expect(await runBotschaft(["validate", validFlow])).toMatchObject({ code: 0, stdout: "" });
  });

  it("exits 2 for an unknown option, without a stack trace", async () => {
    const { code, stderr } = await runBotschaft(["validate", "--strict", validFlow]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^botschaft: Unknown option '--strict'/);
    expect(stderr).not.toMatch(stackTraceLine);
  });

  it("lists the flows of a directory, as npm start does", async () => {
    const flows = join(root, "flows");
    await mkdir(flows);
    // Without the $schema comment, whose relative path leads nowhere from the temporary directory.
    await writeFile(join(flows, "callback-request.yaml"), (await readFile(validFlow, "utf8")).replace(/^# yaml-language-server:.*\n/, ""));
    const { code, stdout } = await runBotschaft(["list"], root);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^callback-request {2}Rückruf anfordern {2}✓ 0 errors, 0 warnings$/m);
  });
});
