/**
 * The storage ports of the runtime, one per role: conversations, their data keys, flow
 * versions, the messenger inbox and outbox, settings. A service depends only on the roles it uses.
 *
 * Implementations: `MemoryStore` (tests), `LowdbStore` (the embedded default, one process) and
 * `PostgresStore` (several runtime instances sharing one database). Each implements every role
 * and passes every role's contract suite (`../contracts/`), so these files promise only what
 * every one of them can keep:
 *
 * - **Durability.** A write's promise resolves only once the change survives a crash of the
 *   process (and, where the medium honours fsync, of the machine). Anything that leaves the
 *   runtime because of a change — a reply, a webhook call — must wait for that promise.
 * - **Visibility.** Every read sees every write whose promise has resolved, on every instance.
 *   A read may also see a write that is still on its way to disk (the embedded stores apply
 *   changes in memory at call time); such a write becomes durable no later than any write
 *   that was made after it resolves, so acting only after one's own write resolved is safe.
 * - **Ordering.** Concurrent calls have no promised order. Order inside one conversation comes
 *   from its `revision`: `conversations.update` is a compare-and-set, so of several updates made
 *   from the same revision exactly one wins and the others learn that they lost.
 * - **Transactions.** Each call is atomic on its own; there are no multi-call transactions.
 *
 * The store never sees personal data in the clear: the engine state arrives sealed
 * (AES-256-GCM under the conversation's data key, see `runtime/app/crypto/sealing.ts` and
 * `data-keys.ts`), channel user ids as keyed pseudonyms and bearer tokens as hashes.
 *
 * @example
 * ```ts
 * const current = await store.conversations.get(id);
 * if (!current) return notFound();
 * const next = { ...current, sealedState, revision: current.revision + 1, lastActivityAt, expiresAt };
 * if (!(await store.conversations.update(next))) return retryFromFreshRead(); // another turn won
 * send(reply); // safe: the new state is durable
 * ```
 */
import type { AccountStore } from "./accounts.ts";
import type { ApiTokenStore } from "./api-tokens.ts";
import type { AuditTrailStore } from "./audit-trail.ts";
import type { ConversationStore } from "./conversations.ts";
import type { DataKeyStore } from "./data-keys.ts";
import type { DeliveryStore } from "./deliveries.ts";
import type { AnalyticsStore } from "./analytics.ts";
import type { FlowVersionStore } from "./flow-versions.ts";
import type { MessengerInboxStore } from "./messenger-inbox.ts";
import type { MessengerOutboxStore } from "./messenger-outbox.ts";
import type { OneTimeLinkStore } from "./one-time-links.ts";
import type { ProofLedgerStore } from "./proof-ledger.ts";
import type { PrivacyDeskStore } from "./privacy-desk.ts";
import type { PublishRequestStore } from "./publish-requests.ts";
import type { SessionStore } from "./sessions.ts";
import type { SettingsStore } from "./settings.ts";
import type { SignInAttemptStore } from "./sign-in-attempts.ts";
import type { UnansweredQuestionStore } from "./unanswered-questions.ts";
import type { LiveChatStore } from "./live-chats.ts";
import type { SignalStore } from "./signals.ts";

export type { AccountRecord, AccountStore, TeamRole } from "./accounts.ts";
export type { ApiTokenRecord, ApiTokenStore } from "./api-tokens.ts";
export type { AuditEntry, AuditQuery, AuditTrailStore } from "./audit-trail.ts";
export type { OneTimeLinkRecord, OneTimeLinkStore } from "./one-time-links.ts";
export type { PrivacyDeskStore, PrivacyRequestRecord } from "./privacy-desk.ts";
export type { LedgerCheckpoint, LedgerDraft, LedgerEntry, LedgerStatus, ProofLedgerStore } from "./proof-ledger.ts";
export type { PublishRequestRecord, PublishRequestStore } from "./publish-requests.ts";
export type { SessionRecord, SessionStore } from "./sessions.ts";
export type { SignInAttemptStore } from "./sign-in-attempts.ts";
export type { UnansweredQuestionRecord, UnansweredQuestionStore, UnansweredStatus } from "./unanswered-questions.ts";
export type { ConversationRecord, ConversationStore, NewConversationRecord } from "./conversations.ts";
export type { AnalyticsCount, AnalyticsStore } from "./analytics.ts";
export type { DeliveryRecord, DeliveryStatus, DeliveryStore, NewDeliveryRecord } from "./deliveries.ts";
export type { DataKeyKind, DataKeyRecord, DataKeyStore, ErasureRecord } from "./data-keys.ts";
export type { FlowVersionRecord, FlowVersionStore } from "./flow-versions.ts";
export type { ConversationChange, InboundCompletion, InboundCompletionResult, InboundRecord, MessengerInboxStore } from "./messenger-inbox.ts";
export type { MessengerOutboxStore, OutboxRecord } from "./messenger-outbox.ts";
export type { SettingsStore } from "./settings.ts";
export type { LiveChatSignal, SignalStore } from "./signals.ts";
export type { LiveChatEnd, LiveChatMessage, LiveChatRecord, LiveChatStatus, LiveChatStore } from "./live-chats.ts";

/**
 * A store backend: every role, one object each, from one backend so that an operation spanning
 * roles (a messenger delivery's completion changes conversations, the inbox and the outbox)
 * stays atomic. Services take only the roles they use.
 */
export interface Store {
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
  readonly signals: SignalStore;
  /** Durable deliveries to other systems; stored with the conversation change that makes them. */
  readonly deliveries: DeliveryStore;
  /** Analytics counters per flow version and day, without personal data. */
  readonly analytics: AnalyticsStore;

  /**
   * Waits for every pending write, makes the stored data compact for the next start and
   * releases the store (and its lock). Every later call rejects with `store-closed`. The
   * runtime calls it on graceful shutdown.
   */
  close(): Promise<void>;
}
