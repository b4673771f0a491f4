/**
 * A fixed-window counter per key (here: per conversation). Lighter than a general rate-limit
 * middleware on the hottest route; fine for the embedded single-process mode, where one
 * process sees every message of a conversation.
 */
export class WindowLimiter {
  private windowStart = Number.NEGATIVE_INFINITY;
  private counts = new Map<string, number>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one hit for `key`; false when the key has used up its window. */
  allow(key: string): boolean {
    const now = this.now();
    if (now - this.windowStart >= this.windowMs) {
      // A new window forgets every key at once, so the map never grows beyond one window's keys.
      this.windowStart = now;
      this.counts = new Map();
    }
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, count);
    return count <= this.limit;
  }
}
