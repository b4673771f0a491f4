/**
 * The composition root: reads the configuration once, builds the store, keys, catalog and HTTP
 * app from their adapters, publishes `flows/`, and runs until SIGINT/SIGTERM (`botschaft serve`,
 * `npm start`). `purge` sweeps expired conversations once (`botschaft purge`).
 */
import { mkdir, readFile } from "node:fs/promises";
import type { Server } from "node:http";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { pino, type Logger } from "pino";
import { type MessengerChannel, messengerChannels } from "../core/index.ts";
import { channelBindings } from "../channels/index.ts";
import type { Store } from "../stores/ports/store.ts";
import { LowdbStore } from "../stores/embedded/lowdb-store.ts";
import { PostgresStore } from "../stores/postgres/postgres-store.ts";
import { loadWidgetAssets, widgetDistDir } from "../widget/widget-assets.ts";
import type { Router } from "express";
import type { AccountService } from "../app/accounts/account-service.ts";
import { smtpMailer, smtpPresetMailer } from "../integrations/mail/smtp-mailer.ts";
import { sendWithIntegrations } from "../integrations/presets/send-integrations.ts";
import { discoverOidc, oidcRoutes } from "./oidc-routes.ts";
import { sessionCookie } from "./team-auth.ts";
import { adminSocketPath, startAdminSocket } from "./user-admin.ts";
import { type Config, readConfig } from "./config.ts";
import { composeRuntime, proofLedgerOf } from "./compose-runtime.ts";
import { describeBreak } from "../app/privacy/proof-ledger.ts";
import { deriveRuntimeKeys, keyFileName, loadOrCreateKeyFile, type RuntimeKeys } from "../app/crypto/keys.ts";
import { publishFlowDirectory } from "../app/flows/publish-flow-directory.ts";
import { sweepExpired } from "../app/retention/sweep-expired.ts";
import { callWebhook } from "../integrations/webhook/call-webhook.ts";
import { deliverOverHttps } from "../integrations/webhook/deliver-webhook.ts";

type Environment = Readonly<Record<string, string | undefined>>;

export interface ProcessIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** 0 ok, 1 failure, 2 bad configuration: the CLI's exit codes. */
type ExitStatus = 0 | 1 | 2;

/** Where earlier versions kept the hash of the admin token they generated at first start. */
const legacyAdminTokenSetting = "admin-token-hash";
const userAgent = "Botschaft-Webhook/1";

async function openStore(config: Config, logger: Logger): Promise<Store> {
  if (config.databaseUrl) {
    return PostgresStore.open({ connectionString: config.databaseUrl, schema: config.databaseSchema, onWarning: (warning) => logger.warn({ code: warning.code }, warning.message) });
  }
  return LowdbStore.open({ dataDir: config.dataDir, onWarning: (warning) => logger.warn({ code: warning.code }, warning.message) });
}

/** The runtime's keys: from BOTSCHAFT_SECRET, or from the key file in the data directory (created on first use). */
export async function runtimeKeys(config: Config): Promise<RuntimeKeys> {
  if (config.secret) return deriveRuntimeKeys(config.secret);
  await mkdir(config.dataDir, { recursive: true });
  return deriveRuntimeKeys(await loadOrCreateKeyFile(join(config.dataDir, keyFileName)));
}

/** Single sign-on, when an OpenID provider is configured: discovered once at start. */
async function singleSignOn(config: Config, keys: RuntimeKeys): Promise<((accounts: AccountService) => Router) | undefined> {
  const { oidc } = config.team;
  if (!oidc || !config.publicUrl) return undefined;
  const client = await discoverOidc(oidc);
  const setup = { config: oidc, client, redirectUri: `${config.publicUrl}/auth/oidc/callback`, cookie: sessionCookie(config.publicUrl), sealing: keys.stateEncryption };
  return (accounts) => oidcRoutes(setup, accounts);
}

