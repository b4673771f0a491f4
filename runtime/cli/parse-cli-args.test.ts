import { describe, expect, it } from "vitest";
import { parseCliArgs } from "./parse-cli-args.ts";

describe("parseCliArgs", () => {
  it("reads validate with its defaults: text output in the environment's language", () => {
    expect(parseCliArgs(["validate", "flows", "extra.yaml"], "de")).toEqual({
      command: "validate",
      paths: ["flows", "extra.yaml"],
      format: "text",
      lang: "de",
      channels: [],
      webhookAllowHosts: [],
    });
  });

  it("reads the messengers whose limits to check from --channels", () => {
    expect(parseCliArgs(["validate", "--channels", "telegram, whatsapp", "flows"], "en")).toMatchObject({ channels: ["telegram", "whatsapp"] });
  });

  it("reads the hosts webhooks may reach although not public from --webhook-allow-hosts", () => {
    expect(parseCliArgs(["validate", "--webhook-allow-hosts", "crm.intern, [fd00::1]:8443", "flows"], "en")).toMatchObject({ webhookAllowHosts: ["crm.intern", "[fd00::1]:8443"] });
  });

  it("treats --json as --format json", () => {
    expect(parseCliArgs(["validate", "--json", "flows"], "en")).toMatchObject({ format: "json" });
    expect(parseCliArgs(["validate", "--format", "json", "--json", "flows"], "en")).toMatchObject({ format: "json" });
  });

  it("takes --format github and --lang in any position", () => {
    expect(parseCliArgs(["validate", "flows", "--format=github", "--lang", "en"], "de")).toEqual({
      command: "validate",
      paths: ["flows"],
      format: "github",
      lang: "en",
      channels: [],
      webhookAllowHosts: [],
    });
  });

  it("takes paths that start with a dash after --", () => {
    expect(parseCliArgs(["validate", "--", "-odd.yaml"], "en")).toMatchObject({ paths: ["-odd.yaml"] });
  });

  it("reads list with flows as the default directory", () => {
    expect(parseCliArgs(["list"], "en")).toEqual({ command: "list", directory: "flows", lang: "en" });
    expect(parseCliArgs(["list", "examples", "--lang", "de"], "en")).toEqual({
      command: "list",
      directory: "examples",
      lang: "de",
    });
  });

  it.each([["help"], ["--help"], ["-h"], ["validate", "--help"], ["list", "-h"]])("shows help for %s", (...args) => {
    expect(parseCliArgs(args, "en")).toEqual({ command: "help" });
  });

  it("reads channels setup with the channel to set up", () => {
    expect(parseCliArgs(["channels", "setup", "telegram"], "en")).toEqual({ command: "channels-setup", channel: "telegram" });
  });

  it("reads privacy-text with flows as the default, EU as the default region, and --record", () => {
    expect(parseCliArgs(["privacy-text"], "de")).toEqual({ command: "privacy-text", paths: ["flows"], lang: "de", region: "EU", record: false });
    expect(parseCliArgs(["privacy-text", "--record", "--region", "EU (Frankfurt)", "examples"], "en")).toEqual({
      command: "privacy-text",
      paths: ["examples"],
      lang: "en",
      region: "EU (Frankfurt)",
      record: true,
    });
  });

  it("shows the version for --version", () => {
    expect(parseCliArgs(["--version"], "en")).toEqual({ command: "version" });
  });

  it.each([
    [[], "Which command? validate, list, privacy-text, ask, faq-eval, serve, purge, users, erasures, ledger, channels or help."],
    [["publish"], "Unknown command 'publish'."],
    [["--verbose"], "Unknown option '--verbose'."],
    [["validate"], "validate needs at least one file or directory."],
    [["validate", "--lang", "fr", "flows"], "--lang must be one of de, en, not 'fr'."],
    [["validate", "--format", "xml", "flows"], "--format must be one of text, json, github, not 'xml'."],
    [["validate", "--json", "--format", "github", "flows"], "--json contradicts --format github."],
    [["validate", "--channels", "signal", "flows"], "--channels takes telegram, whatsapp, messenger, not 'signal'."],
    [["validate", "--webhook-allow-hosts", "https://crm.intern/", "flows"], "--webhook-allow-hosts takes host or host:port entries (IPv6 in brackets), not 'https://crm.intern/'."],
    [["list", "flows", "examples"], "list takes at most one directory."],
    [["channels"], "Use: botschaft channels setup <telegram|whatsapp|messenger>."],
    [["channels", "setup"], "Use: botschaft channels setup <telegram|whatsapp|messenger>."],
    [["channels", "setup", "telegram", "whatsapp"], "Use: botschaft channels setup <telegram|whatsapp|messenger>."],
  ])("refuses %j with a usage error", (args, message) => {
    expect(parseCliArgs(args, "en")).toEqual({ command: "usage-error", message });
  });

  it.each([
    [["validate", "--strict", "flows"]],
    [["validate", "flows", "--lang"]],
    [["validate", "--json=yes", "flows"]],
    [["list", "--format", "json"]],
  ])("refuses the unknown or malformed option in %j", (args) => {
    expect(parseCliArgs(args, "en")).toMatchObject({
      command: "usage-error",
      message: expect.stringMatching(/option/i),
    });
  });
});
