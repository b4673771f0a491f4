/**
 * Passwords: hashed with scrypt (memory-hard; Node's own, so no native add-on), 32 MiB and
 * about a tenth of a second per hash on one core, parameters stored with the hash so they can
 * grow later. A new password needs at least 12 characters and must not be a common one (the
 * 49,000 most common passwords of zxcvbn's list, plus German favourites) nor the e-mail address.
 */
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";

export type PasswordProblem = "too-short" | "too-long" | "common" | "like-email";

export const minimumPasswordLength = 12;
/** Longer gains nothing and would let a request make scrypt hash megabytes. */
export const maximumPasswordLength = 256;

const parameters = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 2 ** 20 };
const keyLength = 32;

function derive(password: string, salt: Buffer, options: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFC"), salt, keyLength, { ...options, maxmem: parameters.maxmem }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** `scrypt$N$r$p$salt$hash`, salt and hash in base64url. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, parameters);
  return ["scrypt", parameters.N, parameters.r, parameters.p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

/** A valid hash of nothing anyone can type, so an unknown account costs the same time as a wrong password. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(32).toString("base64url"));
  return dummyHash;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const key = await derive(password.slice(0, maximumPasswordLength), Buffer.from(salt, "base64url"), { N: Number(n), r: Number(r), p: Number(p) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A few German favourites zxcvbn's mostly English list lacks. */
const germanCommon = ["passwort", "passwort123", "hallo123", "hallohallo", "schatz", "geheim", "geheim123", "sommer2026", "winter2026", "fussball", "schalke04", "bvb09", "dortmund09", "qwertzuiop", "123456789012"];

let common: Promise<Set<string>> | undefined;
function commonPasswords(): Promise<Set<string>> {
  // Loaded on first use: decompressing the list takes a moment nobody needs at start-up.
  common ??= import("@zxcvbn-ts/language-common").then(({ dictionary }) => new Set([...(dictionary["passwords-common"] as string[]), ...germanCommon]));
  return common;
}

/** Why a new password is refused, or undefined when it is fine. */
export async function passwordProblem(password: string, email?: string): Promise<PasswordProblem | undefined> {
  const length = [...password].length;
  if (length < minimumPasswordLength) return "too-short";
  if (length > maximumPasswordLength) return "too-long";
  const lower = password.toLowerCase();
  if ((await commonPasswords()).has(lower) || /^(.)\1+$/.test(password) || /^(0123456789|1234567890|abcdefghijkl)/.test(lower)) return "common";
  const local = email?.split("@")[0]?.toLowerCase();
  if (email && (lower === email.toLowerCase() || (local && local.length >= 4 && lower.includes(local)))) return "like-email";
  return undefined;
}
