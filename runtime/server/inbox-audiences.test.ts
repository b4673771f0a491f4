import { describe, expect, it } from "vitest";
import type { LiveChatAudience } from "../app/inbox/inbox-service.ts";
import { LocalSignals } from "../stores/ports/signals.ts";
import { type AudienceSource, InboxAudiences } from "./inbox-audiences.ts";

/** A queue in memory that counts its reads; `hold` keeps the next queue read waiting until released. */
function fakeInbox(initial: Record<string, LiveChatAudience>) {
  const chats = new Map(Object.entries(initial));
  const counts = { one: 0, all: 0 };
  let failNext = false;
  let held: (() => void) | undefined;
  const source: AudienceSource = {
    async audience(conversation) {
      counts.one += 1;
      if (failNext) {
        failNext = false;
        throw new Error("the store is away");
      }
      return chats.get(conversation);
    },
    async audiences() {
      counts.all += 1;
      const snapshot = new Map(chats);
      if (held) await new Promise<void>((resolve) => (held = resolve));
      return snapshot;
    },
  };
  return {
    source,
    chats,
    counts,
    failOnce: () => {
      failNext = true;
    },
    hold: () => {
      held = () => undefined;
    },
    release: () => held?.(),
  };
}

describe("who follows which live chat, shared by an instance's agents' streams", () => {
  it("reads the whole queue once when primed, and then answers without a read", async () => {
    const inbox = fakeInbox({ a: { status: "waiting" }, b: { status: "claimed", claimedBy: "anna" } });
    const audiences = new InboxAudiences(inbox.source, new LocalSignals());
    await audiences.prime();
    await audiences.prime();
    expect(audiences.of("a")).toEqual({ status: "waiting" });
    expect(audiences.of("b")).toEqual({ status: "claimed", claimedBy: "anna" });
    expect(inbox.counts).toEqual({ one: 0, all: 1 });
    // Not in the queue: read once, and then known as "no live chat".
    expect(await audiences.of("c")).toBeUndefined();
    expect(audiences.of("c")).toBeUndefined();
    expect(inbox.counts).toEqual({ one: 1, all: 1 });
  });

  it("reads a conversation again after its queue changed, once for all", async () => {
    const inbox = fakeInbox({ a: { status: "waiting" } });
    const signals = new LocalSignals();
    const audiences = new InboxAudiences(inbox.source, signals);
    await audiences.prime();
    inbox.chats.set("a", { status: "claimed", claimedBy: "anna" });
    signals.publish({ kind: "queue", conversation: "a" });
    const [first, second] = [audiences.of("a"), audiences.of("a")];
    expect(await first).toEqual({ status: "claimed", claimedBy: "anna" });
    expect(await second).toEqual({ status: "claimed", claimedBy: "anna" });
    expect(inbox.counts.one).toBe(1);
  });

  it("keeps nothing of the queue's read for a conversation that changed while it was under way", async () => {
    const inbox = fakeInbox({ a: { status: "waiting" }, b: { status: "waiting" } });
    const signals = new LocalSignals();
    const audiences = new InboxAudiences(inbox.source, signals);
    inbox.hold();
    const priming = audiences.prime();
    await new Promise((resolve) => setTimeout(resolve, 0));
    // Claimed while the queue was being read: the read's "waiting" for a is already out of date.
    inbox.chats.set("a", { status: "claimed", claimedBy: "anna" });
    signals.publish({ kind: "queue", conversation: "a" });
    inbox.release();
    await priming;
    expect(audiences.of("b")).toEqual({ status: "waiting" });
    expect(await audiences.of("a")).toEqual({ status: "claimed", claimedBy: "anna" });
    expect(inbox.counts).toEqual({ one: 1, all: 1 });
  });

  it("does not keep a failed read, and reads the queue again after signals may have been missed", async () => {
    const inbox = fakeInbox({ a: { status: "waiting" } });
    const signals = new LocalSignals();
    const audiences = new InboxAudiences(inbox.source, signals);
    inbox.failOnce();
    expect(await audiences.of("a")).toBeUndefined();
    expect(await audiences.of("a")).toEqual({ status: "waiting" });
    await audiences.prime();
    signals.missed();
    await audiences.prime();
    expect(inbox.counts).toEqual({ one: 2, all: 2 });
  });

  it("keeps at most its limit, dropping the oldest", async () => {
    const inbox = fakeInbox({ a: { status: "waiting" }, b: { status: "waiting" }, c: { status: "waiting" } });
    const audiences = new InboxAudiences(inbox.source, new LocalSignals(), 2);
    await audiences.prime();
    expect(inbox.counts.one).toBe(0);
    // Two were kept from the queue; the third is read when asked, and the oldest then makes room.
    expect(await audiences.of("c")).toEqual({ status: "waiting" });
    expect(audiences.of("b")).toEqual({ status: "waiting" });
    expect(await audiences.of("a")).toEqual({ status: "waiting" });
    expect(inbox.counts.one).toBe(2);
  });
});