/** The messengers whose bot runs this flow, per configuration. */
function messengersRunning(config: Config, flowId: string): MessengerChannel[] {
  return messengerChannels.filter((channel) => config.channels[channel]?.flow === flowId);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function serve(env: Environment, io: ProcessIo): Promise<ExitStatus> {
  let config: Config;
  try {
    config = readConfig(env);
  } catch (error) {
    io.stderr(`botschaft: ${describe(error)}\n`);
    return 2;
  }
  const logger = pino({ level: config.logLevel, base: { region: config.region } });
  const clock = () => new Date();
  let store: Store;
  try {
    store = await openStore(config, logger);
  } catch (error) {
    io.stderr(`botschaft: ${describe(error)}\n`);
    return 1;
  }
  const keys = await runtimeKeys(config);
  const widgetAssets = await loadWidgetAssets(widgetDistDir);
  if (!widgetAssets) logger.warn("the web widget is not built; run `npm run build:widget` (npm start does it)");
  const bindings = channelBindings(config.channels);
  const legacyAdminTokenHash = await store.settings.get(legacyAdminTokenSetting);
  const mailer = config.team.smtpUrl && config.team.mailFrom ? smtpMailer(config.team.smtpUrl, config.team.mailFrom) : undefined;
  const presetMailer = config.team.smtpUrl && config.team.mailFrom ? smtpPresetMailer(config.team.smtpUrl, config.team.mailFrom) : undefined;
  let sso: Awaited<ReturnType<typeof singleSignOn>>;
  try {
    sso = await singleSignOn(config, keys);
  } catch (error) {
    io.stderr(`botschaft: the OpenID provider at ${config.team.oidc?.issuer} cannot be reached: ${describe(error)}\n`);
    await store.close();
    return 1;
  }
  let localUrl = `http://${config.host}:${config.port}`;
  // Redis carries the live-chat signals between instances on PostgreSQL; one embedded instance needs none (docs/inbox.md#real-time).
  if (config.redisUrl && !config.databaseUrl) logger.warn("REDIS_URL is ignored: the embedded store runs one instance, whose live-chat signals stay in the process");
  // Loaded only when used: the Redis client's command modules take about a second to load on a busy machine.
  const signals =
    config.redisUrl && config.databaseUrl
      ? new (await import("../stores/redis/signals.ts")).RedisSignals({ url: config.redisUrl, channel: config.databaseSchema, onError: (error) => logger.warn({ err: describe(error) }, "Redis for live-chat signals cannot be reached; trying again") })
      : undefined;
  const runtime = composeRuntime({
    store,
    countAnalytics: config.countAnalytics,
    ...(signals ? { signals } : {}),
    keys,
    clock,
    logger,
    callWebhook: async (effect) => {
      const result = await callWebhook(effect, { allowHosts: config.webhookAllowHosts, userAgent });
      // The node and the reason only: the request and reply may carry personal data.
      if (!result.ok) logger.warn({ node: effect.node, reason: result.reason, status: result.status }, "webhook failed");
      return result;
    },
    team: {
      ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
      localUrl: () => localUrl,
      policy: { sessionIdleMs: config.team.sessionIdleMs, sessionMaxMs: config.team.sessionMaxMs },
      ...(config.adminToken ? { configuredAdminToken: config.adminToken } : {}),
      ...(legacyAdminTokenHash ? { legacyAdminTokenHash } : {}),
      ...(mailer ? { mailer } : {}),
      approval: config.team.publishApproval,
      region: config.region,
      auditRetentionMs: config.team.auditRetentionMs,
      ...(sso ? { singleSignOn: sso } : {}),
    },
    channels: bindings,
    hub: config.publicUrl ? { publicUrl: config.publicUrl } : {},
    messengersRunning: (flowId) => messengersRunning(config, flowId),
    webhookAllowHosts: config.webhookAllowHosts,
    deliveries: {
      send: sendWithIntegrations(deliverOverHttps({ allowHosts: config.webhookAllowHosts, userAgent }), {
        secrets: config.integrations.secrets,
        apiRoots: config.integrations.apiRoots,
        https: { allowHosts: config.webhookAllowHosts, userAgent },
        ...(presetMailer ? { sendMail: (mail) => presetMailer.send(mail) } : {}),
      }),
      schedule: { giveUpAfterMs: config.deliveryGiveUpAfterMs, laterMaxMs: config.deliveryMaxPauseMs },
    },
    retentionSweepMs: config.sweepIntervalMs,
    faqQuestionRetentionMs: config.team.faqQuestionRetentionMs,
    inboxSweepMs: 10_000,
    proofPeriodMs: config.team.proofPeriodMs,
    deployment: {
      store: config.databaseUrl ? "postgres" : "embedded",
      secretSource: config.secret ? "environment" : "key-file",
      behindProxy: config.trustProxy !== undefined,
      ...(config.hostingProvider ? { hostingProvider: config.hostingProvider } : {}),
    },
    inboxNotifyAfterMs: config.team.inboxNotifyAfterMs,
    web: {
      limits: config.limits,
      widgetOrigins: config.widgetOrigins,
      ...(widgetAssets ? { widgetAssets } : {}),
      editor: {
        flowsDir: config.flowsDir,
        examplesDir: fileURLToPath(new URL("../../examples", import.meta.url)),
        distDir: fileURLToPath(new URL("../../editor/dist", import.meta.url)),
        integrations: {
          ...(config.integrations.mailProvider ? { mailProvider: config.integrations.mailProvider } : {}),
          secrets: Object.keys(config.integrations.secrets).sort(),
        },
      },
      ...(config.trustProxy === undefined ? {} : { trustProxy: config.trustProxy }),
    },
  });
  const published = await publishFlowDirectory(runtime.publishing, config.flowsDir, logger);
  for (const [name, binding] of bindings) {
    if (!(await store.flowVersions.current(binding.flow))) logger.warn({ channel: name, flow: binding.flow }, "the channel's flow is not published; its deliveries are dropped until it is");
  }
  await runtime.start();
  // Connected before the first request: an instance whose own streams follow nothing still publishes to the others.
  void signals?.listening().catch(() => undefined);
  const app = runtime.app;
  const server: Server = await new Promise((resolve, reject) => {
    const listening = app.listen(config.port, config.host, () => resolve(listening));
    listening.once("error", reject);
  }).catch(async (error: unknown) => {
    await runtime.stop();
    await signals?.close();
    await store.close();
    throw error;
  }) as Server;
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  localUrl = `http://${config.host}:${port}`;
  // Only the embedded store is locked to this process; on PostgreSQL the CLI opens the database itself.
  const stopAdminSocket = config.databaseUrl ? undefined : await startAdminSocket(adminSocketPath(resolve(config.dataDir)), runtime.accounts, logger).catch((error: unknown) => {
    logger.warn({ err: describe(error) }, "no admin socket: `botschaft users` works only while the server is stopped");
    return undefined;
  });
  io.stdout(`Botschaft serves ${published.length} flow(s) [${published.join(", ")}] on ${localUrl}\n`);
  if (bindings.size > 0) io.stdout(`Messenger channels: ${[...bindings.keys()].join(", ")} (webhooks at /channels/<channel>/webhook)\n`);
  io.stdout(`Visual editor: ${config.publicUrl ?? localUrl}/editor/\n`);
  const setup = await runtime.accounts.setupLink();
  if (setup) io.stdout(`\nNo team account exists yet. Open this link once to create the first administrator (valid until ${setup.expiresAt}):\n${setup.url}\n`);

  return new Promise<ExitStatus>((resolve) => {
    const shutdown = (signal: string) => {
      logger.info({ signal }, "shutting down");
      server.close(async () => {
        // Pending deliveries and unsent replies stay in the store; the next start picks them up.
        await runtime.stop();
        await stopAdminSocket?.();
        mailer?.close();
        await signals?.close();
        presetMailer?.close();
        // Waits for pending writes, so nothing acknowledged is lost on a clean stop.
        store.close().then(
          () => resolve(0),
          (error: unknown) => {
            logger.error({ err: describe(error) }, "closing the store failed; the next start recovers from its journal");
            resolve(1);
          },
        );
      });
      server.closeIdleConnections();
    };
    process.once("SIGINT", () => shutdown("SIGINT"));
    process.once("SIGTERM", () => shutdown("SIGTERM"));
  });
}

/** `botschaft erasures export|apply`. */
export type ErasuresCommand = { op: "export" } | { op: "apply"; file: string };

const digestLine = /^([0-9a-f]{64})(?:\s|$)/;

/** The digests an erasure log file lists, once each; throws naming the first line that is not one. */
async function readErasureLog(file: string): Promise<string[]> {
  const digests = new Set<string>();
  for (const [index, line] of (await readFile(file, "utf8")).split("\n").entries()) {
    if (line.trim() === "" || line.startsWith("#")) continue;
    const digest = digestLine.exec(line.trim())?.[1];
    if (!digest) throw new Error(`${file} line ${index + 1} does not start with a digest of 64 hex digits.`);
    digests.add(digest);
  }
  return [...digests];
}

/** Runs one command on the configured store and closes it; any failure is exit status 1, its message on stderr. */
async function onStore(env: Environment, io: ProcessIo, work: (store: Store) => Promise<void>): Promise<ExitStatus> {
  try {
    const config = readConfig(env);
    const store = await openStore(config, pino({ level: config.logLevel }));
    try {
      await work(store);
    } finally {
      await store.close();
    }
    return 0;
  } catch (error) {
    io.stderr(`botschaft: ${describe(error)}\n`);
    return 1;
  }
}

/**
 * The erasure log (docs/running.md#restoring-a-backup): `export` prints it, one `<digest> <time>`
 * line per erasure; `apply` reads such lines and erases again what they name — in a backup
 * restored from before those erasures. With the embedded store, run it while the server is
 * stopped; on PostgreSQL, beside the servers.
 */
export async function erasures(env: Environment, io: ProcessIo, command: ErasuresCommand): Promise<ExitStatus> {
  if (command.op === "export") {
    return onStore(env, io, async (store) => {
      for (const entry of await store.dataKeys.erasures()) io.stdout(`${entry.digest} ${entry.erasedAt}\n`);
    });
  }
  let digests: string[];
  try {
    digests = await readErasureLog(command.file);
  } catch (error) {
    io.stderr(`botschaft: ${describe(error)}\n`);
    return 1;
  }
  return onStore(env, io, async (store) => {
    const erased = await store.dataKeys.reapply(digests);
    io.stdout(`Erased ${erased} conversation(s) or key(s) of the ${digests.length} erasure(s) in ${command.file}.\n`);
  });
}

/** `botschaft ledger verify`. */
export type LedgerCommand = { op: "verify" };

/**
 * The proof ledger from the command line (docs/privacy.md#proof-ledger): `verify` checks the
 * chain from its checkpoint to its head and exits 0 when it is intact, 1 naming the first broken
 * entry. With the embedded store, run it while the server is stopped; on PostgreSQL, any time.
 */
export async function ledgerCommand(env: Environment, io: ProcessIo, _command: LedgerCommand): Promise<ExitStatus> {
  let intact = true;
  const status = await onStore(env, io, async (store) => {
    const config = readConfig(env);
    const logger = pino({ level: "silent" });
    const ledger = proofLedgerOf(store, await runtimeKeys(config), () => new Date(), logger);
    const result = await ledger.verify();
    const { checkpoint } = await ledger.status();
    const from = checkpoint ? ` after the checkpoint at entry ${checkpoint.seq}` : "";
    if (result.broken) {
      intact = false;
      io.stderr(`Proof ledger broken: ${describeBreak(result.broken)} (${result.entries} entries before it verify${from}).\n`);
    } else {
      io.stdout(`Proof ledger intact: ${result.entries} entries verify${from}.\n`);
    }
  });
  return status === 0 && !intact ? 1 : status;
}

export function purge(env: Environment, io: ProcessIo): Promise<ExitStatus> {
  return onStore(env, io, async (store) => {
    const config = readConfig(env);
    const ledger = proofLedgerOf(store, await runtimeKeys(config), () => new Date(), pino({ level: config.logLevel }), config.team.proofPeriodMs);
    io.stdout(`Deleted ${await sweepExpired(store.conversations, new Date(), ledger)} expired conversation(s).\n`);
    await ledger.settled();
  });
}
