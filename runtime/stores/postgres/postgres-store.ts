/**
 * A `Store` on PostgreSQL (`DATABASE_URL`), for production and for several runtime instances
 * sharing one database. Each role is a file of its own (its tables and its queries), registered
 * in `roleTables` and the constructor below. Every call is one statement (or one short
 * transaction), so it is atomic on its own; PostgreSQL's commit is the durability point.
 */
import pg from "pg";
import type { ConversationStore } from "../ports/conversations.ts";
import type { DataKeyStore } from "../ports/data-keys.ts";
import type { FlowVersionStore } from "../ports/flow-versions.ts";
import type { MessengerInboxStore } from "../ports/messenger-inbox.ts";
import type { MessengerOutboxStore } from "../ports/messenger-outbox.ts";
import type { SettingsStore } from "../ports/settings.ts";
import type {
  AccountStore,
  SessionStore,
  OneTimeLinkStore,
  ApiTokenStore,
  AuditTrailStore,
  ProofLedgerStore,
  PrivacyDeskStore,
  SignInAttemptStore,
  PublishRequestStore,
  Store,
  UnansweredQuestionStore,
  LiveChatStore,
} from "../ports/store.ts";
import { StoreError } from "../ports/store-error.ts";
import { accountTables, postgresAccounts } from "./accounts.ts";
import { postgresSessions, sessionTables } from "./sessions.ts";
import { oneTimeLinkTables, postgresOneTimeLinks } from "./one-time-links.ts";
import { apiTokenTables, postgresApiTokens } from "./api-tokens.ts";
import { auditTrailTables, postgresAuditTrail } from "./audit-trail.ts";
import { postgresProofLedger, proofLedgerTables } from "./proof-ledger.ts";
import { postgresPrivacyDesk, privacyDeskTables } from "./privacy-desk.ts";
import { postgresSignInAttempts, signInAttemptTables } from "./sign-in-attempts.ts";
import { postgresPublishRequests, publishRequestTables } from "./publish-requests.ts";
import { postgresUnansweredQuestions, unansweredQuestionTables } from "./unanswered-questions.ts";
import { liveChatTables, postgresLiveChats } from "./live-chats.ts";
import { PostgresSignals } from "./signals.ts";
import { conversationTables, postgresConversations } from "./conversations.ts";
import { dataKeyTables, KeyTableCompaction, postgresDataKeys } from "./data-keys.ts";
import { PgDatabase } from "./database.ts";
import { flowVersionTables, postgresFlowVersions } from "./flow-versions.ts";
import { inboxTables, inboxUpgradeTo2, postgresInbox } from "./messenger-inbox.ts";
import { outboxTables, postgresOutbox } from "./messenger-outbox.ts";
import { deliveryTables, postgresDeliveries } from "./deliveries.ts";
import { analyticsTables, postgresAnalytics } from "./analytics.ts";
import type { AnalyticsStore } from "../ports/analytics.ts";
import type { DeliveryStore } from "../ports/deliveries.ts";
import { postgresSettings, settingsTables } from "./settings.ts";

export interface PostgresStoreOptions {
  connectionString: string;
  /** The PostgreSQL schema holding Botschaft's tables; created when missing. */
  schema?: string;
  /** Connections in the pool. */
  poolSize?: number;
  /** Shown in `pg_stat_activity`, so operators can tell Botschaft's connections apart. */
  applicationName?: string;
  /**
   * How soon after an erasure the key partitions that lost keys are rewritten (`VACUUM FULL`),
   * so that the deleted keys leave the table's files; erasures within that time share one
   * rewrite. Default 1 s.
   */
  keyCompactionMs?: number;
  /** Told when a rewrite of the key table failed (it is tried again); the store itself never logs. */
  onWarning?: (warning: { code: "key-compaction-failed"; error: unknown; message: string }) => void;
}

/**
 * Bumped when the tables change; `open` creates or upgrades them. 3: the knowledge bases kept
 * with flow versions and publish requests, and the unanswered questions. 4: live chats and their
 * messages. 5: the durable deliveries. 6: the proof ledger. 7: the analytics counters. (All added by the table
 * statements above, which run on every open.)
 */
const schemaVersion = 7;

/** Every role's tables, created (if missing) in this order on open. */
const roleTables: readonly ((schema: string) => string)[] = [
  conversationTables,
  dataKeyTables,
  flowVersionTables,
  settingsTables,
  inboxTables,
  outboxTables,
  accountTables,
  sessionTables,
  oneTimeLinkTables,
  apiTokenTables,
  auditTrailTables,
  proofLedgerTables,
  privacyDeskTables,
  signInAttemptTables,
  publishRequestTables,
  unansweredQuestionTables,
  liveChatTables,
  deliveryTables,
  analyticsTables,
];

/** What a database written at an older schema version needs beyond the tables above, by the version it brings it to. */
const upgrades: ReadonlyMap<number, (schema: string) => string> = new Map([[2, inboxUpgradeTo2]]);

