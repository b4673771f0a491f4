import { describe, expect, it } from "vitest";
import { ConfigError, readConfig } from "./config.ts";

describe("readConfig", () => {
  it("has defaults that run on a laptop with nothing set", () => {
    expect(readConfig({})).toEqual({
      port: 3000,
      host: "127.0.0.1",
      dataDir: "data",
      flowsDir: "flows",
      databaseSchema: "botschaft",
      logLevel: "info",
      webhookAllowHosts: [],
      deliveryGiveUpAfterMs: 86_400_000,
      deliveryMaxPauseMs: 900_000,
      countAnalytics: true,
      region: "EU",
      sweepIntervalMs: 3_600_000,
      team: { sessionIdleMs: 1_800_000, sessionMaxMs: 43_200_000, auditRetentionMs: 31_536_000_000, faqQuestionRetentionMs: 7_776_000_000, proofPeriodMs: 94_608_000_000, inboxNotifyAfterMs: 300_000 },
      limits: { messagesPerWindow: 30, conversationsPerWindow: 60, windowMs: 10_000 },
      widgetOrigins: "*",
      channels: {},
      integrations: { secrets: {}, apiRoots: {} },
    });
  });

  it("reads the integrations' API keys by name (only BOTSCHAFT_API_KEY_*), the mail provider and other API roots", () => {
    const config = readConfig({
      BOTSCHAFT_API_KEY_BREVO: "xkeysib-1",
      BOTSCHAFT_API_KEY_CLEVERREACH: "cr-1",
      BOTSCHAFT_API_KEY_: "no name",
      BOTSCHAFT_SECRET: "s".repeat(32),
      BOTSCHAFT_MAIL_PROVIDER: "Muster Mail GmbH, DE",
      BOTSCHAFT_BREVO_API_URL: "https://brevo-proxy.muster.example/v3/",
    });
    expect(config.integrations).toEqual({
      secrets: { BREVO: "xkeysib-1", CLEVERREACH: "cr-1" },
      mailProvider: { name: "Muster Mail GmbH", country: "DE" },
      apiRoots: { brevo: "https://brevo-proxy.muster.example/v3" },
    });
  });

  it("enables a messenger channel when its token is set, with the flow its bot runs", () => {
    const config = readConfig({
      TELEGRAM_BOT_TOKEN: "123:abc",
      TELEGRAM_FLOW: "callback-request",
      TELEGRAM_BOT_USERNAME: "@MusterServiceBot",
      WHATSAPP_ACCESS_TOKEN: "wa-token",
      WHATSAPP_APP_SECRET: "wa-secret",
      WHATSAPP_VERIFY_TOKEN: "wa-verify",
      WHATSAPP_PHONE_NUMBER_ID: "1098765",
      WHATSAPP_FLOW: "callback-request",
      GRAPH_API_BASE: "http://127.0.0.1:9999/v26.0",
      BOTSCHAFT_PUBLIC_URL: "https://bot.muster.example/",
    });
    expect(config.publicUrl).toBe("https://bot.muster.example");
    expect(config.channels.telegram).toMatchObject({ botToken: "123:abc", botUsername: "MusterServiceBot", flow: "callback-request", apiBase: "https://api.telegram.org" });
    expect(config.channels.telegram?.webhookSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(config.channels.whatsapp).toEqual({
      accessToken: "wa-token",
      appSecret: "wa-secret",
      verifyToken: "wa-verify",
      phoneNumberId: "1098765",
      flow: "callback-request",
      graphApiBase: "http://127.0.0.1:9999/v26.0",
    });
    expect(config.channels.messenger).toBeUndefined();
  });

  it("keeps the analytics counters unless BOTSCHAFT_ANALYTICS is off", () => {
    expect(readConfig({ BOTSCHAFT_ANALYTICS: "off" }).countAnalytics).toBe(false);
    expect(readConfig({ BOTSCHAFT_ANALYTICS: "on" }).countAnalytics).toBe(true);
  });

  it("reads the widget's allowed origins as a list, or any origin for `*`", () => {
    expect(readConfig({ BOTSCHAFT_WIDGET_ORIGINS: "https://www.muster.example, http://localhost:8080" }).widgetOrigins).toEqual([
      "https://www.muster.example",
      "http://localhost:8080",
    ]);
    expect(readConfig({ BOTSCHAFT_WIDGET_ORIGINS: "*" }).widgetOrigins).toBe("*");
  });

  it("reads the conventional variables", () => {
    const config = readConfig({
      PORT: "8080",
      HOST: "0.0.0.0",
      DATABASE_URL: "postgres://localhost/botschaft",
      BOTSCHAFT_SECRET: "s".repeat(32),
      BOTSCHAFT_WEBHOOK_ALLOW_HOSTS: "crm.local:8443, localhost",
      BOTSCHAFT_TRUST_PROXY: "1",
      REDIS_URL: "redis://redis.internal:6379/0",
    });
    expect(config).toMatchObject({ port: 8080, host: "0.0.0.0", databaseUrl: "postgres://localhost/botschaft", redisUrl: "redis://redis.internal:6379/0", webhookAllowHosts: ["crm.local:8443", "localhost"], trustProxy: 1 });
  });

  it.each([
    [{ PORT: "http" }, /PORT/],
    [{ LOG_LEVEL: "loud" }, /LOG_LEVEL/],
    [{ BOTSCHAFT_SECRET: "short" }, /BOTSCHAFT_SECRET/],
    [{ BOTSCHAFT_ADMIN_TOKEN: "short" }, /BOTSCHAFT_ADMIN_TOKEN/],
    [{ BOTSCHAFT_SWEEP_INTERVAL: "1" }, /BOTSCHAFT_SWEEP_INTERVAL/],
    [{ DATABASE_URL: "postgres://localhost/botschaft" }, /needs BOTSCHAFT_SECRET/],
    [{ BOTSCHAFT_DATABASE_SCHEMA: "Robert'); DROP TABLE" }, /BOTSCHAFT_DATABASE_SCHEMA/],
    [{ BOTSCHAFT_WIDGET_ORIGINS: "https://www.muster.example/shop" }, /BOTSCHAFT_WIDGET_ORIGINS/],
    [{ BOTSCHAFT_WIDGET_ORIGINS: "muster.example" }, /BOTSCHAFT_WIDGET_ORIGINS/],
    [{ TELEGRAM_BOT_TOKEN: "123:abc" }, /TELEGRAM_FLOW/],
    [{ TELEGRAM_BOT_TOKEN: "123:abc", TELEGRAM_FLOW: "Not A Flow" }, /TELEGRAM_FLOW/],
    [{ TELEGRAM_BOT_TOKEN: "123:abc", TELEGRAM_FLOW: "a", TELEGRAM_WEBHOOK_SECRET: "has spaces" }, /TELEGRAM_WEBHOOK_SECRET/],
    [{ TELEGRAM_BOT_TOKEN: "123:abc", TELEGRAM_FLOW: "a", TELEGRAM_BOT_USERNAME: "t.me/MusterBot" }, /TELEGRAM_BOT_USERNAME/],
    [{ WHATSAPP_ACCESS_TOKEN: "t", WHATSAPP_FLOW: "a" }, /WHATSAPP_APP_SECRET/],
    [{ MESSENGER_PAGE_ACCESS_TOKEN: "t" }, /MESSENGER_APP_SECRET/],
    [{ MESSENGER_PAGE_ACCESS_TOKEN: "t", MESSENGER_APP_SECRET: "a", MESSENGER_VERIFY_TOKEN: "v", MESSENGER_FLOW: "a" }, /MESSENGER_PAGE_ID/],
    [{ MESSENGER_PAGE_ACCESS_TOKEN: "t", MESSENGER_APP_SECRET: "a", MESSENGER_VERIFY_TOKEN: "v", MESSENGER_FLOW: "a", MESSENGER_PAGE_ID: "my-page" }, /MESSENGER_PAGE_ID/],
    [{ BOTSCHAFT_PUBLIC_URL: "http://bot.example" }, /BOTSCHAFT_PUBLIC_URL/],
    [{ REDIS_URL: "127.0.0.1:6379" }, /REDIS_URL/],
    [{ BOTSCHAFT_WEBHOOK_ALLOW_HOSTS: "crm.local, https://crm.local/" }, /BOTSCHAFT_WEBHOOK_ALLOW_HOSTS/],
    [{ BOTSCHAFT_MAIL_PROVIDER: "Muster Mail GmbH" }, /BOTSCHAFT_MAIL_PROVIDER/],
    [{ BOTSCHAFT_BREVO_API_URL: "http://api.brevo.com/v3" }, /BOTSCHAFT_BREVO_API_URL/],
    [{ BOTSCHAFT_ANALYTICS: "false" }, /BOTSCHAFT_ANALYTICS must be on or off/],
  ])("refuses %o naming the variable", (env, name) => {
    expect(() => readConfig(env)).toThrow(ConfigError);
    expect(() => readConfig(env)).toThrow(name);
  });
});
