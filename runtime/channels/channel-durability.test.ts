/**
 * "A crash between processing and sending neither loses nor repeats the reply", on the real
 * server in its own process (`botschaft serve`) killed with SIGKILL: the delivery is processed
 * and its replies stored while the platform is down, the process dies with the replies unsent,
 * and after a restart the replies reach the platform exactly once — also when the platform
 * redelivers the update the dead process had acknowledged.
 */
import { copyFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { botschaftBin, type ServerProcess, startServerProcess } from "../testing/server-process.ts";
import { type FakePlatform, startFakePlatform } from "../testing/fake-platform.ts";
import { eventually } from "../testing/create-test-runtime.ts";

const referenceFlow = fileURLToPath(new URL("../../flows/callback-request.yaml", import.meta.url));
const secret = "durable-telegram-secret";

describe("messenger replies across kill -9", () => {
  let directory: string;
  let fake: FakePlatform;
  const running: ServerProcess[] = [];

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), "botschaft-channel-durability-"));
    await mkdir(join(directory, "flows"));
    await copyFile(referenceFlow, join(directory, "flows", "callback-request.yaml"));
    fake = await startFakePlatform("telegram");
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((server) => server.stop("SIGKILL")));
    await fake.close();
    await rm(directory, { recursive: true, force: true });
  });

  async function start(): Promise<ServerProcess> {
    const server = await startServerProcess({
      args: [botschaftBin, "serve"],
      env: {
        BOTSCHAFT_DATA_DIR: join(directory, "data"),
        BOTSCHAFT_FLOWS_DIR: join(directory, "flows"),
        BOTSCHAFT_SECRET: "channel-durability-secret-0123456789abcdef",
        BOTSCHAFT_ADMIN_TOKEN: "channel-durability-admin-token-0123",
        TELEGRAM_BOT_TOKEN: "123456:DURABLE",
        TELEGRAM_FLOW: "callback-request",
        TELEGRAM_WEBHOOK_SECRET: secret,
        TELEGRAM_API_BASE: fake.base,
        LOG_LEVEL: "warn",
      },
      readyPath: "/healthz",
      readyTimeoutMs: 30_000,
    });
    running.push(server);
    return server;
  }

  async function deliver(server: ServerProcess, update: unknown): Promise<number> {
    const response = await fetch(`${server.url}/channels/telegram/webhook`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": secret },
      body: JSON.stringify(update),
    });
    return response.status;
  }

  const delivered = () => fake.calls.filter((call) => call.method === "sendMessage" && call.status === 200).map((call) => call.body.text);

  it("sends the stored replies once after a restart, and not again for a redelivery", async () => {
    const update = {
      update_id: 777_000_001,
      message: { message_id: 1, date: Math.floor(Date.now() / 1000), from: { id: 4242, is_bot: false, first_name: "Anna" }, chat: { id: 4242, type: "private" }, text: "/start" },
    };
    fake.down(502);
    const first = await start();
    expect(await deliver(first, update)).toBe(200);
    // Processed and stored: the outbox tries to send and the platform refuses.
    await eventually(() => fake.calls.length > 0, 10_000);
    await first.stop("SIGKILL");
    expect(delivered()).toEqual([]);

    fake.down(undefined);
    const second = await start();
    await eventually(() => delivered().length === 2, 15_000);
    expect(await deliver(second, update)).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(delivered()).toEqual(["Hallo! Ich bin der Service-Bot der Muster GmbH.", "Wie kann ich helfen?"]);
  }, 60_000);
});
