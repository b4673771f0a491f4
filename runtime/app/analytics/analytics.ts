/**
 * Analytics without personal data (docs/analytics.md): counters per flow, flow version and day —
 * conversations started, steps entered, branches taken, consents given, declined and withdrawn
 * per purpose, input retries, handovers, completions. The engine reports what a turn did
 * (`EngineContext.observe`); a turn's counts are added only once the turn is stored. Counts are
 * kept in memory for a moment and written together (`flushMs`), so counting costs a turn no
 * store write of its own; a crash loses at most that moment's counts, never a conversation.
 *
 * Nothing counted names a conversation or carries what a visitor wrote: keys are node ids and
 * consent purposes from the flow, times are days. Reports show counts below 5 as "<5".
 */
import type { EngineObservation } from "../../core/index.ts";
import type { AnalyticsCount, AnalyticsStore } from "../../stores/ports/analytics.ts";

/** Counts below this are shown as "<5". */
export const smallCount = 5;

export type ShownCount = number | "<5";

/** One turn's counts, collected while it runs and added when it is stored. */
export interface TurnCounter {
  /** Pass as the engine context's `observe`. */
  observe(observation: EngineObservation): void;
  /** The turn started the conversation (the visitor clicked; the widget loads nothing before). */
  started(): void;
  /** The turn asked for a human. */
  handover(): void;
  /** The turn was stored: its counts go in. */
  commit(): void;
}

export interface VersionReport {
  version: string;
  /** Totals over the days asked for. */
  totals: Record<string, ShownCount>;
  days: { day: string; counts: Record<string, ShownCount> }[];
}

export interface FlowReport {
  flow: string;
  from?: string;
  to?: string;
  versions: VersionReport[];
}

/** Bounds each cache of counting keys; flows have far fewer node ids and purposes. */
const keyCacheLimit = 10_000;

/** `table[a][b]`, made by `make` the first time it is asked for. */
function cachedKey(table: Map<string, Map<string, string>>, a: string, b: string, make: () => string): string {
  let inner = table.get(a);
  if (inner === undefined) {
    if (table.size >= keyCacheLimit) table.clear();
    inner = new Map();
    table.set(a, inner);
  }
  let key = inner.get(b);
  if (key === undefined) {
    if (inner.size >= keyCacheLimit) inner.clear();
    key = make();
    inner.set(b, key);
  }
  return key;
}

/**
 * The counting keys ("step:ask-name", "branch:main>ask-name", …), each made once and then
 * reused: a turn counts several keys, and a key string that already exists is found in a map
 * without being built and hashed again.
 */
class CountingKeys {
  readonly #byKind = new Map<string, Map<string, string>>();
  readonly #branches = new Map<string, Map<string, string>>();
  readonly #consents = new Map<string, Map<string, string>>();

