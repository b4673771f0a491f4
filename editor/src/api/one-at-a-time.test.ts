import { describe, expect, it } from "vitest";
import { oneAtATime } from "./one-at-a-time.ts";

describe("oneAtATime", () => {
  it("folds the calls made while one runs into a single run after it", async () => {
    const releases: (() => void)[] = [];
    let runs = 0;
    let concurrent = 0;
    let most = 0;
    const reload = oneAtATime(async () => {
      runs += 1;
      concurrent += 1;
      most = Math.max(most, concurrent);
      await new Promise<void>((resolve) => releases.push(resolve));
      concurrent -= 1;
    });
    const first = reload();
    const burst = Array.from({ length: 50 }, () => reload());
    expect(runs).toBe(1);
    releases.shift()?.();
    await first;
    await Promise.resolve();
    expect(runs).toBe(2);
    releases.shift()?.();
    await Promise.all(burst);
    expect({ runs, most }).toEqual({ runs: 2, most: 1 });
    // Idle again: the next call runs at once.
    const later = reload();
    expect(runs).toBe(3);
    releases.shift()?.();
    await later;
  });

  it("runs again after a run that failed, and passes the failure to its callers", async () => {
    let runs = 0;
    const reload = oneAtATime(async () => {
      runs += 1;
      if (runs === 1) throw new Error("offline");
    });
    const failed = reload();
    const next = reload();
    await expect(failed).rejects.toThrow("offline");
    await next;
    expect(runs).toBe(2);
  });
});
