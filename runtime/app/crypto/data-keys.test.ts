import { describe, expect, it } from "vitest";
import { testKeys } from "../../testing/create-test-runtime.ts";
import { openTestStore } from "../../testing/open-test-store.ts";
import { DataKeys } from "./data-keys.ts";
import { sealedKeyId, sealJson } from "./sealing.ts";

async function setup(cacheSize?: number) {
  const store = await openTestStore("memory");
  const dataKeys = () => new DataKeys(store.dataKeys, testKeys.dataKeyWrapping, () => new Date("2026-03-01T10:00:00Z"), cacheSize === undefined ? {} : { cacheSize });
  return { store, dataKeys };
}

describe("data keys", () => {
  it("seals under a key named in the sealed value and opens it again, from a fresh cache too", async () => {
    const { dataKeys } = await setup();
    const writer = dataKeys();
    const { key, stored } = writer.create("conversation-1", "conversation");
    const sealed = writer.seal({ name: "Erika" }, key, "conversation-1");
    expect(await stored).toBe(true);
    expect(sealedKeyId(sealed)).toBe("conversation-1");
    expect(await dataKeys().open(sealed, "conversation-1", testKeys.stateEncryption)).toEqual({ name: "Erika" });
  });

  it("opens nothing once the key is destroyed, in any instance", async () => {
    const { dataKeys } = await setup();
    const writer = dataKeys();
    const other = dataKeys();
    const { key, stored } = writer.create("conversation-1", "conversation");
    await stored;
    const sealed = writer.seal({ name: "Erika" }, key, "conversation-1");
    await writer.destroy(["conversation-1"]);
    expect(await writer.open(sealed, "conversation-1", testKeys.stateEncryption)).toBeUndefined();
    expect(await other.open(sealed, "conversation-1", testKeys.stateEncryption)).toBeUndefined();
  });

  it("opens a value sealed before data keys with the state key", async () => {
    const { dataKeys } = await setup();
    const sealed = sealJson({ name: "Erika" }, testKeys.stateEncryption, "conversation-1");
    expect(await dataKeys().open(sealed, "conversation-1", testKeys.stateEncryption)).toEqual({ name: "Erika" });
  });

  it("stores the key only wrapped, bound to its id", async () => {
    const { store, dataKeys } = await setup();
    const keys = dataKeys();
    await keys.create("conversation-1", "conversation").stored;
    const record = await store.dataKeys.get("conversation-1");
    expect(record).toMatchObject({ id: "conversation-1", kind: "conversation", createdAt: "2026-03-01T10:00:00.000Z" });
    // The same wrapped bytes under another id do not unwrap.
    await store.dataKeys.create({ ...(record ?? { kind: "conversation", createdAt: "", wrapped: "" }), id: "conversation-2" });
    await expect(dataKeys().get("conversation-2")).rejects.toMatchObject({ code: "sealed-tampered" });
  });

  it("gives the stored key to a creator that lost the race for an id", async () => {
    const { dataKeys } = await setup();
    const first = dataKeys();
    const second = dataKeys();
    const winner = first.create("conversation-1", "conversation");
    expect(await winner.stored).toBe(true);
    const loser = second.create("conversation-1", "conversation");
    expect(await loser.stored).toBe(false);
    const sealed = first.seal({ won: true }, winner.key, "conversation-1");
    expect(await second.open(sealed, "conversation-1", testKeys.stateEncryption)).toEqual({ won: true });
    expect((await second.ensure("conversation-1", "conversation")).id).toBe("conversation-1");
  });

  it("keeps at most `cacheSize` keys unwrapped and reads others from the store again", async () => {
    const { store, dataKeys } = await setup(2);
    const keys = dataKeys();
    const sealed: string[] = [];
    for (const id of ["a", "b", "c"]) {
      const { key, stored } = keys.create(id, "conversation");
      await stored;
      sealed.push(keys.seal(id, key, id));
    }
    const reads: string[] = [];
    const get = store.dataKeys.get.bind(store.dataKeys);
    store.dataKeys.get = async (id) => {
      reads.push(id);
      return get(id);
    };
    expect(await keys.open(sealed[2] ?? "", "c", testKeys.stateEncryption)).toBe("c");
    expect(await keys.open(sealed[0] ?? "", "a", testKeys.stateEncryption)).toBe("a");
    expect(reads).toEqual(["a"]);
  });
});

describe("keys made ahead for new conversations", () => {
  it("hands out ids whose keys are durable already, made in batches, and destroys the unused ones on close", async () => {
    const store = await openTestStore("memory");
    const dataKeys = new DataKeys(store.dataKeys, testKeys.dataKeyWrapping, () => new Date("2026-03-01T10:00:00Z"), { readyKeys: 4 });
    const first = await dataKeys.newConversation();
    expect(await store.dataKeys.get(first)).toBeDefined();
    expect(first).toMatch(/^[A-Za-z0-9_-]{22}$/);
    // The first batch was four; taking one left three, and at half a new batch is made.
    expect((await store.dataKeys.list("conversation")).length).toBe(4);
    const second = await dataKeys.newConversation();
    expect(second).not.toBe(first);
    await new Promise((resolve) => setImmediate(resolve));
    expect((await store.dataKeys.list("conversation")).length).toBe(6);
    await dataKeys.close();
    expect((await store.dataKeys.list("conversation")).map((record) => record.id).sort()).toEqual([first, second].sort());
    // Keys that never had a conversation are not erasures.
    expect(await store.dataKeys.erasures()).toEqual([]);
  });
});
