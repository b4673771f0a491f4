/**
 * The runtime's configuration, read once from the environment at start-up (docs/configuration.md lists
 * every variable). Invalid values stop the start with a message naming the variable.
 */
import { type ChannelsConfig, derivedTelegramSecret } from "../channels/index.ts";
import { isTeamRole, teamRoles } from "../core/index.ts";
import { malformedAllowListEntry } from "../core/index.ts";

export interface Config {
  port: number;
  host: string;
  /** Where the embedded store and the key file live. */
  dataDir: string;
  /** Flow files published at start-up. */
  flowsDir: string;
  /** PostgreSQL connection string; the embedded store is used when absent. */
  databaseUrl?: string;
  /** The PostgreSQL schema holding Botschaft's tables. */
  databaseSchema: string;
  /** `REDIS_URL`: live-chat signals between instances through Redis pub/sub instead of `LISTEN/NOTIFY`. */
  redisUrl?: string;
  /** Master secret for encryption, pseudonyms and token hashes; a key file is created when absent. */
  secret?: string;
  /** An API token with the admin role, for scripts (`BOTSCHAFT_ADMIN_TOKEN`). */
  adminToken?: string;
  /** The team side: sessions, four-eyes publishing, the audit trail, e-mail and single sign-on. */
  team: TeamConfig;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  /** Hosts a webhook may reach although they resolve to private addresses. */
  webhookAllowHosts: string[];
  /** Durable deliveries: how long one is tried, and the longest pause between attempts after the first hour (docs/deliveries.md#retries). */
  deliveryGiveUpAfterMs: number;
  deliveryMaxPauseMs: number;
  /** `BOTSCHAFT_ANALYTICS`: whether the counters of docs/analytics.md are kept (default on). */
  countAnalytics: boolean;
  /** Where the runtime processes data; stated in generated privacy texts (docs/privacy.md#eu-data-residency). */
  region: string;
  /** `BOTSCHAFT_HOSTING_PROVIDER`: who hosts the runtime, named as a processor in the generated privacy texts. */
  hostingProvider?: string;
  sweepIntervalMs: number;
  trustProxy?: boolean | number | string;
  limits: { messagesPerWindow: number; conversationsPerWindow: number; windowMs: number };
  /** Origins whose pages may embed the web widget (CORS of the web chat API); `*` for any. */
  widgetOrigins: "*" | string[];
  /** Public HTTPS base URL of this runtime: webhook registration and short-lived export links. */
  publicUrl?: string;
  /** Messenger channels; each is enabled when its token is set. */
  channels: ChannelsConfig;
  /** Integration presets of the webhook step (docs/deliveries.md#integrations). */
  integrations: IntegrationsConfig;
}

export interface IntegrationsConfig {
  /** `BOTSCHAFT_API_KEY_<NAME>` by `<NAME>`: the API keys a flow names as `secret`. */
  secrets: Record<string, string>;
  /** `BOTSCHAFT_MAIL_PROVIDER` (`name, CC`): who runs the SMTP server, the e-mail preset's processor. */
  mailProvider?: { name: string; country: string };
  /** `BOTSCHAFT_BREVO_API_URL`, `BOTSCHAFT_CLEVERREACH_API_URL`: other API roots (a proxy, tests). */
  apiRoots: { brevo?: string; cleverreach?: string };
}

const secretPrefix = "BOTSCHAFT_API_KEY_";

function onOrOff(env: Environment, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (raw === "on" || raw === "off") return raw === "on";
  throw new ConfigError(`${name} must be on or off, not '${raw}'.`);
}

