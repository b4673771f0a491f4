import { describe, expect, it } from "vitest";
import { createFakeClock } from "../../testing/fake-clock.ts";
import { testKeys } from "../../testing/create-test-runtime.ts";
import { openTestStore } from "../../testing/open-test-store.ts";
import { DataKeys } from "../crypto/data-keys.ts";
import { TransientKeys } from "./transient-keys.ts";

const rotationMs = 60_000;

async function setup() {
  const store = await openTestStore("memory");
  const clock = createFakeClock({ at: "2026-03-01T10:00:00Z" });
  const dataKeys = new DataKeys(store.dataKeys, testKeys.dataKeyWrapping, clock);
  const transient = new TransientKeys(dataKeys, clock, rotationMs);
  const keyIds = async () => (await store.dataKeys.list("transient")).map((record) => record.id);
  return { store, clock, dataKeys, transient, keyIds };
}

const nothingStored = async () => new Set<string>();

describe("transient keys", () => {
  it("seals under one stored key until the rotation period has passed, then under a new one", async () => {
    const { clock, transient, keyIds } = await setup();
    const first = await transient.use(async (key) => key.id);
    expect(await transient.use(async (key) => key.id)).toBe(first);
    expect(await keyIds()).toEqual([first]);
    clock.advance(rotationMs);
    const second = await transient.use(async (key) => key.id);
    expect(second).not.toBe(first);
    expect(await keyIds()).toEqual([first, second]);
  });

  it("destroys a key that is no longer current once no stored entry and no write on its way uses it", async () => {
    const { transient, keyIds } = await setup();
    const first = await transient.use(async (key) => key.id);
    expect(await transient.retire(nothingStored)).toBe(0);
    expect(await keyIds()).toEqual([first]);

    transient.rotate();
    expect(await transient.retire(async () => new Set([first]))).toBe(1);
    expect(await keyIds()).toEqual([first]);

    let finishWrite = () => {};
    const writing = transient.use((key) => new Promise<string>((resolve) => (finishWrite = () => resolve(key.id))));
    await new Promise((resolve) => setImmediate(resolve));
    const second = (await keyIds()).find((id) => id !== first) ?? "";
    transient.rotate();
    // The first goes; the second has a write on its way.
    expect(await transient.retire(nothingStored)).toBe(1);
    expect(await keyIds()).toEqual([second]);
    finishWrite();
    expect(await writing).toBe(second);
    expect(await transient.retire(nothingStored)).toBe(0);
    expect(await keyIds()).toEqual([]);
  });

  it("retires the current key too once it outlived the rotation period unused", async () => {
    const { clock, transient, keyIds } = await setup();
    await transient.use(async () => undefined);
    clock.advance(rotationMs);
    await transient.retire(nothingStored);
    expect(await keyIds()).toEqual([]);
  });

  it("leaves another instance's key alone until it is older than twice the rotation period and a minute", async () => {
    const { store, clock, dataKeys, transient, keyIds } = await setup();
    const other = new TransientKeys(dataKeys, clock, rotationMs);
    const theirs = await other.use(async (key) => key.id);
    await transient.retire(nothingStored);
    expect(await keyIds()).toEqual([theirs]);
    clock.advance(2 * rotationMs + 60_001);
    await transient.retire(nothingStored);
    expect(await store.dataKeys.get(theirs)).toBeUndefined();
  });
});
