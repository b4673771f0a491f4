/**
 * Builds the runtime from its adapters: the services of `runtime/app`, the messenger hub when
 * channels are bound, and the HTTP app. The one place where the parts meet — the composition
 * root `main.ts` passes real adapters (lowdb or PostgreSQL, HTTPS webhooks, platform clients),
 * the test runtime (`runtime/testing/create-test-runtime.ts`) passes in-memory ones.
 *
 * @example
 * ```ts
 * const runtime = composeRuntime({ store, keys, clock, logger, callWebhook, adminAuth, web: { limits } });
 * await runtime.start();
 * runtime.app.listen(8080);
 * ```
 */
import type { Logger } from "pino";
import { ConversationService, type TokenKeeper } from "../app/conversations/conversation-service.ts";
import type { WebhookCall } from "../app/conversations/webhook-call.ts";
import type { RuntimeKeys } from "../app/crypto/keys.ts";
import { DataKeys } from "../app/crypto/data-keys.ts";
import { conversationValueSealer, deliverySealer, serviceCrypto } from "../app/crypto/service-crypto.ts";
import { Deliveries } from "../app/deliveries/deliveries.ts";
import { DeliveryWorker, type SendDelivery } from "../app/deliveries/delivery-worker.ts";
import { defaultRetrySchedule, type RetrySchedule } from "../app/deliveries/retry-schedule.ts";
import { SigningSecret } from "../app/deliveries/signing-secret.ts";
import { Analytics } from "../app/analytics/analytics.ts";
import { Results } from "../app/results/results.ts";
import { FlowCatalog } from "../app/flows/flow-catalog.ts";
import { FlowFiles } from "../app/flows/flow-files.ts";
import { FaqReview } from "../app/faq/faq-review.ts";
import { InboxService } from "../app/inbox/inbox-service.ts";
import { inboxMailNotifier } from "../app/inbox/inbox-mail.ts";
import { CannedAnswers } from "../app/inbox/canned-answers.ts";
import { messengerReplies } from "../app/inbox/messenger-replies.ts";
import { knowledgeBaseSuffix } from "../core/index.ts";
import type { ChannelName } from "../app/messaging/channel.ts";
import { type ChannelBinding, ChannelHub, type ChannelHubDeps } from "../app/messaging/channel-hub.ts";
import type { MessengerChannel } from "../core/index.ts";
import type { SignalStore, Store } from "../stores/ports/store.ts";
import type express from "express";
import { type AccountPolicy, AccountService } from "../app/accounts/account-service.ts";
import type { Mailer } from "../app/accounts/mailer.ts";
import { AuditTrail } from "../app/audit/audit-trail.ts";
import { defaultProofPeriodMs, ProofLedger } from "../app/privacy/proof-ledger.ts";
import { PrivacyDesk, type RequestReminder } from "../app/privacy/privacy-desk.ts";
import { requestReminderMailer } from "../app/privacy/request-reminder-mail.ts";
import type { DeploymentFacts } from "../core/index.ts";
import { type PublishApproval, Publishing } from "../app/flows/publishing.ts";
import { createApp, type WebOptions } from "./create-app.ts";
import { sessionCookie } from "./team-auth.ts";
import { startRetentionSweeper } from "./retention-timer.ts";

export type HubOptions = Partial<Pick<ChannelHubDeps, "publicUrl" | "reorderWindowMs" | "retry" | "sendReplies" | "stalePendingMs" | "pendingSweepMs" | "transientKeyRotationMs">>;

/** The operator side's settings: where links point, sessions, four eyes, the audit trail. */
export interface TeamOptions {
  /** `BOTSCHAFT_PUBLIC_URL`: invitation links point here, and `https:` makes the session cookie Secure. */
  publicUrl?: string;
  /** Where links point when no public URL is configured: the address the server listens on. */
  localUrl: () => string;
  policy?: Partial<AccountPolicy>;
  /** BOTSCHAFT_ADMIN_TOKEN, which keeps working as an admin API token. */
  configuredAdminToken?: string;
  /** The hash of the admin token an earlier version generated at first start. */
  legacyAdminTokenHash?: string;
  mailer?: Mailer;
  approval?: PublishApproval;
  /** Where the runtime runs (`BOTSCHAFT_REGION`), named in the generated privacy texts. */
  region: string;
  auditRetentionMs: number;
  /** Builds the single sign-on routes once the services exist (an OpenID provider is configured). */
  singleSignOn?: (accounts: AccountService) => express.Router;
}