function readIntegrations(env: Environment): IntegrationsConfig {
  const secrets: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(secretPrefix) || value === undefined || value === "") continue;
    const key = name.slice(secretPrefix.length);
    if (/^[A-Z][A-Z0-9_]{0,63}$/.test(key)) secrets[key] = value;
  }
  let mailProvider: IntegrationsConfig["mailProvider"];
  const provider = env.BOTSCHAFT_MAIL_PROVIDER?.trim();
  if (provider) {
    const match = /^(.+),\s*([A-Z]{2})$/.exec(provider);
    if (!match) throw new ConfigError(`BOTSCHAFT_MAIL_PROVIDER must be 'name, CC' with a two-letter country code, e.g. 'Muster Mail GmbH, DE'; got '${provider}'.`);
    mailProvider = { name: (match[1] as string).trim(), country: match[2] as string };
  }
  const apiRoots: IntegrationsConfig["apiRoots"] = {};
  for (const [key, variable] of [["brevo", "BOTSCHAFT_BREVO_API_URL"], ["cleverreach", "BOTSCHAFT_CLEVERREACH_API_URL"]] as const) {
    const value = env[variable];
    if (!value) continue;
    if (!/^https:\/\/[^\s/@?#]+(\/[^\s?#]*)?$/.test(value)) throw new ConfigError(`${variable} must be an https:// address without query, not '${value}'.`);
    apiRoots[key] = value.replace(/\/+$/, "");
  }
  return { secrets, ...(mailProvider ? { mailProvider } : {}), apiRoots };
}

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The ID token or userinfo claim that lists the person's groups or roles. */
  rolesClaim: string;
  /** Claim value → Botschaft role; values equal to a role name map to it without an entry. */
  roleMap: Record<string, string>;
}

export interface TeamConfig {
  /** `dpo`: an editor's publish waits for a data protection officer's approval. */
  publishApproval?: "dpo";
  sessionIdleMs: number;
  sessionMaxMs: number;
  auditRetentionMs: number;
  /** How long unanswered `faq` questions are kept for review (docs/privacy.md#unanswered-questions). */
  faqQuestionRetentionMs: number;
  /** How long proof ledger entries are kept before they are pruned behind a checkpoint (docs/privacy.md#proof-ledger). */
  proofPeriodMs: number;
  /** After how long an unclaimed live chat is mailed to the agents (docs/inbox.md#notifications); 0: never. */
  inboxNotifyAfterMs: number;
  /** SMTP server for invitations and resets (`smtp://user:pass@host:587`, `smtps://…`). */
  smtpUrl?: string;
  mailFrom?: string;
  oidc?: OidcConfig;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

type Environment = Readonly<Record<string, string | undefined>>;

function integer(env: Environment, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, not '${raw}'.`);
  return value;
}

const logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

function trustProxy(raw: string | undefined): Config["trustProxy"] {
  if (raw === undefined || raw === "") return undefined;
  if (raw === "true" || raw === "false") return raw === "true";
  return /^\d+$/.test(raw) ? Number(raw) : raw;
}

function widgetOrigins(raw: string | undefined): Config["widgetOrigins"] {
  const entries = (raw ?? "").split(",").map((entry) => entry.trim()).filter(Boolean);
  if (entries.length === 0 || entries.includes("*")) return "*";
  for (const entry of entries) {
    let origin: string | undefined;
    try {
      origin = new URL(entry).origin;
    } catch {
      origin = undefined;
    }
    if (origin !== entry) throw new ConfigError(`BOTSCHAFT_WIDGET_ORIGINS must list origins such as https://www.example.com (scheme, host, optional port; no path), not '${entry}'.`);
  }
  return entries;
}

function webhookAllowHosts(raw: string | undefined): string[] {
  const entries = (raw ?? "").split(",").map((host) => host.trim()).filter(Boolean);
  const malformed = malformedAllowListEntry(entries);
  // Checked here so that neither publishing nor a webhook call meets a malformed entry later.
  if (malformed !== undefined) throw new ConfigError(`BOTSCHAFT_WEBHOOK_ALLOW_HOSTS lists host or host:port entries (IPv6 in brackets), not '${malformed}'.`);
  return entries;
}

