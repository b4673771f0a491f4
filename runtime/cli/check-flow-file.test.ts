import { mkdtemp, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { checkFlowSource, maxFlowBytes } from "../core/index.ts";
import { checkFlowFile } from "./check-flow-file.ts";

vi.mock(import("../core/index.ts"), async (importOriginal) => {
  const core = await importOriginal();
  return { ...core, checkFlowSource: vi.fn(core.checkFlowSource) };
});

const fixture = (name: string) => fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "botschaft-check-"));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("checkFlowFile", () => {
  it("returns the flow and no problems for a valid file", async () => {
    const report = await checkFlowFile(fixture("callback-request.yaml"), "en");
    expect(report).toMatchObject({ file: fixture("callback-request.yaml"), problems: [] });
    expect(report.flow?.title).toBe("Rückruf anfordern");
  });

  it("passes the file name on, so a flow id that differs from it is an error", async () => {
    const report = await checkFlowFile(fixture("flow-id-mismatch.yaml"), "en");
    expect(report.problems).toMatchObject([{ rule: "schema", severity: "error", line: 2 }]);
  });

  it("refuses a file over maxFlowBytes at 1:1 in the language asked for", async () => {
    const path = join(root, "big.yaml");
    await writeFile(path, "");
    await truncate(path, maxFlowBytes + 1);
    expect(await checkFlowFile(path, "de")).toEqual({
      file: path,
      problems: [
        {
          rule: "schema",
          severity: "error",
          pointer: "",
          message: "Die Datei ist 32,1 MiB groß; Flows dürfen höchstens 32 MiB groß sein.",
          line: 1,
          column: 1,
        },
      ],
    });
  });

  it("reports a bug in the core as an internal error of this file instead of throwing", async () => {
    vi.mocked(checkFlowSource).mockImplementationOnce(() => {
      throw new TypeError("Cannot read properties of undefined (reading 'next')");
    });
    const report = await checkFlowFile(fixture("callback-request.yaml"), "en");
    expect(report.problems).toEqual([
      {
        rule: "schema",
        severity: "error",
        pointer: "",
        message:
          "Internal error while checking this file, a bug in Botschaft; please report it: TypeError: Cannot read properties of undefined (reading 'next')",
        line: 1,
        column: 1,
      },
    ]);
  });
});