  /** Adds the keys an observation counts to `keys`. */
  add(observation: EngineObservation, keys: string[]): void {
    switch (observation.type) {
      case "enter": {
        const { node, from } = observation;
        keys.push(cachedKey(this.#byKind, "step", node, () => `step:${node}`));
        if (from !== null) keys.push(cachedKey(this.#branches, from, node, () => `branch:${from}>${node}`));
        return;
      }
      case "consent": {
        const { decision, purpose } = observation;
        keys.push(cachedKey(this.#consents, decision, purpose, () => `consent:${decision}:${purpose}`));
        return;
      }
      case "retry": {
        const { node } = observation;
        keys.push(cachedKey(this.#byKind, "retry", node, () => `retry:${node}`));
        return;
      }
      case "completed":
        keys.push("completed");
        return;
    }
  }
}

export function shown(count: number): ShownCount {
  return count < smallCount ? "<5" : count;
}

/** Counts not yet written: flow → version → day → key → count. */
type PendingCounts = Map<string, Map<string, Map<string, Map<string, number>>>>;

function nested<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

const dayMs = 86_400_000;

export class Analytics {
  readonly #store: AnalyticsStore;
  readonly #clock: () => Date;
  readonly #flushMs: number;
  readonly #keys = new CountingKeys();
  #pending: PendingCounts = new Map();
  /** The UTC day counted into, while the clock is within it (so the date is formatted once a day). */
  #day = { from: 0, to: 0, name: "" };
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();

  readonly #publishedAt: (flow: string, version: string) => Promise<string | undefined>;

  /** `publishedAt` orders a flow's versions, newest first; without it, by the first day counted. */
  constructor(store: AnalyticsStore, clock: () => Date, options: { flushMs?: number; publishedAt?: (flow: string, version: string) => Promise<string | undefined> } = {}) {
    this.#store = store;
    this.#clock = clock;
    this.#flushMs = options.flushMs ?? 1000;
    this.#publishedAt = options.publishedAt ?? (async () => undefined);
  }

  /** A counter for one turn of a conversation on this flow version. */
  turn(flow: string, version: string): TurnCounter {
    const keys: string[] = [];
    const countingKeys = this.#keys;
    return {
      observe: (observation) => countingKeys.add(observation, keys),
      started: () => keys.push("started"),
      handover: () => keys.push("handover"),
      commit: () => this.#add(flow, version, keys),
    };
  }

  #today(): string {
    const now = this.#clock().getTime();
    if (now < this.#day.from || now >= this.#day.to) {
      const from = now - (((now % dayMs) + dayMs) % dayMs);
      this.#day = { from, to: from + dayMs, name: new Date(from).toISOString().slice(0, 10) };
    }
    return this.#day.name;
  }

  #add(flow: string, version: string, keys: readonly string[]): void {
    if (keys.length === 0) return;
    const day = this.#today();
    const counts = nested(nested(nested(this.#pending, flow, () => new Map()), version, () => new Map()), day, () => new Map<string, number>());
    for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
    if (this.#timer === undefined) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        void this.flush().catch(() => undefined);
      }, this.#flushMs);
      this.#timer.unref?.();
    }
  }

  /** Writes the counts kept in memory; a failed write keeps them for the next flush. */
  flush(): Promise<void> {
    // After the previous write, whether it failed or not: a failure is its caller's to see, and
    // must not make every later flush fail without writing.
    this.#flushing = this.#flushing.catch(() => undefined).then(async () => {
      if (this.#pending.size === 0) return;
      const batch: AnalyticsCount[] = [];
      for (const [flow, versions] of this.#pending)
        for (const [version, days] of versions) for (const [day, counts] of days) for (const [key, count] of counts) batch.push({ flow, version, day, key, count });
      this.#pending = new Map();
      try {
        await this.#store.add(batch);
      } catch (error) {
        for (const { flow, version, day, key, count } of batch) {
          const counts = nested(nested(nested(this.#pending, flow, () => new Map()), version, () => new Map()), day, () => new Map<string, number>());
          counts.set(key, (counts.get(key) ?? 0) + count);
        }
        throw error;
      }
    });
    return this.#flushing;
  }

  /** Writes what is pending and stops the timer. */
  async stop(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.flush().catch(() => undefined);
  }

  /** The counts of a flow per version and day, with small counts hidden; versions newest first. */
  async report(flow: string, from?: string, to?: string): Promise<FlowReport> {
    await this.flush().catch(() => undefined);
    const byVersion = new Map<string, Map<string, Map<string, number>>>();
    for (const count of await this.#store.counts(flow, from, to)) {
      const days = byVersion.get(count.version) ?? new Map<string, Map<string, number>>();
      byVersion.set(count.version, days);
      const counts = days.get(count.day) ?? new Map<string, number>();
      days.set(count.day, counts);
      counts.set(count.key, (counts.get(count.key) ?? 0) + count.count);
    }
    const versions: (VersionReport & { since: string })[] = [];
    for (const [version, days] of byVersion) {
      const totals = new Map<string, number>();
      const dayList = [...days].sort(([a], [b]) => (a < b ? -1 : 1));
      for (const [, counts] of dayList) for (const [key, count] of counts) totals.set(key, (totals.get(key) ?? 0) + count);
      versions.push({
        version,
        since: (await this.#publishedAt(flow, version)) ?? dayList[0]?.[0] ?? "",
        totals: Object.fromEntries([...totals].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, count]) => [key, shown(count)])),
        days: dayList.map(([day, counts]) => ({ day, counts: Object.fromEntries([...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, count]) => [key, shown(count)])) })),
      });
    }
    versions.sort((a, b) => (a.since < b.since ? 1 : a.since > b.since ? -1 : a.version < b.version ? -1 : 1));
    return { flow, ...(from ? { from } : {}), ...(to ? { to } : {}), versions: versions.map(({ since: _, ...version }) => version) };
  }
}