function required(env: Environment, enabledBy: string, names: readonly string[]): void {
  const missing = names.filter((name) => !env[name]);
  if (missing.length > 0) throw new ConfigError(`${enabledBy} is set, so ${missing.join(", ")} must be set too.`);
}

function channelFlow(env: Environment, name: string): string {
  const flow = env[name] ?? "";
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(flow)) throw new ConfigError(`${name} must name a published flow id (kebab-case), not '${flow}'.`);
  return flow;
}

/** The newest Graph API version (v26.0, 29 July 2026, per developers.facebook.com/docs/graph-api/changelog); override with GRAPH_API_BASE. */
export const defaultGraphApiBase = "https://graph.facebook.com/v26.0";

/** Tokens and secrets come only from the environment, never from flow files (a bot is one flow). */
function readChannels(env: Environment): ChannelsConfig {
  const channels: ChannelsConfig = {};
  const graphApiBase = env.GRAPH_API_BASE || defaultGraphApiBase;
  const botToken = env.TELEGRAM_BOT_TOKEN;
  if (botToken) {
    required(env, "TELEGRAM_BOT_TOKEN", ["TELEGRAM_FLOW"]);
    const webhookSecret = env.TELEGRAM_WEBHOOK_SECRET || derivedTelegramSecret(botToken);
    if (!/^[A-Za-z0-9_-]{1,256}$/.test(webhookSecret)) throw new ConfigError("TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -.");
    const botUsername = (env.TELEGRAM_BOT_USERNAME ?? "").replace(/^@/, "");
    if (botUsername !== "" && !/^[A-Za-z][A-Za-z0-9_]{3,31}$/.test(botUsername)) throw new ConfigError(`TELEGRAM_BOT_USERNAME must be the bot's username (5-32 letters, digits and _), not '${botUsername}'.`);
    channels.telegram = {
      botToken,
      webhookSecret,
      flow: channelFlow(env, "TELEGRAM_FLOW"),
      apiBase: env.TELEGRAM_API_BASE || "https://api.telegram.org",
      ...(botUsername ? { botUsername } : {}),
    };
  }
  const accessToken = env.WHATSAPP_ACCESS_TOKEN;
  if (accessToken) {
    required(env, "WHATSAPP_ACCESS_TOKEN", ["WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN", "WHATSAPP_PHONE_NUMBER_ID", "WHATSAPP_FLOW"]);
    channels.whatsapp = {
      accessToken,
      appSecret: env.WHATSAPP_APP_SECRET ?? "",
      verifyToken: env.WHATSAPP_VERIFY_TOKEN ?? "",
      phoneNumberId: env.WHATSAPP_PHONE_NUMBER_ID ?? "",
      flow: channelFlow(env, "WHATSAPP_FLOW"),
      graphApiBase,
    };
  }
  const pageAccessToken = env.MESSENGER_PAGE_ACCESS_TOKEN;
  if (pageAccessToken) {
    required(env, "MESSENGER_PAGE_ACCESS_TOKEN", ["MESSENGER_APP_SECRET", "MESSENGER_VERIFY_TOKEN", "MESSENGER_PAGE_ID", "MESSENGER_FLOW"]);
    const pageId = env.MESSENGER_PAGE_ID ?? "";
    if (!/^\d{1,32}$/.test(pageId)) throw new ConfigError(`MESSENGER_PAGE_ID must be the page's numeric id, not '${pageId}'.`);
    channels.messenger = {
      pageAccessToken,
      pageId,
      appSecret: env.MESSENGER_APP_SECRET ?? "",
      verifyToken: env.MESSENGER_VERIFY_TOKEN ?? "",
      flow: channelFlow(env, "MESSENGER_FLOW"),
      graphApiBase,
    };
  }
  return channels;
}

