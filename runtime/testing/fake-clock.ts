/**
 * A clock for tests. Frozen (`at` given): it stands still until `advance` or `set` moves it, so
 * times in results are exact. Flowing (default): it runs with real time from its start, so
 * code that waits on real timers (retries, reorder windows) sees time pass; `advance` still
 * jumps it ahead, e.g. past a retention period.
 */
export interface FakeClock {
  /** The clock as the runtime takes it. */
  (): Date;
  advance(ms: number): void;
  set(at: string | Date): void;
  iso(): string;
}

export function createFakeClock(options: { at?: string | Date } = {}): FakeClock {
  const frozen = options.at !== undefined;
  let base = options.at === undefined ? Date.now() : new Date(options.at).getTime();
  const realStart = Date.now();
  const now = () => new Date(frozen ? base : base + (Date.now() - realStart));
  const clock = now as FakeClock;
  clock.advance = (ms) => {
    base += ms;
  };
  clock.set = (at) => {
    base = new Date(at).getTime() - (frozen ? 0 : Date.now() - realStart);
  };
  clock.iso = () => now().toISOString();
  return clock;
}
