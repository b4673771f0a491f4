import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { appendFile, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Store } from "../ports/store.ts";
import { journalFileName } from "./group-commit-journal.ts";
import { LowdbStore, type StoreWarning } from "./lowdb-store.ts";
import { newConversation, nextRevision, storeContract } from "../contracts/store-contract.ts";

const temporaryDirectories: string[] = [];

async function temporaryDataDir(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), "botschaft-lowdb-"));
  temporaryDirectories.push(directory);
  return directory;
}

afterEach(async () => {
  for (const directory of temporaryDirectories.splice(0)) await rm(directory, { recursive: true, force: true });
});

function lowdbSubject(options: { checkpointBytes?: number; shardCount?: number } = {}) {
  const dataDirs = new Map<Store, string>();
  const openAt = async (dataDir: string) => {
    const store = await LowdbStore.open({ dataDir, ...options });
    dataDirs.set(store, dataDir);
    return store;
  };
  return {
    open: async () => openAt(await temporaryDataDir()),
    reopen: async (store: Store) => {
      const dataDir = dataDirs.get(store);
      if (!dataDir) throw new Error("reopen of a store this subject did not open");
      await store.close();
      return openAt(dataDir);
    },
  };
}

storeContract("lowdb", lowdbSubject());
// A checkpoint after every write runs the rotation and shard writes alongside every other test.
storeContract("lowdb, checkpointing after every write, 3 shards", lowdbSubject({ checkpointBytes: 1, shardCount: 3 }));

const fixture = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "write-until-killed.ts");

/**
 * Small checkpoints on many shards keep the process rotating journals and rewriting shard files
 * all through the run, so kills land in every phase. Each writer cycles through many
 * conversations: most are written once per run, so a lost write is not hidden by a later one.
 */
const writers = 4;
const conversationsPerWriter = 500;

function spawnWriter(dataDir: string): ChildProcess {
  const args = [dataDir, writers, conversationsPerWriter, 8 * 1024, 128].map(String);
  return spawn(process.execPath, ["--import", "tsx", fixture, ...args], { stdio: ["ignore", "pipe", "pipe"] });
}

/** Runs the writer until it has printed `acks` acknowledgements, kills it with SIGKILL and returns the last revision acknowledged per conversation. */
async function writeUntilKilled(dataDir: string, acks: number, erased: Set<string>): Promise<Map<string, number>> {
  const child = spawnWriter(dataDir);
  const acknowledged = new Map<string, number>();
  let errors = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    errors += chunk.toString();
  });
  let buffered = "";
  let count = 0;
  child.stdout?.on("data", (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) {
      const [kind, id, revision] = line.split(" ");
      if (kind === "erased" && id) erased.add(id);
      else if (id && revision) acknowledged.set(id, Number(revision));
      count += 1;
    }
    if (count >= acks) child.kill("SIGKILL");
  });
  const [code, signal] = await once(child, "exit");
  if (signal !== "SIGKILL") throw new Error(`writer ended with ${code}/${signal} before it was killed: ${errors}`);
  return acknowledged;
}

