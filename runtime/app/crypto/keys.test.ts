import { chmod, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deriveRuntimeKeys, keyFileName, loadOrCreateKeyFile, minimumSecretLength } from "./keys.ts";

let directory: string;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), "botschaft-keys-"));
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

function keyBytes(keys: ReturnType<typeof deriveRuntimeKeys>): string[] {
  return [keys.dataKeyWrapping, keys.stateEncryption, keys.pseudonym, keys.token].map((ring) => ring.current.key.export().toString("hex"));
}

describe("deriveRuntimeKeys", () => {
  it("derives the same keys from the same secret and four distinct 256-bit keys per secret", () => {
    const secret = "s".repeat(minimumSecretLength);
    const keys = keyBytes(deriveRuntimeKeys(secret));
    expect(keyBytes(deriveRuntimeKeys(secret))).toEqual(keys);
    expect(new Set(keys).size).toBe(4);
    for (const key of keys) expect(key).toHaveLength(64);
  });

  it("derives other keys and key ids from another secret", () => {
    const first = deriveRuntimeKeys("s".repeat(32));
    const second = deriveRuntimeKeys("t".repeat(32));
    expect(keyBytes(first)).not.toEqual(expect.arrayContaining([keyBytes(second)[0]]));
    expect(first.stateEncryption.current.id).not.toBe(second.stateEncryption.current.id);
  });

  it("refuses a configured secret shorter than the minimum", () => {
    expect(() => deriveRuntimeKeys("s".repeat(minimumSecretLength - 1))).toThrow(
      expect.objectContaining({ code: "secret-too-short" }),
    );
  });

  it("keeps previous secrets' keys for reading only", () => {
    const keys = deriveRuntimeKeys("t".repeat(32), ["s".repeat(32)]);
    expect(keys.stateEncryption.previous.map((key) => key.id)).toEqual([
      deriveRuntimeKeys("s".repeat(32)).stateEncryption.current.id,
    ]);
  });
});

describe("loadOrCreateKeyFile", () => {
  it("creates a 32-byte key with mode 0600 on first start and returns the same key afterwards", async () => {
    const path = join(directory, keyFileName);
    const created = await loadOrCreateKeyFile(path);
    expect(created).toHaveLength(32);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await loadOrCreateKeyFile(path)).toEqual(created);
  });

  it("creates one key when two starts race", async () => {
    const path = join(directory, keyFileName);
    const [first, second] = await Promise.all([loadOrCreateKeyFile(path), loadOrCreateKeyFile(path)]);
    expect(second).toEqual(first);
  });

  it("refuses a key file that group or others can read, and says how to fix it", async () => {
    const path = join(directory, keyFileName);
    await loadOrCreateKeyFile(path);
    for (const mode of [0o640, 0o604, 0o644]) {
      await chmod(path, mode);
      await expect(loadOrCreateKeyFile(path)).rejects.toMatchObject({
        code: "key-file-permissions",
        message: expect.stringContaining(`chmod 600 ${path}`),
      });
    }
  });

  it("refuses a key file that holds no valid key instead of replacing it", async () => {
    const path = join(directory, keyFileName);
    await writeFile(path, "not a key\n", { mode: 0o600 });
    await expect(loadOrCreateKeyFile(path)).rejects.toMatchObject({ code: "key-file-invalid" });
    expect(await readFile(path, "utf8")).toBe("not a key\n");
  });
});
