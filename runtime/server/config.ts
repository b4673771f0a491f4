/**
 * The runtime's configuration, read once from the environment at start-up (the README lists
 * every variable). Invalid values stop the start with a message naming the variable.
 */

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
  /** Master secret for encryption, pseudonyms and token hashes; a key file is created when absent. */
  secret?: string;
  /** A fixed admin token; one is generated on first start when absent. */
  adminToken?: string;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  /** Hosts a webhook may reach although they resolve to private addresses. */
  webhookAllowHosts: string[];
  /** Where the runtime processes data; stated in generated privacy texts (SPEC §2.11). */
  region: string;
  sweepIntervalMs: number;
  trustProxy?: boolean | number | string;
  limits: { messagesPerWindow: number; conversationsPerWindow: number; windowMs: number };
  /** Origins whose pages may embed the web widget (CORS of the web chat API); `*` for any. */
  widgetOrigins: "*" | string[];
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
  const proxy = trustProxy(env.BOTSCHAFT_TRUST_PROXY);
  return {
    port: integer(env, "PORT", 3000, 0, 65535),
    host: env.HOST || "127.0.0.1",
    dataDir: env.BOTSCHAFT_DATA_DIR || "data",
    flowsDir: env.BOTSCHAFT_FLOWS_DIR || "flows",
    ...(databaseUrl ? { databaseUrl } : {}),
    databaseSchema,
    ...(secret ? { secret } : {}),
    ...(adminToken ? { adminToken } : {}),
    logLevel: logLevel as Config["logLevel"],
    webhookAllowHosts: (env.BOTSCHAFT_WEBHOOK_ALLOW_HOSTS ?? "").split(",").map((host) => host.trim()).filter(Boolean),
    region: env.BOTSCHAFT_REGION || "EU",
    sweepIntervalMs: integer(env, "BOTSCHAFT_SWEEP_INTERVAL", 3600, 10, 86_400) * 1000,
    ...(proxy === undefined ? {} : { trustProxy: proxy }),
    limits: {
      messagesPerWindow: integer(env, "BOTSCHAFT_RATE_MESSAGES", 30, 1, 100_000),
      conversationsPerWindow: integer(env, "BOTSCHAFT_RATE_CONVERSATIONS", 60, 1, 100_000),
      windowMs: 10_000,
    },
    widgetOrigins: widgetOrigins(env.BOTSCHAFT_WIDGET_ORIGINS),
  };
}
