/**
 * docs/privacy.md#security-of-processing: personal values are encrypted at rest and channel user ids pseudonymised. Known
 * values go through the real path (sealing, pseudonym, token hash, lowdb store) and the raw
 * bytes of every file in the data directory are searched for them, in the clear and in base64.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTestStore } from "../../testing/open-test-store.ts";
import { findPersonalValues as findValues } from "../../testing/personal-values.ts";
import { generateBearerToken, hashBearerToken } from "./bearer-token.ts";
import { deriveRuntimeKeys, keyFileName, loadOrCreateKeyFile, type RuntimeKeys } from "./keys.ts";
import { pseudonym } from "./pseudonym.ts";
import { openSealedJson, sealJson } from "./sealing.ts";

const telegramUserId = "987654321";
const personalValues = ["Erika Mustermann", "erika@example.org", "+49 170 1234567", telegramUserId];

/** Each personal value found in any file, and the form it was found in. */
function findPersonalValues(directory: string): Promise<string[]> {
  return findValues(directory, personalValues);
}

let dataDir: string;
let keys: RuntimeKeys;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "botschaft-at-rest-"));
  keys = deriveRuntimeKeys(await loadOrCreateKeyFile(join(dataDir, keyFileName)));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe("personal data at rest", () => {
  it("finds a personal value hidden in base64 at any alignment (the search itself works)", async () => {
    for (const prefix of ["", "a", "ab"]) {
      await writeFile(join(dataDir, "leak.txt"), Buffer.from(`${prefix}${personalValues[0]}!`).toString("base64url"));
      expect(await findPersonalValues(dataDir)).toHaveLength(1);
    }
  });

  it("leaves no personal value in any file of the data directory, in the journal or after a checkpoint", async () => {
    const state = {
      node: "confirm",
      answers: { name: "Erika Mustermann", email: "erika@example.org", phone: "+49 170 1234567" },
      consents: [{ purpose: "answer-request", decision: "accepted", at: "2026-03-01T10:00:00.000Z" }],
    };
    const id = generateBearerToken();
    const token = generateBearerToken();
    const store = await openTestStore("lowdb", { dataDir });
    await store.conversations.create({
      id,
      tokenHash: hashBearerToken(keys.token.current.key, token),
      flow: "contact",
      version: "v1",
      sealedState: sealJson(state, keys.stateEncryption, id),
      channel: "telegram",
      channelUser: pseudonym(keys.pseudonym.current.key, "telegram", telegramUserId),
      lastActivityAt: "2026-03-01T10:00:00.000Z",
      expiresAt: "2026-06-01T10:00:00.000Z",
    });
    const created = await store.conversations.get(id);
    if (!created) throw new Error("the conversation was not stored");
    const corrected = { ...state, answers: { ...state.answers, email: "erika@example.org" } };
    await store.conversations.update({
      ...created,
      revision: 1,
      sealedState: sealJson(corrected, keys.stateEncryption, id),
    });

    expect(await findPersonalValues(dataDir)).toEqual([]);
    await store.close();
    expect(await findPersonalValues(dataDir)).toEqual([]);

    const reopened = await openTestStore("lowdb", { dataDir });
    const stored = await reopened.conversations.findByChannelUser(
      "telegram",
      pseudonym(keys.pseudonym.current.key, "telegram", telegramUserId),
    );
    await reopened.close();
    expect(stored && openSealedJson(stored.sealedState, keys.stateEncryption, id)).toEqual(corrected);
  });
});
