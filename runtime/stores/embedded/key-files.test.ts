import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { dataKey } from "../contracts/store-contract.ts";
import { KeyFiles, segmentCapacity } from "./key-files.ts";

const directories: string[] = [];
const opened: KeyFiles[] = [];

afterEach(async () => {
  for (const vault of opened.splice(0)) await vault.close();
  for (const directory of directories.splice(0)) await rm(directory, { recursive: true, force: true });
});

async function openVault(directory?: string): Promise<{ vault: KeyFiles; directory: string }> {
  const at = directory ?? (await mkdtemp(join(tmpdir(), "botschaft-keys-")));
  if (!directory) directories.push(at);
  const vault = await KeyFiles.open(at);
  opened.push(vault);
  return { vault, directory: at };
}

async function allFileText(directory: string): Promise<string> {
  let text = "";
  for (const name of await readdir(directory)) text += await readFile(join(directory, name), "utf8");
  return text;
}

async function segments(directory: string): Promise<string[]> {
  return (await readdir(directory)).filter((name) => name.startsWith("keys-")).sort();
}

describe("key files", () => {
  it("rewrites the segment that held a destroyed key, so that no file holds it, and keeps its neighbours", async () => {
    const { vault, directory } = await openVault();
    for (const id of ["a", "b", "c"]) await vault.create(dataKey(id, { wrapped: `secret-of-${id}` }));
    await vault.destroy(["b"], ["b"]);
    const text = await allFileText(directory);
    expect(text).not.toContain("secret-of-b");
    expect(text).toContain("secret-of-a");
    expect(text).toContain("secret-of-c");
    const reopened = await openVault(directory);
    expect([...reopened.vault.ids()].sort()).toEqual(["a", "c"]);
  });

  it("removes a segment once its last key is destroyed", async () => {
    const { vault, directory } = await openVault();
    await vault.create(dataKey("only"));
    expect(await segments(directory)).toHaveLength(1);
    await vault.destroy(["only"], []);
    expect(await segments(directory)).toEqual([]);
  });

  it("never writes a key destroyed before its round went to disk", async () => {
    const { vault, directory } = await openVault();
    const created = vault.create(dataKey("short-lived", { wrapped: "never-on-disk" }));
    const destroyed = vault.destroy(["short-lived"], []);
    expect(await created).toBe(true);
    await destroyed;
    expect(await allFileText(directory)).not.toContain("never-on-disk");
  });

  it("writes concurrent creates in shared rounds and starts a new segment when one is full", async () => {
    const { vault, directory } = await openVault();
    const ids = Array.from({ length: segmentCapacity + 10 }, (_, index) => `key-${index}`);
    expect(await Promise.all(ids.map((id) => vault.create(dataKey(id))))).toEqual(ids.map(() => true));
    await vault.create(dataKey("one-more"));
    expect((await segments(directory)).length).toBeGreaterThanOrEqual(2);
    const reopened = await openVault(directory);
    expect([...reopened.vault.ids()].length).toBe(ids.length + 1);
  });

  it("logs the erased conversations it is told of by digest, durably", async () => {
    const { vault, directory } = await openVault();
    await vault.create(dataKey("a"));
    await vault.destroy(["a", "conversation-without-key"], ["a", "conversation-without-key"]);
    await vault.close();
    const reopened = await openVault(directory);
    expect((await reopened.vault.erasures()).map((entry) => entry.digest)).toHaveLength(2);
  });

  it("drops a key line cut off by a crash and starts a new segment rather than appending to a torn one", async () => {
    const { vault, directory } = await openVault();
    await vault.create(dataKey("complete"));
    await vault.close();
    const [segment] = await segments(directory);
    await appendFile(join(directory, segment ?? ""), '{"id":"torn","kind":"conv');
    const reopened = await openVault(directory);
    expect([...reopened.vault.ids()]).toEqual(["complete"]);
    await reopened.vault.create(dataKey("after"));
    expect(await segments(directory)).toHaveLength(2);
  });

  it("refuses a key file with a line that is not a key", async () => {
    const { vault, directory } = await openVault();
    await vault.create(dataKey("a"));
    await vault.close();
    const [segment] = await segments(directory);
    await writeFile(join(directory, segment ?? ""), '{"id":"a"}\n');
    await expect(KeyFiles.open(directory)).rejects.toMatchObject({ code: "store-corrupt" });
  });
});
