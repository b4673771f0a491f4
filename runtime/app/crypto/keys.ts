/**
 * The runtime's keys, all derived from one secret with HKDF-SHA256 under distinct info strings,
 * so that no key can be computed from another: `data-key-wrapping` wraps the per-conversation
 * data keys that seal engine state (`data-keys.ts`), `state-encryption` seals what has no data
 * key (export links, and states and deliveries sealed before data keys existed), `pseudonym`
 * pseudonymises channel user ids, `token` hashes bearer tokens, `ledger-chain` keys the proof
 * ledger's hash chain and `ledger-person` its person pseudonyms (docs/privacy.md#proof-ledger),
 * `blind-index` the requests desk's index of e-mail addresses and phone numbers.
 *
 * The secret comes from configuration (`BOTSCHAFT_SECRET`, read by the composition root) or,
 * when none is configured, from a key file created on first start with owner-only permissions
 * (docs/privacy.md#security-of-processing). Earlier secrets can be passed as `previous` so that data sealed or hashed with
 * them stays readable after a change of secret; new data always uses the current one.
 */
import { createHmac, createSecretKey, hkdfSync, type KeyObject, randomBytes } from "node:crypto";
import { link, open, stat, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import { CryptoError } from "./crypto-error.ts";

/** A key and its public id, which sealed values carry so that the right key can be found. */
export interface Key {
  readonly id: string;
  readonly key: KeyObject;
}

/** The key new data uses, and earlier keys that are only used to read old data. */
export interface KeyRing {
  readonly current: Key;
  readonly previous: readonly Key[];
}

export interface RuntimeKeys {
  /** Wraps data keys; what it wraps is destroyed with the data it opens (docs/privacy.md#erasure-by-destroying-keys). */
  readonly dataKeyWrapping: KeyRing;
  readonly stateEncryption: KeyRing;
  readonly pseudonym: KeyRing;
  readonly token: KeyRing;
  readonly ledgerChain: KeyRing;
  readonly ledgerPerson: KeyRing;
  readonly blindIndex: KeyRing;
}

/** Shortest configured secret accepted, in characters: 32 characters of `openssl rand -base64 32` carry enough entropy. */
export const minimumSecretLength = 32;

/** The key file's usual name inside the data directory. */
export const keyFileName = "secret.key";

const keyBytes = 32;
// A fixed salt is fine for HKDF (RFC 5869 §3.1): it separates Botschaft's keys from any other use of the secret.
const salt = Buffer.from("botschaft/hkdf/v1");

type Purpose = "data-key-wrapping" | "state-encryption" | "pseudonym" | "token" | "ledger-chain" | "ledger-person" | "blind-index";

function deriveKey(secret: Uint8Array, purpose: Purpose): Key {
  const bytes = Buffer.from(hkdfSync("sha256", secret, salt, purpose, keyBytes));
  // The id is a MAC under the key itself: stable, short, and says nothing about the key.
  const id = createHmac("sha256", bytes).update("botschaft key id").digest("base64url").slice(0, 8);
  return { id, key: createSecretKey(bytes) };
}

function secretBytes(secret: string | Uint8Array): Uint8Array {
  if (typeof secret !== "string") return secret;
  if (secret.length < minimumSecretLength) {
    throw new CryptoError(
      "secret-too-short",
      `The secret has ${secret.length} characters; at least ${minimumSecretLength} are needed (e.g. the output of \`openssl rand -base64 32\`).`,
    );
  }
  return Buffer.from(secret, "utf8");
}

/**
 * Derives the runtime's keys from the current secret and any previous ones. A string secret
 * comes from configuration and must have at least `minimumSecretLength` characters; bytes come
 * from the key file.
 *
 * @example
 * ```ts
 * const keys = deriveRuntimeKeys(config.secret ?? (await loadOrCreateKeyFile(join(dataDir, keyFileName))));
 * ```
 */
export function deriveRuntimeKeys(
  secret: string | Uint8Array,
  previousSecrets: readonly (string | Uint8Array)[] = [],
): RuntimeKeys {
  const current = secretBytes(secret);
  const previous = previousSecrets.map(secretBytes);
  const ring = (purpose: Purpose): KeyRing => ({
    current: deriveKey(current, purpose),
    previous: previous.map((bytes) => deriveKey(bytes, purpose)),
  });
  return {
    dataKeyWrapping: ring("data-key-wrapping"),
    stateEncryption: ring("state-encryption"),
    pseudonym: ring("pseudonym"),
    token: ring("token"),
    ledgerChain: ring("ledger-chain"),
    ledgerPerson: ring("ledger-person"),
    blindIndex: ring("blind-index"),
  };
}

async function readKeyFile(path: string): Promise<Uint8Array> {
  const stats = await stat(path);
  if (!stats.isFile()) throw new CryptoError("key-file-invalid", `${path} is not a regular file.`);
  if ((stats.mode & 0o077) !== 0) {
    throw new CryptoError(
      "key-file-permissions",
      `${path} can be read by others (mode ${(stats.mode & 0o777).toString(8)}). Restrict it with \`chmod 600 ${path}\`; it is not used until then.`,
    );
  }
  const handle = await open(path, "r");
  let text: string;
  try {
    text = await handle.readFile("utf8");
  } finally {
    await handle.close();
  }
  const bytes = Buffer.from(text.trim(), "base64url");
  if (bytes.length !== keyBytes || bytes.toString("base64url") !== text.trim()) {
    throw new CryptoError("key-file-invalid", `${path} does not hold a ${keyBytes}-byte key in base64url.`);
  }
  return bytes;
}

/**
 * The secret in the key file at `path`, created with 32 random bytes and mode 0600 if there is
 * none. Refuses a file that group or others can read. The file appears complete or not at all:
 * it is written under a temporary name and linked into place, so a concurrent start or a crash
 * never sees a half-written key.
 */
export async function loadOrCreateKeyFile(path: string): Promise<Uint8Array> {
  try {
    return await readKeyFile(path);
  } catch (error) {
    if (!(error instanceof Error && "code" in error && error.code === "ENOENT")) throw error;
  }
  const temporaryPath = `${path}.${randomBytes(8).toString("hex")}.tmp`;
  const handle = await open(temporaryPath, "wx", 0o600);
  try {
    await handle.writeFile(`${randomBytes(keyBytes).toString("base64url")}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temporaryPath, path);
  } catch (error) {
    if (!(error instanceof Error && "code" in error && error.code === "EEXIST")) throw error;
  } finally {
    await unlink(temporaryPath);
  }
  const directory = await open(dirname(path), "r");
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
  return readKeyFile(path);
}
