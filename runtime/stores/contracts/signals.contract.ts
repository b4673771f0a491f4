/**
 * Contract suite for the signals port (`ports/signals.ts`), run on every implementation: the
 * in-process signals of the embedded stores, PostgreSQL's `LISTEN/NOTIFY` and Redis pub/sub.
 * "Instances" are the runtime instances of one deployment; the in-process signals have exactly
 * one, so their instances are one bus seen by several listeners.
 *
 * ```ts
 * signalsContract("redis", { open: async (count) => …, interrupt: async (deployment) => …, close: async () => … });
 * ```
 */
import { afterEach, describe, expect, it } from "vitest";
import type { LiveChatSignal, SignalStore } from "../ports/signals.ts";

export interface SignalsUnderTest {
  /** Opens `count` instances of a new deployment, apart from every other deployment opened. */
  open(count: number): Promise<SignalStore[]>;
  /**
   * Breaks the connections that carry the deployment's signals between its instances, as a
   * network drop or a restarted server would. Absent where nothing connects them (in-process).
   */
  interrupt?(instances: readonly SignalStore[]): Promise<void>;
  /** Closes everything opened since the last call. */
  close(): Promise<void>;
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Listens on each instance, recording what arrives there as JSON. */
function record(instances: readonly SignalStore[]): string[][] {
  return instances.map((instance) => {
    const seen: string[] = [];
    instance.subscribe((signal) => seen.push(JSON.stringify(signal)));
    return seen;
  });
}

const json = (signal: LiveChatSignal) => JSON.stringify(signal);

export function signalsContract(name: string, subject: SignalsUnderTest): void {
  describe(`${name} signals contract`, () => {
    afterEach(() => subject.close());

    it("delivers to every listener of the instance at once, past one that throws, and not after unsubscribing", async () => {
      const [signals] = (await subject.open(1)) as [SignalStore];
      const seen: string[] = [];
      signals.subscribe(() => {
        throw new Error("a closed stream");
      });
      const stop = signals.subscribe((signal) => seen.push(`a:${signal.kind}`));
      signals.subscribe((signal) => seen.push(`b:${signal.kind}`));
      await signals.listening();
      signals.publish({ kind: "queue", conversation: "c1" });
      stop();
      signals.publish({ kind: "typing", conversation: "c1", from: "visitor" });
      expect(seen).toEqual(["a:queue", "b:queue", "b:typing"]);
    });

    it("carries every signal to every instance once: the publisher's own listeners at once, the others' soon", async () => {
      const instances = await subject.open(2);
      const [left, right] = instances as [SignalStore, SignalStore];
      const [onLeft, onRight] = record(instances) as [string[], string[]];
      await Promise.all(instances.map((instance) => instance.listening()));
      const message: LiveChatSignal = { kind: "message", conversation: "c1", seq: 3, from: "agent", agent: "account-1" };
      const typing: LiveChatSignal = { kind: "typing", conversation: "c1", from: "agent" };
      left.publish(message);
      expect(onLeft).toEqual([json(message)]);
      right.publish(typing);
      expect(onRight).toContain(json(typing));
      await expect.poll(() => onLeft.length + onRight.length, { timeout: 5000 }).toBeGreaterThanOrEqual(4);
      // Time for an echo or a second copy to show up, which must not come.
      await settle(300);
      expect(onLeft).toEqual([json(message), json(typing)]);
      expect(onRight.toSorted()).toEqual([json(message), json(typing)].toSorted());
    });

    it("carries a burst of signals to the other instance whole and in order", async () => {
      const instances = await subject.open(2);
      const [left] = instances as [SignalStore, SignalStore];
      const [, onRight] = record(instances) as [string[], string[]];
      await Promise.all(instances.map((instance) => instance.listening()));
      // More than fit into one of PostgreSQL's NOTIFY payloads (8000 bytes) when sent together.
      const burst: LiveChatSignal[] = Array.from({ length: 300 }, (_, index) => ({ kind: "message", conversation: `burst-${index % 7}`, seq: index + 1, from: "agent", agent: `account-${index}` }));
      for (const signal of burst) left.publish(signal);
      await expect.poll(() => onRight.length, { timeout: 5000 }).toBeGreaterThanOrEqual(burst.length);
      await settle(200);
      expect(onRight).toEqual(burst.map(json));
    });

    it("keeps the signals of other deployments apart", async () => {
      const ours = await subject.open(2);
      const [theirs] = (await subject.open(1)) as [SignalStore];
      const [, onOurOther] = record(ours) as [string[], string[]];
      const [onTheirs] = record([theirs]) as [string[]];
      await Promise.all([...ours, theirs].map((instance) => instance.listening()));
      (ours[0] as SignalStore).publish({ kind: "queue", conversation: "ours" });
      // Once our other instance has it, theirs would have had it too.
      await expect.poll(() => onOurOther, { timeout: 5000 }).toEqual([json({ kind: "queue", conversation: "ours" })]);
      await settle(200);
      expect(onTheirs).toEqual([]);
    });

    it("carries signals again after the connection between the instances broke, and says that some may have been missed (where there is one)", async () => {
      const instances = await subject.open(2);
      const [left, right] = instances as [SignalStore, SignalStore];
      const [, onRight] = record(instances) as [string[], string[]];
      let missed = 0;
      right.subscribe(
        () => undefined,
        () => {
          missed += 1;
        },
      );
      await Promise.all(instances.map((instance) => instance.listening()));
      await subject.interrupt?.(instances);
      // What is published while the connection is down may be lost (listeners read the store); it comes back by itself.
      let seq = 0;
      await expect
        .poll(
          () => {
            left.publish({ kind: "message", conversation: "after-the-break", seq: ++seq });
            return onRight.length > 0;
          },
          { timeout: 15_000, interval: 100 },
        )
        .toBe(true);
      // Listeners read the store then; nothing connects the in-process signals, so nothing was missed there.
      if (subject.interrupt) await expect.poll(() => missed, { timeout: 5000 }).toBeGreaterThan(0);
      else expect(missed).toBe(0);
    });
  });
}
