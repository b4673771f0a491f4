import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import packageJson from "../../package.json" with { type: "json" };
import { helpText } from "./help-text.ts";
import { runCli } from "./run-cli.ts";

const fixture = (name: string) => fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));
const valid = fixture("callback-request.yaml");
const duplicateKeys = fixture("duplicate-keys.yaml");

const runtimeCalls: string[] = [];

async function run(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, {
    defaultLang: "en",
    serve: async () => {
      runtimeCalls.push("serve");
      return 0;
    },
    purge: async () => {
      runtimeCalls.push("purge");
      return 1;
    },
    setupChannel: async (channel) => {
      runtimeCalls.push(`setup ${channel}`);
      return 0;
    },
    users: async (command) => {
      runtimeCalls.push(`users ${JSON.stringify(command)}`);
      return 0;
    },
    erasures: async (command) => {
      runtimeCalls.push(`erasures ${JSON.stringify(command)}`);
      return 0;
    },
    ledger: async (command) => {
      runtimeCalls.push(`ledger ${JSON.stringify(command)}`);
      return 0;
    },
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  });
  return { code, stdout, stderr };
}

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "botschaft-run-"));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("runCli serve and purge", () => {
  it("hands serve and purge to the runtime and passes on its exit code", async () => {
    runtimeCalls.length = 0;
    expect((await run(["serve"])).code).toBe(0);
    expect((await run(["purge"])).code).toBe(1);
    expect(runtimeCalls).toEqual(["serve", "purge"]);
    expect((await run(["serve", "--port", "1"])).code).toBe(2);
    expect(runtimeCalls).toEqual(["serve", "purge"]);
    expect((await run(["channels", "setup", "messenger"])).code).toBe(0);
    expect(runtimeCalls).toEqual(["serve", "purge", "setup messenger"]);
    expect((await run(["erasures", "export"])).code).toBe(0);
    expect((await run(["erasures", "apply", "erased.txt"])).code).toBe(0);
    expect(runtimeCalls.slice(3)).toEqual(['erasures {"op":"export"}', 'erasures {"op":"apply","file":"erased.txt"}']);
    expect((await run(["ledger", "verify"])).code).toBe(0);
    expect((await run(["ledger", "export"])).code).toBe(2);
    expect(runtimeCalls.slice(5)).toEqual(['ledger {"op":"verify"}']);
  });
});

