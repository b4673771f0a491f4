import { type ParseArgsConfig, parseArgs } from "node:util";
import { type Language, type MessengerChannel, malformedAllowListEntry, messengerChannels } from "../core/index.ts";
import type { UserCommand } from "../server/user-admin.ts";
import { type OutputFormat, outputFormats } from "./format-problems.ts";
import type { ErasuresCommand, LedgerCommand } from "../server/main.ts";

export type CliCommand =
  | { command: "validate"; paths: string[]; format: OutputFormat; lang: Language; channels: MessengerChannel[]; webhookAllowHosts: string[] }
  | { command: "list"; directory: string; lang: Language }
  | { command: "privacy-text"; paths: string[]; lang: Language; region: string; record: boolean }
  | { command: "ask"; knowledgeBase: string; question: string; lang: Language }
  | { command: "faq-eval"; knowledgeBase: string; csv: string; lang: Language }
  | { command: "serve" }
  | { command: "purge" }
  | { command: "channels-setup"; channel: string }
  | { command: "users"; user: UserCommand }
  | { command: "erasures"; erasures: ErasuresCommand }
  | { command: "ledger"; ledger: LedgerCommand }
  | { command: "help" }
  | { command: "version" }
  | { command: "usage-error"; message: string };

const languages: readonly Language[] = ["de", "en"];

/** The directory `list` reads when none is given, as in `npm start`. */
export const defaultFlowDirectory = "flows";

function usageError(message: string): CliCommand {
  return { command: "usage-error", message };
}

function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}

function isParseArgsError(error: unknown): error is Error {
  return error instanceof Error && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS_");
}

/** `parseArgs` with strict checking; its own messages say which option is wrong and why. */
function parseOptions<const Options extends NonNullable<ParseArgsConfig["options"]>>(args: string[], options: Options) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    if (isParseArgsError(error)) return error;
    throw error;
  }
}