export interface RuntimeAdapters {
  store: Store;
  /** Carries live-chat signals between instances instead of the store's own (Redis pub/sub when `REDIS_URL` is set). */
  signals?: SignalStore;
  keys: RuntimeKeys;
  clock: () => Date;
  logger: Logger;
  callWebhook: WebhookCall;
  team: TeamOptions;
  web: WebOptions;
  /** Messenger channels bound to the flows their bots run; none leaves the hub out. */
  channels?: ReadonlyMap<ChannelName, ChannelBinding>;
  hub?: HubOptions;
  /** The messengers whose bot runs a flow: publishing checks their platform limits. */
  messengersRunning?: (flowId: string) => readonly MessengerChannel[];
  /** Replaces the bearer-token keeper built from `keys` (a test counts its hash computations). */
  tokens?: TokenKeeper;
  /** Hosts webhooks may reach although not public: publishing lets them through (the calls get the same list). */
  webhookAllowHosts?: readonly string[];
  /** How often `start` sweeps expired conversations; left out, no timer runs (tests sweep by hand). */
  retentionSweepMs?: number;
  /**
   * The knowledge bases published with the flows that use them (name → YAML source); left out,
   * those beside the flows the editor edits (`<flowsDir>/<name>.faq.yaml`).
   */
  knowledgeBases?: () => Promise<Readonly<Record<string, string>>>;
  /** How long unanswered questions are kept for review (BOTSCHAFT_FAQ_QUESTION_RETENTION); 90 days when left out. */
  faqQuestionRetentionMs?: number;
  /** How often `start` checks live chats for their unclaimed time and notifications; left out, no timer runs (tests call `inbox.sweep`). */
  inboxSweepMs?: number;
  /** Mails the agents about a live chat unclaimed this long (BOTSCHAFT_INBOX_NOTIFY_AFTER_MINUTES; needs `team.mailer`); 0 or left out: never. */
  inboxNotifyAfterMs?: number;
  /** Durable deliveries (docs/deliveries.md): how attempts are sent, and the worker's settings. */
  deliveries: DeliveryOptions;
  /** False counts nothing (`BOTSCHAFT_ANALYTICS=off`, the runtime benchmark's "counters off"); default true (docs/analytics.md). */
  countAnalytics?: boolean;
  /** False: turns record nothing in the proof ledger (only the privacy benchmark's "ledger off", to measure what appends cost); default true. */
  recordLedger?: boolean;
  /** How long proof ledger entries are kept (BOTSCHAFT_PROOF_PERIOD); three years when left out. */
  proofPeriodMs?: number;
  /** What the generated privacy texts say about this deployment (store, keys, hosting); defaults describe the embedded store with a key file. */
  deployment?: Partial<Omit<DeploymentFacts, "lang" | "region" | "channels">>;
}

export interface DeliveryOptions {
  /** Sends one attempt (the SSRF-checked HTTPS call in production, a fake in tests). */
  send: SendDelivery;
  schedule?: Partial<RetrySchedule>;
  concurrency?: number;
  claimMs?: number;
  pollMs?: number;
  /** False leaves the worker stopped: a test drains it by hand (`runtime.deliveryWorker.drain()`). Default true. */
  autoStart?: boolean;
}

