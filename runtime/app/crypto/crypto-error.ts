/**
 * Errors of key handling and sealing. The code tells the caller what happened:
 * - `secret-too-short`: the configured secret is too weak to derive keys from.
 * - `key-file-permissions`: the key file can be read by group or others; it is not used.
 * - `key-file-invalid`: the key file does not hold a key.
 * - `sealed-malformed`: the text is not a sealed value of a known format.
 * - `sealed-unknown-key`: it was sealed with a key this runtime does not have (a secret that
 *   was changed without keeping the old one as a previous secret).
 * - `sealed-tampered`: it fails authentication: changed, cut, moved to another context, or
 *   sealed with a different key under the same id.
 */
export type CryptoErrorCode =
  | "secret-too-short"
  | "key-file-permissions"
  | "key-file-invalid"
  | "sealed-malformed"
  | "sealed-unknown-key"
  | "sealed-tampered";

export class CryptoError extends Error {
  readonly code: CryptoErrorCode;

  constructor(code: CryptoErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "CryptoError";
    this.code = code;
  }
}