const commonOptions = {
  lang: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

function parseLanguage(value: string | undefined, defaultLang: Language): Language | CliCommand {
  if (value === undefined) return defaultLang;
  return isOneOf(languages, value)
    ? value
    : usageError(`--lang must be one of ${languages.join(", ")}, not '${value}'.`);
}

function commaList(value: string | undefined): string[] {
  return (value ?? "").split(",").map((entry) => entry.trim()).filter(Boolean);
}

function parseValidate(args: string[], defaultLang: Language): CliCommand {
  const parsed = parseOptions(args, { ...commonOptions, json: { type: "boolean" }, format: { type: "string" }, channels: { type: "string" }, "webhook-allow-hosts": { type: "string" } });
  if (parsed instanceof Error) return usageError(parsed.message);
  const { values, positionals } = parsed;
  if (values.help) return { command: "help" };
  const lang = parseLanguage(values.lang, defaultLang);
  if (typeof lang !== "string") return lang;
  const format = values.format ?? (values.json ? "json" : "text");
  if (!isOneOf(outputFormats, format)) {
    return usageError(`--format must be one of ${outputFormats.join(", ")}, not '${format}'.`);
  }
  if (values.json && format !== "json") return usageError(`--json contradicts --format ${format}.`);
  const channels = commaList(values.channels);
  const unknown = channels.find((channel) => !isOneOf(messengerChannels, channel));
  if (unknown !== undefined) return usageError(`--channels takes ${messengerChannels.join(", ")}, not '${unknown}'.`);
  const webhookAllowHosts = commaList(values["webhook-allow-hosts"]);
  const malformed = malformedAllowListEntry(webhookAllowHosts);
  if (malformed !== undefined) return usageError(`--webhook-allow-hosts takes host or host:port entries (IPv6 in brackets), not '${malformed}'.`);
  if (positionals.length === 0) return usageError("validate needs at least one file or directory.");
  return { command: "validate", paths: positionals, format, lang, channels: channels as MessengerChannel[], webhookAllowHosts };
}

function parseList(args: string[], defaultLang: Language): CliCommand {
  const parsed = parseOptions(args, commonOptions);
  if (parsed instanceof Error) return usageError(parsed.message);
  const { values, positionals } = parsed;
  if (values.help) return { command: "help" };
  const lang = parseLanguage(values.lang, defaultLang);
  if (typeof lang !== "string") return lang;
  if (positionals.length > 1) return usageError("list takes at most one directory.");
  return { command: "list", directory: positionals[0] ?? defaultFlowDirectory, lang };
}

function parsePrivacyText(args: string[], defaultLang: Language): CliCommand {
  const parsed = parseOptions(args, { ...commonOptions, region: { type: "string" }, record: { type: "boolean" } });
  if (parsed instanceof Error) return usageError(parsed.message);
  const { values, positionals } = parsed;
  if (values.help) return { command: "help" };
  const lang = parseLanguage(values.lang, defaultLang);
  if (typeof lang !== "string") return lang;
  return {
    command: "privacy-text",
    paths: positionals.length > 0 ? positionals : [defaultFlowDirectory],
    lang,
    region: values.region?.trim() || "EU",
    record: values.record === true,
  };
}

/** `ask <kb> "<question>"` and `faq-eval <kb> <questions.csv>`: two positionals each. */
function parseFaq(command: "ask" | "faq-eval", args: string[], defaultLang: Language): CliCommand {
  const parsed = parseOptions(args, commonOptions);
  if (parsed instanceof Error) return usageError(parsed.message);
  const { values, positionals } = parsed;
  if (values.help) return { command: "help" };
  const lang = parseLanguage(values.lang, defaultLang);
  if (typeof lang !== "string") return lang;
  const [knowledgeBase, second, ...extra] = positionals;
  if (command === "ask") {
    // A question is one argument; an unquoted one arrives as several words, which is as good.
    if (knowledgeBase === undefined || second === undefined) return usageError('Use: botschaft ask <knowledge-base file> "<question>".');
    return { command, knowledgeBase, question: [second, ...extra].join(" "), lang };
  }
  if (knowledgeBase === undefined || second === undefined || extra.length > 0) return usageError("Use: botschaft faq-eval <knowledge-base file> <questions.csv>.");
  return { command, knowledgeBase, csv: second, lang };
}

const usersUsage = "Use: botschaft users add <email> --role <admin|editor|agent|dpo> [--role …], users list, users disable <email>, users reset <email>.";

function parseUsers(args: string[]): CliCommand {
  const parsed = parseOptions(args, { role: { type: "string", multiple: true }, help: { type: "boolean", short: "h" } });
  if (parsed instanceof Error) return usageError(parsed.message);
  const { values, positionals } = parsed;
  if (values.help) return { command: "help" };
  const [action, email, ...extra] = positionals;
  const roles = values.role ?? [];
  if (extra.length > 0) return usageError(usersUsage);
  if (action === "list") return email === undefined && roles.length === 0 ? { command: "users", user: { op: "list" } } : usageError(usersUsage);
  if (email === undefined) return usageError(usersUsage);
  if (action === "add") return roles.length > 0 ? { command: "users", user: { op: "add", email, roles } } : usageError("users add needs at least one --role (admin, editor, agent or dpo).");
  if ((action === "disable" || action === "reset") && roles.length === 0) return { command: "users", user: { op: action, email } };
  return usageError(usersUsage);
}

/** Turns the arguments after `botschaft` into a command; pure, so every usage error is unit-tested. */
export function parseCliArgs(args: readonly string[], defaultLang: Language): CliCommand {
  const [command, ...rest] = args;
  switch (command) {
    case undefined:
      return usageError("Which command? validate, list, privacy-text, ask, faq-eval, serve, purge, users, erasures, ledger, channels or help.");
    case "help":
    case "--help":
    case "-h":
      return { command: "help" };
    case "--version":
      return { command: "version" };
    case "validate":
      return parseValidate(rest, defaultLang);
    case "list":
      return parseList(rest, defaultLang);
    case "privacy-text":
      return parsePrivacyText(rest, defaultLang);
    case "ask":
    case "faq-eval":
      return parseFaq(command, rest, defaultLang);
    case "serve":
    case "purge":
      // Configured by environment variables (docs/configuration.md), not by options.
      return rest.length === 0 ? { command } : usageError(`${command} takes no arguments; it is configured by environment variables.`);
    case "users":
      return parseUsers(rest);
    case "erasures": {
      const [action, file, ...extra] = rest;
      if (action === "export" && file === undefined) return { command: "erasures", erasures: { op: "export" } };
      if (action === "apply" && file !== undefined && extra.length === 0) return { command: "erasures", erasures: { op: "apply", file } };
      return usageError("Use: botschaft erasures export, or botschaft erasures apply <file>.");
    }
    case "ledger":
      return rest.length === 1 && rest[0] === "verify" ? { command: "ledger", ledger: { op: "verify" } } : usageError("Use: botschaft ledger verify.");
    case "channels": {
      const [action, channel, ...extra] = rest;
      if (action !== "setup" || channel === undefined || extra.length > 0) return usageError("Use: botschaft channels setup <telegram|whatsapp|messenger>.");
      return { command: "channels-setup", channel };
    }
    default:
      return usageError(command.startsWith("-") ? `Unknown option '${command}'.` : `Unknown command '${command}'.`);
  }
}