export interface Runtime {
  app: express.Express;
  /** The requests desk (docs/privacy.md#requests-desk). */
  privacyDesk: PrivacyDesk;
  /** Mails the reminders due now for open privacy requests (on the retention sweep's beat); resolves with what was sent. */
  remindPrivacyRequests(): Promise<RequestReminder[]>;
  service: ConversationService;
  catalog: FlowCatalog;
  accounts: AccountService;
  publishing: Publishing;
  audit: AuditTrail;
  /** Unanswered questions and the editors' review; `agentAnswered` is the live-chat inbox's port. */
  faqReview: FaqReview;
  /** The live-chat inbox. */
  inbox: InboxService;
  /** The proof ledger of consents, erasures and exports (docs/privacy.md#proof-ledger). */
  ledger: ProofLedger;
  /** The messenger hub, when channels are bound. */
  hub: ChannelHub | undefined;
  /** Durable deliveries: `enqueue` for any feature that must reach another system (docs/deliveries.md). */
  deliveries: Deliveries;
  /** Counters per flow version and day (docs/analytics.md). */
  analytics: Analytics;
  deliveryWorker: DeliveryWorker;
  signingSecret: SigningSecret;
  /** Starts the background work: the hub's recovery and outbox, the retention sweep. */
  start(): Promise<void>;
  /** Stops the background work; pending deliveries stay in the store. The store's owner closes the store. */
  stop(): Promise<void>;
}

/** The proof ledger over a store: the runtime's, and the `ledger` command's. */
export function proofLedgerOf(store: Pick<Store, "proofLedger">, keys: RuntimeKeys, clock: () => Date, logger: Logger, proofPeriodMs?: number): ProofLedger {
  return new ProofLedger({
    store: store.proofLedger,
    chainKey: keys.ledgerChain.current.key,
    personKey: keys.ledgerPerson.current.key,
    clock,
    ...(proofPeriodMs !== undefined ? { proofPeriodMs } : {}),
    onProblem: (problem) => {
      const err = problem.error instanceof Error ? problem.error.message : problem.error === undefined ? undefined : String(problem.error);
      if (problem.code === "chain-broken") logger.fatal({ code: problem.code }, problem.message);
      else logger.error({ code: problem.code, ...(err ? { err } : {}) }, problem.message);
    },
  });
}

/** The audit trail and the account service over a store: the runtime's, and the `users` command's. */
export function teamServices(
  store: Store,
  keys: RuntimeKeys,
  clock: () => Date,
  team: Pick<TeamOptions, "publicUrl" | "localUrl" | "policy" | "mailer" | "configuredAdminToken" | "legacyAdminTokenHash" | "auditRetentionMs">,
): { audit: AuditTrail; accounts: AccountService } {
  const audit = new AuditTrail(store.auditTrail, clock, team.auditRetentionMs);
  const accounts = new AccountService({
    accounts: store.accounts,
    sessions: store.sessions,
    links: store.oneTimeLinks,
    tokens: store.apiTokens,
    attempts: store.signInAttempts,
    audit,
    keys: keys.token,
    clock,
    publicUrl: team.publicUrl ?? team.localUrl,
    ...(team.policy ? { policy: team.policy } : {}),
    ...(team.mailer ? { mailer: team.mailer } : {}),
    ...(team.configuredAdminToken ? { configuredAdminToken: team.configuredAdminToken } : {}),
    ...(team.legacyAdminTokenHash ? { legacyAdminTokenHash: team.legacyAdminTokenHash } : {}),
  });
  return { audit, accounts };
}