function migration(schema: string): string {
  return [
    `CREATE SCHEMA IF NOT EXISTS ${schema};`,
    ...roleTables.map((tables) => tables(schema)),
    `CREATE TABLE IF NOT EXISTS ${schema}.schema_version (version integer NOT NULL);`,
  ].join("\n");
}

export class PostgresStore implements Store {
  readonly #db: PgDatabase;
  readonly #compaction: KeyTableCompaction;
  readonly conversations: ConversationStore;
  readonly dataKeys: DataKeyStore;
  readonly flowVersions: FlowVersionStore;
  readonly inbox: MessengerInboxStore;
  readonly outbox: MessengerOutboxStore;
  readonly settings: SettingsStore;
  readonly accounts: AccountStore;
  readonly sessions: SessionStore;
  readonly oneTimeLinks: OneTimeLinkStore;
  readonly apiTokens: ApiTokenStore;
  readonly auditTrail: AuditTrailStore;
  readonly proofLedger: ProofLedgerStore;
  readonly privacyDesk: PrivacyDeskStore;
  readonly signInAttempts: SignInAttemptStore;
  readonly publishRequests: PublishRequestStore;
  readonly unansweredQuestions: UnansweredQuestionStore;
  readonly liveChats: LiveChatStore;
  readonly signals: PostgresSignals;
  readonly deliveries: DeliveryStore;
  readonly analytics: AnalyticsStore;

  private constructor(db: PgDatabase, options: PostgresStoreOptions) {
    this.#db = db;
    this.#compaction = new KeyTableCompaction(db, options.keyCompactionMs ?? 1000, (partition, error) =>
      options.onWarning?.({
        code: "key-compaction-failed",
        error,
        message: `Rewriting ${partition} after an erasure failed (${error instanceof Error ? error.message : String(error)}); erased keys stay in its files until a retry succeeds.`,
      }),
    );
    this.conversations = postgresConversations(db, this.#compaction);
    this.dataKeys = postgresDataKeys(db, this.#compaction);
    this.flowVersions = postgresFlowVersions(db);
    this.inbox = postgresInbox(db, this.#compaction);
    this.outbox = postgresOutbox(db);
    this.settings = postgresSettings(db);
    this.accounts = postgresAccounts(db);
    this.sessions = postgresSessions(db);
    this.oneTimeLinks = postgresOneTimeLinks(db);
    this.apiTokens = postgresApiTokens(db);
    this.auditTrail = postgresAuditTrail(db);
    this.proofLedger = postgresProofLedger(db);
    this.privacyDesk = postgresPrivacyDesk(db);
    this.signInAttempts = postgresSignInAttempts(db);
    this.publishRequests = postgresPublishRequests(db);
    this.unansweredQuestions = postgresUnansweredQuestions(db);
    this.liveChats = postgresLiveChats(db);
    this.signals = new PostgresSignals(db, { connectionString: options.connectionString, applicationName: options.applicationName ?? "botschaft" });
    this.deliveries = postgresDeliveries(db);
    this.analytics = postgresAnalytics(db);
  }

  /** Connects, creates or upgrades the tables (one instance at a time) and returns the store. */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const schema = options.schema ?? "botschaft";
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new RangeError(`not a plain PostgreSQL schema name: ${schema}`);
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      application_name: options.applicationName ?? "botschaft",
    });
    // An idle connection that breaks must not crash the process; the next query reports it.
    pool.on("error", () => undefined);
    const db = new PgDatabase(pool, schema);
    try {
      await migrate(db);
    } catch (error) {
      await pool.end();
      throw new StoreError("store-failed", `cannot prepare the PostgreSQL database: ${(error as Error).message}`, { cause: error });
    }
    return new PostgresStore(db, options);
  }

  /**
   * Rewrites the key partitions that lost keys now (those rewritten already and waiting for
   * their recheck too), instead of later; rejects when one could not be rewritten.
   */
  compactErasedKeys(): Promise<void> {
    return this.#compaction.runNow();
  }

  async close(): Promise<void> {
    if (this.#db.closed) return;
    await this.#compaction.close();
    await this.signals.close();
    await this.#db.close();
  }
}

async function migrate(db: PgDatabase): Promise<void> {
  const client = await db.pool.connect();
  const { schema } = db;
  try {
    await client.query("BEGIN");
    // Instances starting together take turns creating the tables.
    await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`botschaft-migrate-${schema}`]);
    await client.query(migration(schema));
    const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${schema}.schema_version`);
    const stored = rows[0]?.version;
    if (stored === undefined) await client.query(`INSERT INTO ${schema}.schema_version (version) VALUES ($1)`, [schemaVersion]);
    else if (stored > schemaVersion) throw new Error(`the database was written by a newer Botschaft (schema ${stored} > ${schemaVersion})`);
    else if (stored < schemaVersion) {
      for (let version = stored + 1; version <= schemaVersion; version++) {
        const upgrade = upgrades.get(version);
        if (upgrade) await client.query(upgrade(schema));
      }
      await client.query(`UPDATE ${schema}.schema_version SET version = $1`, [schemaVersion]);
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