function publicUrl(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`BOTSCHAFT_PUBLIC_URL must be an absolute URL, not '${raw}'.`);
  }
  if (url.protocol !== "https:" && url.hostname !== "localhost" && url.hostname !== "127.0.0.1") throw new ConfigError("BOTSCHAFT_PUBLIC_URL must use https: (messenger platforms only call HTTPS webhooks).");
  return raw.replace(/\/+$/, "");
}

function readTeam(env: Environment): TeamConfig {
  const approval = env.BOTSCHAFT_PUBLISH_APPROVAL || undefined;
  if (approval !== undefined && approval !== "dpo") throw new ConfigError(`BOTSCHAFT_PUBLISH_APPROVAL is either empty (off) or 'dpo', not '${approval}'.`);
  const smtpUrl = env.BOTSCHAFT_SMTP_URL || undefined;
  if (smtpUrl !== undefined && !/^smtps?:\/\//.test(smtpUrl)) throw new ConfigError("BOTSCHAFT_SMTP_URL must start with smtp:// or smtps://.");
  if (smtpUrl && !env.BOTSCHAFT_MAIL_FROM) throw new ConfigError("BOTSCHAFT_SMTP_URL is set, so BOTSCHAFT_MAIL_FROM must be set too.");
  let oidc: OidcConfig | undefined;
  if (env.BOTSCHAFT_OIDC_ISSUER) {
    required(env, "BOTSCHAFT_OIDC_ISSUER", ["BOTSCHAFT_OIDC_CLIENT_ID", "BOTSCHAFT_OIDC_CLIENT_SECRET", "BOTSCHAFT_PUBLIC_URL"]);
    const roleMap: Record<string, string> = {};
    for (const entry of (env.BOTSCHAFT_OIDC_ROLE_MAP ?? "").split(",").map((part) => part.trim()).filter(Boolean)) {
      const [claim, role] = entry.split("=").map((part) => part.trim());
      if (!claim || !role || !isTeamRole(role)) {
        throw new ConfigError(`BOTSCHAFT_OIDC_ROLE_MAP lists claim=role pairs with roles ${teamRoles.join(", ")}, not '${entry}'.`);
      }
      roleMap[claim] = role;
    }
    oidc = {
      issuer: env.BOTSCHAFT_OIDC_ISSUER,
      clientId: env.BOTSCHAFT_OIDC_CLIENT_ID ?? "",
      clientSecret: env.BOTSCHAFT_OIDC_CLIENT_SECRET ?? "",
      rolesClaim: env.BOTSCHAFT_OIDC_ROLES_CLAIM || "roles",
      roleMap,
    };
  }
  return {
    ...(approval ? { publishApproval: approval } : {}),
    sessionIdleMs: integer(env, "BOTSCHAFT_SESSION_IDLE_MINUTES", 30, 1, 24 * 60) * 60_000,
    sessionMaxMs: integer(env, "BOTSCHAFT_SESSION_MAX_HOURS", 12, 1, 24 * 30) * 3_600_000,
    auditRetentionMs: integer(env, "BOTSCHAFT_AUDIT_RETENTION_DAYS", 365, 1, 3650) * 86_400_000,
    faqQuestionRetentionMs: integer(env, "BOTSCHAFT_FAQ_QUESTION_RETENTION_DAYS", 90, 1, 730) * 86_400_000,
    proofPeriodMs: integer(env, "BOTSCHAFT_PROOF_PERIOD_DAYS", 1095, 30, 3650) * 86_400_000,
    inboxNotifyAfterMs: integer(env, "BOTSCHAFT_INBOX_NOTIFY_AFTER_MINUTES", 5, 0, 24 * 60) * 60_000,
    ...(smtpUrl ? { smtpUrl, mailFrom: env.BOTSCHAFT_MAIL_FROM } : {}),
    ...(oidc ? { oidc } : {}),
  };
}

export function readConfig(env: Environment): Config {
  const logLevel = env.LOG_LEVEL ?? "info";
  if (!(logLevels as readonly string[]).includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${logLevels.join(", ")}, not '${logLevel}'.`);
  const secret = env.BOTSCHAFT_SECRET || undefined;
  if (secret !== undefined && secret.length < 32) throw new ConfigError("BOTSCHAFT_SECRET must be at least 32 characters long.");
  const adminToken = env.BOTSCHAFT_ADMIN_TOKEN || undefined;
  if (adminToken !== undefined && adminToken.length < 24) throw new ConfigError("BOTSCHAFT_ADMIN_TOKEN must be at least 24 characters long.");
  const databaseUrl = env.DATABASE_URL || undefined;
  // Instances sharing a database must share their keys, and a key file next to one instance
  // cannot be shared; the secret must not live in the database it protects either.
  if (databaseUrl && !secret) throw new ConfigError("DATABASE_URL needs BOTSCHAFT_SECRET: every instance on the database must use the same keys.");
  const databaseSchema = env.BOTSCHAFT_DATABASE_SCHEMA || "botschaft";
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(databaseSchema)) throw new ConfigError(`BOTSCHAFT_DATABASE_SCHEMA must be a plain lower-case name, not '${databaseSchema}'.`);
  const redisUrl = env.REDIS_URL || undefined;
  if (redisUrl && !/^rediss?:\/\/[^\s]+$/.test(redisUrl)) throw new ConfigError("REDIS_URL must be a redis:// or rediss:// URL.");
  const proxy = trustProxy(env.BOTSCHAFT_TRUST_PROXY);
  return {
    port: integer(env, "PORT", 3000, 0, 65535),
    host: env.HOST || "127.0.0.1",
    dataDir: env.BOTSCHAFT_DATA_DIR || "data",
    flowsDir: env.BOTSCHAFT_FLOWS_DIR || "flows",
    ...(databaseUrl ? { databaseUrl } : {}),
    databaseSchema,
    ...(redisUrl ? { redisUrl } : {}),
    ...(secret ? { secret } : {}),
    ...(adminToken ? { adminToken } : {}),
    team: readTeam(env),
    logLevel: logLevel as Config["logLevel"],
    webhookAllowHosts: webhookAllowHosts(env.BOTSCHAFT_WEBHOOK_ALLOW_HOSTS),
    deliveryGiveUpAfterMs: integer(env, "BOTSCHAFT_DELIVERY_GIVE_UP_HOURS", 24, 1, 24 * 14) * 3_600_000,
    countAnalytics: onOrOff(env, "BOTSCHAFT_ANALYTICS", true),
    deliveryMaxPauseMs: integer(env, "BOTSCHAFT_DELIVERY_MAX_PAUSE_MINUTES", 15, 1, 24 * 60) * 60_000,
    region: env.BOTSCHAFT_REGION || "EU",
    ...(env.BOTSCHAFT_HOSTING_PROVIDER ? { hostingProvider: env.BOTSCHAFT_HOSTING_PROVIDER } : {}),
    sweepIntervalMs: integer(env, "BOTSCHAFT_SWEEP_INTERVAL", 3600, 10, 86_400) * 1000,
    ...(proxy === undefined ? {} : { trustProxy: proxy }),
    limits: {
      messagesPerWindow: integer(env, "BOTSCHAFT_RATE_MESSAGES", 30, 1, 100_000),
      conversationsPerWindow: integer(env, "BOTSCHAFT_RATE_CONVERSATIONS", 60, 1, 100_000),
      windowMs: 10_000,
    },
    widgetOrigins: widgetOrigins(env.BOTSCHAFT_WIDGET_ORIGINS),
    ...(publicUrl(env.BOTSCHAFT_PUBLIC_URL) ? { publicUrl: publicUrl(env.BOTSCHAFT_PUBLIC_URL) } : {}),
    channels: readChannels(env),
    integrations: readIntegrations(env),
  };
}
