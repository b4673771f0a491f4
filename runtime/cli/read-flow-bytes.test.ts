import { execFileSync } from "node:child_process";
import { mkdtemp, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readFlowBytes } from "./read-flow-bytes.ts";

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "botschaft-read-"));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function hasMkfifo(): boolean {
  try {
    execFileSync("mkfifo", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe("readFlowBytes", () => {
  it("returns the bytes as a plain Uint8Array, not a Buffer", async () => {
    await writeFile(join(root, "a.yaml"), new Uint8Array([0x61, 0xff, 0x0a]));
    const read = await readFlowBytes(join(root, "a.yaml"), 100);
    expect(read).toEqual({ bytes: new Uint8Array([0x61, 0xff, 0x0a]) });
    expect("bytes" in read && Object.getPrototypeOf(read.bytes)).toBe(Uint8Array.prototype);
  });

  it("reads an empty file", async () => {
    await writeFile(join(root, "empty.yaml"), "");
    expect(await readFlowBytes(join(root, "empty.yaml"), 100)).toEqual({ bytes: new Uint8Array() });
  });

  it("reads a file of exactly the limit", async () => {
    await writeFile(join(root, "a.yaml"), "x".repeat(100));
    const read = await readFlowBytes(join(root, "a.yaml"), 100);
    expect("bytes" in read && read.bytes.length).toBe(100);
  });

  it("refuses a file over the limit with its size", async () => {
    await writeFile(join(root, "a.yaml"), "x".repeat(101));
    expect(await readFlowBytes(join(root, "a.yaml"), 100)).toEqual({
      issue: { kind: "too-large", bytes: 101, limit: 100 },
    });
  });

  it("refuses a huge sparse file at once, without reading it", async () => {
    await writeFile(join(root, "huge.yaml"), "");
    await truncate(join(root, "huge.yaml"), 8 * 2 ** 30);
    const started = performance.now();
    expect(await readFlowBytes(join(root, "huge.yaml"), 100)).toEqual({
      issue: { kind: "too-large", bytes: 8 * 2 ** 30, limit: 100 },
    });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("reports a missing file", async () => {
    expect(await readFlowBytes(join(root, "missing.yaml"), 100)).toEqual({ issue: { kind: "not-found" } });
  });

  it("refuses a directory", async () => {
    expect(await readFlowBytes(root, 100)).toEqual({ issue: { kind: "not-a-file" } });
  });

  it.runIf(hasMkfifo())("refuses a FIFO without waiting for a writer", { timeout: 5000 }, async () => {
    execFileSync("mkfifo", [join(root, "pipe.yaml")]);
    expect(await readFlowBytes(join(root, "pipe.yaml"), 100)).toEqual({ issue: { kind: "not-a-file" } });
  });
});