/** Every file of the store, the data keys' included. */
async function storeFiles(dataDir: string): Promise<string[]> {
  const entries = await readdir(join(dataDir, "lowdb"), { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

describe("LowdbStore durability", () => {
  it("keeps every acknowledged update and leaves only complete files when killed with SIGKILL mid-run, again and again", {
    timeout: 120_000,
  }, async () => {
    const dataDir = await temporaryDataDir();
    const highest = new Map<string, number>();
    const erased = new Set<string>();
    for (let crash = 0; crash < 3; crash++) {
      for (const [id, revision] of await writeUntilKilled(dataDir, 1000, erased)) highest.set(id, revision);

      for (const path of await storeFiles(dataDir)) {
        const text = await readFile(path, "utf8");
        if (path.endsWith(".json")) expect(() => JSON.parse(text), path).not.toThrow();
        if (path.endsWith(".jsonl")) {
          // Only a last line without its newline may be cut off: that round was never acknowledged.
          for (const line of text.split("\n").slice(0, -1)) expect(() => JSON.parse(line), path).not.toThrow();
        }
      }

      const store = await LowdbStore.open({ dataDir });
      // The run really checked many conversations, not a handful.
      expect(highest.size).toBeGreaterThanOrEqual(500);
      for (const [id, revision] of highest) {
        const stored = await store.conversations.get(id);
        expect(stored?.revision, id).toBeGreaterThanOrEqual(revision);
        expect(stored?.sealedState.startsWith(`revision-${stored.revision}-`), id).toBe(true);
        expect((await store.dataKeys.get(id))?.wrapped, id).toBe(`wrapped-${id}`);
      }
      expect(erased.size).toBeGreaterThanOrEqual(50);
      for (const id of erased) {
        expect(await store.conversations.get(id), id).toBeUndefined();
        expect(await store.dataKeys.get(id), id).toBeUndefined();
      }
      await store.close();
    }
  });

  it("replays the journal's complete lines on start and drops a line cut off by a crash", async () => {
    const dataDir = await temporaryDataDir();
    const store = await LowdbStore.open({ dataDir });
    const record = newConversation();
    await store.conversations.create(record);
    await store.close();

    const journaled = nextRevision({ ...record, revision: 0 }, { sealedState: "from the journal" });
    const change = JSON.stringify({ op: "put-conversation", record: journaled });
    const torn = JSON.stringify({ op: "put-conversation", record: nextRevision(journaled) }).slice(0, 40);
    await appendFile(join(dataDir, "lowdb", journalFileName(7)), `${change}\n${torn}`);

    const reopened = await LowdbStore.open({ dataDir });
    expect(await reopened.conversations.get(record.id)).toEqual(journaled);
    await reopened.close();
  });

  it("refuses to start on a damaged file, names it, and leaves the directory usable once it is mended", async () => {
    const dataDir = await temporaryDataDir();
    await (await LowdbStore.open({ dataDir, shardCount: 1 })).close();
    const shard = join(dataDir, "lowdb", "conversations-000.json");
    await writeFile(shard, '{"format":1,"conversations":[{"id":');
    await expect(LowdbStore.open({ dataDir })).rejects.toMatchObject({
      code: "store-corrupt",
      message: expect.stringContaining(shard),
    });
    await writeFile(shard, '{"format":1,"conversations":[]}');
    await (await LowdbStore.open({ dataDir })).close();
  });

  it("keeps the shard count the directory was created with", async () => {
    const dataDir = await temporaryDataDir();
    const store = await LowdbStore.open({ dataDir, shardCount: 4 });
    const records = Array.from({ length: 20 }, () => newConversation());
    for (const record of records) await store.conversations.create(record);
    await store.close();
    const reopened = await LowdbStore.open({ dataDir, shardCount: 16 });
    for (const record of records) expect(await reopened.conversations.get(record.id)).toEqual({ ...record, revision: 0 });
    await reopened.close();
    // A shard's file appears once a conversation lands in it, so with random ids some of the four may be missing.
    const shardFiles = (await readdir(join(dataDir, "lowdb"))).filter((name) => name.startsWith("conversations-"));
    expect(shardFiles.length).toBeGreaterThan(0);
    for (const name of shardFiles) expect(name).toMatch(/^conversations-00[0-3]\.json$/);
  });

  it("writes its files readable by the owner only", async () => {
    const dataDir = await temporaryDataDir();
    const store = await LowdbStore.open({ dataDir });
    await store.conversations.create(newConversation());
    await store.close();
    for (const path of await storeFiles(dataDir)) expect((await stat(path)).mode & 0o077, path).toBe(0);
  });

  it("warns at start, suggesting PostgreSQL, when the data is larger than the limit", async () => {
    const dataDir = await temporaryDataDir();
    const store = await LowdbStore.open({ dataDir });
    for (let index = 0; index < 20; index++)
      await store.conversations.create(newConversation({ sealedState: "x".repeat(100) }));
    await store.close();

    const warnings: StoreWarning[] = [];
    const reopened = await LowdbStore.open({
      dataDir,
      warnBytes: 1024,
      onWarning: (warning) => warnings.push(warning),
    });
    await reopened.close();
    expect(warnings).toEqual([
      {
        code: "store-large",
        bytes: expect.any(Number),
        limitBytes: 1024,
        message: expect.stringContaining("PostgreSQL"),
      },
    ]);
    const quiet: StoreWarning[] = [];
    await (
      await LowdbStore.open({ dataDir, warnBytes: 10 * 2 ** 20, onWarning: (warning) => quiet.push(warning) })
    ).close();
    expect(quiet).toEqual([]);
  });
});

describe("LowdbStore process lock", () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await temporaryDataDir();
  });

  it("refuses a second open of the same data directory with a clear error", async () => {
    const store = await LowdbStore.open({ dataDir });
    await expect(LowdbStore.open({ dataDir })).rejects.toMatchObject({
      code: "store-locked",
      message: expect.stringMatching(new RegExp(`in use by process ${process.pid}.*PostgreSQL`)),
    });
    await store.close();
    await (await LowdbStore.open({ dataDir })).close();
  });

  it("refuses while another live process holds the lock", async () => {
    const holder = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
    try {
      await (await LowdbStore.open({ dataDir })).close();
      await writeFile(join(dataDir, "lowdb", "process.lock"), `${holder.pid}\n`);
      await expect(LowdbStore.open({ dataDir })).rejects.toMatchObject({
        code: "store-locked",
        message: expect.stringContaining(`process ${holder.pid}`),
      });
    } finally {
      holder.kill("SIGKILL");
      await once(holder, "exit");
    }
  });

  it("takes over a lock left by a process that is gone", async () => {
    const gone = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
    await once(gone, "exit");
    const store = await LowdbStore.open({ dataDir });
    const record = newConversation();
    await store.conversations.create(record);
    await store.close();
    await writeFile(join(dataDir, "lowdb", "process.lock"), `${gone.pid}\n`);

    const reopened = await LowdbStore.open({ dataDir });
    expect(await readFile(join(dataDir, "lowdb", "process.lock"), "utf8")).toBe(`${process.pid}\n`);
    expect(await reopened.conversations.get(record.id)).toEqual({ ...record, revision: 0 });
    await reopened.close();
  });

  it("refuses a lock file that names no process instead of guessing", async () => {
    await (await LowdbStore.open({ dataDir })).close();
    await writeFile(join(dataDir, "lowdb", "process.lock"), "");
    await expect(LowdbStore.open({ dataDir })).rejects.toMatchObject({
      code: "store-locked",
      message: expect.stringContaining("holds no process id"),
    });
  });

  it("releases the lock on close", async () => {
    await (await LowdbStore.open({ dataDir })).close();
    expect(await readdir(join(dataDir, "lowdb"))).not.toContain("process.lock");
  });
});

describe("LowdbStore data keys", () => {
  it("destroys at start the conversation keys no conversation took, as a crashed run leaves keys made ahead", async () => {
    const dataDir = await temporaryDataDir();
    const store = await LowdbStore.open({ dataDir });
    const record = newConversation();
    await store.conversations.create(record);
    for (const id of [record.id, "made-ahead"]) await store.dataKeys.create({ id, kind: "conversation", wrapped: `wrapped-${id}`, createdAt: "2026-03-01T10:00:00.000Z" });
    await store.dataKeys.create({ id: "transient-a", kind: "transient", wrapped: "wrapped-transient", createdAt: "2026-03-01T10:00:00.000Z" });
    await store.close();
    const reopened = await LowdbStore.open({ dataDir });
    try {
      expect((await reopened.dataKeys.list("conversation")).map((key) => key.id)).toEqual([record.id]);
      expect((await reopened.dataKeys.list("transient")).map((key) => key.id)).toEqual(["transient-a"]);
      expect(await reopened.dataKeys.erasures()).toEqual([]);
    } finally {
      await reopened.close();
    }
  });
});
