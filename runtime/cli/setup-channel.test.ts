import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { setupChannel } from "./setup-channel.ts";
import { type FakePlatform, startFakePlatform } from "../testing/fake-platform.ts";

function capture() {
  const out = { stdout: "", stderr: "" };
  const io = {
    stdout: (text: string) => {
      out.stdout += text;
    },
    stderr: (text: string) => {
      out.stderr += text;
    },
  };
  return { out, io };
}

const base = { BOTSCHAFT_PUBLIC_URL: "https://bot.muster.example", BOTSCHAFT_FLOWS_DIR: "flows" };

describe("botschaft channels setup", () => {
  let fake: FakePlatform;
  beforeEach(async () => {
    fake = await startFakePlatform("telegram");
  });
  afterEach(async () => {
    await fake.close();
  });

  it("registers Telegram's webhook with its secret, the commands and the menu button", async () => {
    const { out, io } = capture();
    const code = await setupChannel({ ...base, TELEGRAM_BOT_TOKEN: "123:abc", TELEGRAM_FLOW: "callback-request", TELEGRAM_WEBHOOK_SECRET: "s3cret", TELEGRAM_API_BASE: fake.base }, io, "telegram");
    expect(out.stderr).toBe("");
    expect(code).toBe(0);
    expect(fake.calls.map((call) => call.method)).toEqual(["setWebhook", "setMyCommands", "setMyCommands", "setMyCommands", "setChatMenuButton"]);
    expect(fake.calls[0]?.body).toMatchObject({ url: "https://bot.muster.example/channels/telegram/webhook", secret_token: "s3cret" });
    expect(fake.calls[2]?.body).toMatchObject({ language_code: "de", commands: expect.arrayContaining([{ command: "mydata", description: "Meine Daten ansehen, exportieren, korrigieren" }]) });
    expect(out.stdout).toContain("setWebhook: ok");
  });

  it("sets Messenger's Get Started and persistent menu from the bot's flow", async () => {
    const graph = await startFakePlatform("graph");
    try {
      const { io } = capture();
      const env = { ...base, MESSENGER_PAGE_ACCESS_TOKEN: "page", MESSENGER_PAGE_ID: "106540352242922", MESSENGER_APP_SECRET: "a", MESSENGER_VERIFY_TOKEN: "v", MESSENGER_FLOW: "callback-request", GRAPH_API_BASE: graph.base };
      expect(await setupChannel(env, io, "messenger")).toBe(0);
      expect(graph.calls.map((call) => [call.method, call.authorization])).toEqual([["me/messenger_profile", "Bearer page"]]);
      expect(JSON.stringify(graph.calls[0]?.body)).toContain("https://muster.example/impressum");
    } finally {
      await graph.close();
    }
  });

  it("prints WhatsApp's callback URL and verify token for the Meta dashboard", async () => {
    const { out, io } = capture();
    const env = { ...base, WHATSAPP_ACCESS_TOKEN: "t", WHATSAPP_APP_SECRET: "a", WHATSAPP_VERIFY_TOKEN: "verify-123", WHATSAPP_PHONE_NUMBER_ID: "1", WHATSAPP_FLOW: "callback-request" };
    expect(await setupChannel(env, io, "whatsapp")).toBe(0);
    expect(out.stdout).toContain("Callback URL: https://bot.muster.example/channels/whatsapp/webhook");
    expect(out.stdout).toContain("Verify token: verify-123");
  });

  it("refuses an unknown or unconfigured channel and a missing public URL", async () => {
    const { out, io } = capture();
    expect(await setupChannel(base, io, "icq")).toBe(2);
    expect(await setupChannel(base, io, "telegram")).toBe(2);
    expect(await setupChannel({ TELEGRAM_BOT_TOKEN: "1:a", TELEGRAM_FLOW: "callback-request" }, io, "telegram")).toBe(2);
    expect(out.stderr).toContain("BOTSCHAFT_PUBLIC_URL");
    expect(out.stderr).toContain("telegram is not configured");
    expect(fake.calls).toEqual([]);
  });
});