describe("runCli privacy-text", () => {
  it("prints the policy passage or the Art. 30 record of valid flows, and refuses flows with errors", async () => {
    const policy = await run(["privacy-text", "--lang", "de", valid]);
    expect(policy.code).toBe(0);
    expect(policy.stdout).toContain("- **Rückruf zu Ihrem Anliegen**: Name, Telefonnummer");
    const record = await run(["privacy-text", "--record", "--region", "EU (Frankfurt)", valid]);
    expect(record.stdout).toContain("| Place of processing | EU (Frankfurt) |");
    const refused = await run(["privacy-text", duplicateKeys]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toContain("duplicate-keys.yaml");
  });
});

describe("runCli validate", () => {
  it("checks messenger limits only with --channels", async () => {
    const { readFile, writeFile } = await import("node:fs/promises");
    const text = (await readFile(valid, "utf8")).replace("      - label: Öffnungszeiten\n", "      - label: Öffnungszeiten und Anfahrt zum Kundenzentrum\n");
    const file = join(root, "callback-request.yaml");
    await writeFile(file, text);
    expect((await run(["validate", file])).stdout).not.toContain("channel-limits");
    const withChannels = await run(["validate", "--channels", "whatsapp", file]);
    expect(withChannels.code).toBe(0);
    expect(withChannels.stdout).toMatch(/callback-request\.yaml:\d+:\d+: warning channel-limits: 'Öffnungszeiten und Anfahrt/);
  });

  it("refuses a webhook to a private literal address unless --webhook-allow-hosts lets it through", async () => {
    const { readFile, writeFile } = await import("node:fs/promises");
    // Without the $schema comment, whose relative path leads nowhere from the temporary directory.
    const text = (await readFile(valid, "utf8")).replace(/^# yaml-language-server:.*\n/, "").replace("https://crm.muster.example/api/callbacks", "https://10.0.0.5:8443/api/callbacks");
    const file = join(root, "callback-request.yaml");
    await writeFile(file, text);
    const refused = await run(["validate", file]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/callback-request\.yaml:\d+:\d+: error webhook-address: 'send-crm' posts to 10\.0\.0\.5:8443/);
    expect(await run(["validate", "--webhook-allow-hosts", "10.0.0.5:8443", file])).toMatchObject({ code: 0, stdout: "" });
  });

  it("exits 0 and prints only the summary for a valid flow", async () => {
    expect(await run(["validate", valid])).toEqual({ code: 0, stdout: "", stderr: "1 file checked: no problems\n" });
  });

  it("exits 1, prints located problems and still reports the other files", async () => {
    const { code, stdout, stderr } = await run(["validate", duplicateKeys, join(root, "missing.yaml"), valid]);
    expect(code).toBe(1);
    expect(stdout).toBe(
      `${duplicateKeys}:3:1: error schema: This key appears twice in the same block; each key may appear only once.\n` +
        `${join(root, "missing.yaml")}:1:1: error schema: There is no file or directory here.\n`,
    );
    expect(stderr).toBe("3 files checked: 2 with errors, 0 warnings\n");
  });

  it("prints JSON without a summary, so stdout parses", async () => {
    const { code, stdout, stderr } = await run(["validate", "--json", valid, duplicateKeys]);
    expect(code).toBe(1);
    expect(stderr).toBe("");
    expect(JSON.parse(stdout)).toMatchObject([
      { file: valid, ok: true, problems: [] },
      { file: duplicateKeys, ok: false, problems: [{ rule: "schema", severity: "error", line: 3, column: 1 }] },
    ]);
  });

  it("prints GitHub workflow commands", async () => {
    const { stdout } = await run(["validate", "--format", "github", duplicateKeys]);
    expect(stdout).toMatch(/^::error file=.*duplicate-keys\.yaml,line=3,col=1,title=schema::This key appears twice/);
  });

  it("writes messages in the language of --lang", async () => {
    const { stdout } = await run(["validate", "--lang", "de", join(root, "missing.yaml")]);
    expect(stdout).toContain("Hier gibt es keine Datei und kein Verzeichnis.");
  });

  it("exits 2 with a hint on stderr for bad usage", async () => {
    expect(await run(["validate", "--format", "xml", valid])).toEqual({
      code: 2,
      stdout: "",
      stderr: "botschaft: --format must be one of text, json, github, not 'xml'.\nRun 'botschaft --help' for usage.\n",
    });
  });
});

describe("runCli list", () => {
  it("lists each flow with its verdict and exits 0 when none has errors", async () => {
    // Without the $schema comment, whose relative path leads nowhere from the temporary directory.
    await writeFile(join(root, "callback-request.yaml"), (await readFile(valid, "utf8")).replace(/^# yaml-language-server:.*\n/, ""));
    const { code, stdout } = await run(["list", root]);
    expect(code).toBe(0);
    expect(stdout).toContain("callback-request  Rückruf anfordern  ✓ 0 errors, 0 warnings\n");
    expect(stdout).toContain(`npx botschaft validate ${root}`);
  });

  it("exits 1 when a flow has errors", async () => {
    await copyFile(duplicateKeys, join(root, "duplicate-keys.yaml"));
    const { code, stdout } = await run(["list", root]);
    expect(code).toBe(1);
    expect(stdout).toContain("duplicate-keys  —  ✗ 1 error, 0 warnings\n");
  });

  it("exits 1 with a located error for a directory without flows", async () => {
    expect(await run(["list", root])).toEqual({
      code: 1,
      stdout: "",
      stderr: `${root}:1:1: error schema: This directory contains no flow files (*.yaml, *.yml).\n`,
    });
  });
});

describe("runCli help and version", () => {
  it("prints the help on stdout and exits 0", async () => {
    expect(await run(["--help"])).toEqual({ code: 0, stdout: helpText, stderr: "" });
  });

  it("prints the package version", async () => {
    expect(await run(["--version"])).toEqual({ code: 0, stdout: `${packageJson.version}\n`, stderr: "" });
  });
});
