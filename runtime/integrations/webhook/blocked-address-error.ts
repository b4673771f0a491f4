/**
 * Raised inside a connection attempt when the target's address is not allowed, so that the
 * caller can tell an SSRF refusal apart from an ordinary network failure.
 */
export class BlockedAddressError extends Error {
  /** Node hands lookup errors on unchanged; the code keeps this one recognisable wherever it surfaces. */
  readonly code = "EBLOCKEDADDRESS";

  constructor() {
    super("webhook target address is not allowed");
    this.name = "BlockedAddressError";
  }
}