export function composeRuntime(adapters: RuntimeAdapters): Runtime {
  const { store, keys, clock, logger } = adapters;
  const signals = adapters.signals ?? store.signals;
  const flowsDir = adapters.web.editor?.flowsDir;
  const knowledgeBaseFiles = flowsDir === undefined ? undefined : new FlowFiles(flowsDir, knowledgeBaseSuffix);
  const knowledgeBases = adapters.knowledgeBases ?? (knowledgeBaseFiles ? () => knowledgeBaseFiles.readAll() : undefined);
  const catalog = new FlowCatalog(store.flowVersions, clock, {
    ...(adapters.messengersRunning ? { channelsOf: adapters.messengersRunning } : {}),
    ...(adapters.webhookAllowHosts ? { webhookAllowHosts: adapters.webhookAllowHosts } : {}),
    ...(knowledgeBases ? { knowledgeBases } : {}),
  });
  const { team } = adapters;
  const { audit, accounts } = teamServices(store, keys, clock, team);
  const dataKeys = new DataKeys(store.dataKeys, keys.dataKeyWrapping, clock);
  const crypto = serviceCrypto(keys, dataKeys);
  const schedule: RetrySchedule = { ...defaultRetrySchedule, ...adapters.deliveries.schedule };
  const sealer = deliverySealer(keys, dataKeys);
  const deliveries = new Deliveries({ store: store.deliveries, sealer, clock, audit, schedule });
  const signingSecret = new SigningSecret(store.settings, keys.stateEncryption);
  const deliveryWorker = new DeliveryWorker({
    store: store.deliveries,
    sealer,
    send: adapters.deliveries.send,
    signingSecret: () => signingSecret.get(),
    clock,
    logger,
    schedule,
    ...(adapters.deliveries.concurrency === undefined ? {} : { concurrency: adapters.deliveries.concurrency }),
    ...(adapters.deliveries.claimMs === undefined ? {} : { claimMs: adapters.deliveries.claimMs }),
    ...(adapters.deliveries.pollMs === undefined ? {} : { pollMs: adapters.deliveries.pollMs }),
  });
  deliveries.onStored(() => deliveryWorker.kick());
  const analytics = new Analytics(store.analytics, clock, { publishedAt: async (flow, version) => (await store.flowVersions.get(flow, version))?.publishedAt });
  const faqReview = new FaqReview({
    questions: store.unansweredQuestions,
    conversations: store.conversations,
    sealer: crypto.sealer,
    audit,
    clock,
    retentionMs: adapters.faqQuestionRetentionMs ?? 90 * 86_400_000,
    ...(knowledgeBaseFiles ? { files: knowledgeBaseFiles } : {}),
  });
  // The service and the inbox need each other: the service tells the inbox about handovers, the inbox runs the agents' turns.
  let inbox: InboxService | undefined;
  const liveChat = () => {
    if (!inbox) throw new Error("the inbox is not built yet");
    return inbox;
  };
  const ledger = proofLedgerOf(store, keys, clock, logger, adapters.proofPeriodMs);
  const privacyDesk: PrivacyDesk = new PrivacyDesk({
    store: store.privacyDesk,
    conversations: store.conversations,
    sealer: crypto.sealer,
    catalog,
    ledger,
    indexKey: keys.blindIndex.current.key,
    pseudonymKey: keys.pseudonym.current.key,
    // The one correction "my data" uses too (the service is built just below).
    correct: (conversation, field, value, request) => service.correct(conversation, field, value, request),
    // The processors are asked to erase too, as after an unsubscribe (docs/privacy.md#recipients-told).
    tellErasure: (conversation) => service.tellErasureOf(conversation),
    clock,
  });
  const mailer = team.mailer;
  // Reminders before a request's deadline go out by e-mail; without a mailer the list's `reminder` flag is all there is.
  const remindPrivacyRequests = async (): Promise<RequestReminder[]> =>
    mailer ? privacyDesk.remind(requestReminderMailer({ accounts: store.accounts, mailer, requestsUrl: () => `${team.publicUrl ?? team.localUrl()}/editor/#requests` })) : [];
  const service: ConversationService = new ConversationService({
    conversations: store.conversations,
    catalog,
    clock,
    ...(adapters.recordLedger === false ? {} : { ledger }),
    privacyIndex: privacyDesk,
    ...crypto,
    ...(adapters.tokens ? { tokens: adapters.tokens } : {}),
    callWebhook: adapters.callWebhook,
    unanswered: faqReview,
    ...(adapters.countAnalytics === false ? {} : { analytics }),
    liveChat: {
      afterTurn: (turn) => liveChat().afterTurn(turn),
      erased: (id) => liveChat().erased(id),
      transcript: (id) => liveChat().transcript(id),
    },
    deliveries,
  });
  const channels = adapters.channels;
  const hub =
    channels && channels.size > 0
      ? new ChannelHub({ inbox: store.inbox, outbox: store.outbox, service, catalog, keys, dataKeys, channels, clock, logger, deliveries, ...adapters.hub })
      : undefined;
  inbox = new InboxService({
    liveChats: store.liveChats,
    signals,
    conversations: service,
    sealer: conversationValueSealer(keys, dataKeys),
    audit,
    clock,
    agentAnswered: (input) => faqReview.agentAnswered(input),
    // Agents' replies and the bot after a hand-back reach messenger users through the hub's outbox.
    ...(hub ? { messengers: messengerReplies(hub, clock) } : {}),
    ...(adapters.inboxNotifyAfterMs && team.mailer
      ? {
          notify: {
            afterMs: adapters.inboxNotifyAfterMs,
            send: inboxMailNotifier({ accounts: store.accounts, mailer: team.mailer, inboxUrl: () => `${team.publicUrl ?? team.localUrl()}/editor/`, clock }),
          },
        }
      : {}),
  });
  const publishing = new Publishing({ catalog, requests: store.publishRequests, audit, clock, approval: team.approval, region: team.region });
  const app = createApp({
    service,
    catalog,
    team: {
      accounts,
      publishing,
      audit,
      faqReview,
      inbox,
      cannedAnswers: new CannedAnswers(store.settings, audit),
      deliveries,
      signingSecret,
      ledger,
      privacyDesk,
      analytics,
      results: new Results({ conversations: store.conversations, catalog, sealer: crypto.sealer, audit }),
      deploymentFacts: (flowId) => ({
        store: "embedded",
        secretSource: "key-file",
        auditRetentionDays: Math.round(team.auditRetentionMs / 86_400_000),
        unansweredRetentionDays: Math.round((adapters.faqQuestionRetentionMs ?? 90 * 86_400_000) / 86_400_000),
        proofPeriodDays: Math.round((adapters.proofPeriodMs ?? defaultProofPeriodMs) / 86_400_000),
        behindProxy: false,
        ...adapters.deployment,
        region: team.region,
        channels: adapters.messengersRunning?.(flowId) ?? [],
      }),
      cookie: sessionCookie(team.publicUrl),
      ...(team.publicUrl ? { publicUrl: team.publicUrl } : {}),
      ...(team.singleSignOn ? { singleSignOn: team.singleSignOn(accounts) } : {}),
    },
    logger,
    signals,
    clock,
    ...(hub ? { channels: hub } : {}),
    ...adapters.web,
  });
  let stopSweeper: (() => void) | undefined;
  let inboxTimer: NodeJS.Timeout | undefined;
  return {
    app,
    service,
    catalog,
    accounts,
    publishing,
    audit,
    faqReview,
    inbox,
    ledger,
    hub,
    deliveries,
    deliveryWorker,
    signingSecret,
    analytics,
    privacyDesk,
    remindPrivacyRequests,
    start: async () => {
      // A tampered chain halts the ledger and is logged loudly; the runtime keeps serving.
      await ledger.check();
      await hub?.start();
      if (adapters.inboxSweepMs !== undefined) {
        const sweep = () => void inbox.sweep().catch((error: unknown) => logger.error({ err: error instanceof Error ? error.message : String(error) }, "inbox sweep failed"));
        inboxTimer = setInterval(sweep, adapters.inboxSweepMs);
        inboxTimer.unref();
      }
      if (adapters.deliveries.autoStart !== false) deliveryWorker.start();
      if (adapters.retentionSweepMs !== undefined) {
        stopSweeper = startRetentionSweeper(
          store.conversations,
          clock,
          adapters.retentionSweepMs,
          logger,
          async () => {
            await accounts.sweep();
            await audit.prune();
            await faqReview.prune();
            await ledger.prune();
            await remindPrivacyRequests();
          },
          { personOf: (id) => ledger.personOf(id), record: (drafts) => ledger.record(drafts), forget: (ids) => privacyDesk.forget(ids) },
        );
      }
    },
    stop: async () => {
      stopSweeper?.();
      clearInterval(inboxTimer);
      await hub?.stop();
      await deliveryWorker.stop();
      await ledger.settled();
      await analytics.stop();
      await catalog.close();
      // The keys made ahead for conversations that never started go before the store closes.
      await dataKeys.close().catch((error: unknown) => logger.warn({ err: error instanceof Error ? error.message : String(error) }, "destroying unused data keys failed"));
    },
  };
}
