/**
 * Several runtime instances on one store: a delivery one instance accepted and never processed
 * (it died) is taken over by another once stale, and answered exactly once.
 */
import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";
import { openTestStore } from "../../testing/open-test-store.ts";
import { type FakePlatform, startFakePlatform } from "../../testing/fake-platform.ts";
import { createTestRuntime, type TestRuntime, eventually, telegramSecret } from "../../testing/create-test-runtime.ts";

describe("channel hub on a shared store", () => {
  let fake: FakePlatform;
  const harnesses: TestRuntime[] = [];
  afterEach(async () => {
    for (const harness of harnesses.splice(0)) await harness.stop();
    await fake?.close();
  });

  it("takes over a stale delivery another instance accepted but never processed", async () => {
    fake = await startFakePlatform("telegram");
    const store = await openTestStore("memory");
    const survivor = await createTestRuntime({ store, messengers: { telegramBase: fake.base }, hub: { stalePendingMs: 300, pendingSweepMs: 50 } });
    harnesses.push(survivor);
    // This instance answers 200 and would process after its reorder window, but dies first.
    const dying = await createTestRuntime({ store, messengers: { telegramBase: fake.base }, hub: { reorderWindowMs: 60_000 } });
    const update = {
      update_id: 700_000_001,
      message: { message_id: 1, date: 1767225600, from: { id: 4242, is_bot: false, first_name: "Anna" }, chat: { id: 4242, type: "private" }, text: "/start", entities: [{ offset: 0, length: 6, type: "bot_command" }] },
    };
    const accepted = await request(dying.app)
      .post("/channels/telegram/webhook")
      .set("content-type", "application/json")
      .set("x-telegram-bot-api-secret-token", telegramSecret)
      .send(JSON.stringify(update));
    expect(accepted.status).toBe(200);
    await dying.stop();
    expect(await store.inbox.pending()).toHaveLength(1);

    await eventually(async () => (await store.inbox.pending()).length === 0 && (await store.outbox.pending()).length === 0, 5000);
    const replies = fake.calls.filter((call) => call.method === "sendMessage");
    expect(replies.length).toBeGreaterThan(0);
    // Exactly once: every reply text appears once, although both instances knew the delivery.
    const texts = replies.map((call) => String(call.body.text));
    expect(new Set(texts).size).toBe(texts.length);
  });
});
