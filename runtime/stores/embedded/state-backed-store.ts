/**
 * The port's methods over a `StoreState` and a `KeyVault`, shared by the single-process stores:
 * the memory store (a change is durable once applied) and the lowdb store (a change is durable
 * once its journal round is synced; a key once its key file is). A subclass says how a change
 * becomes durable and when the state may be used; every rule lives in `StoreState`, apart from
 * erasure, which spans the state and the vault and lives here.
 */
import type { DataKeyStore } from "../ports/data-keys.ts";
import type {
  AccountStore,
  ApiTokenStore,
  AuditTrailStore,
  ProofLedgerStore,
  PrivacyDeskStore,
  ConversationStore,
  FlowVersionStore,
  MessengerInboxStore,
  MessengerOutboxStore,
  OneTimeLinkStore,
  PublishRequestStore,
  SessionStore,
  SettingsStore,
  SignInAttemptStore,
  Store,
  UnansweredQuestionStore,
  LiveChatStore,
} from "../ports/store.ts";
import type { EmbeddedRecords } from "./embedded-records.ts";
import { erasureDigest, type KeyVault } from "./key-vault.ts";
import { embeddedAccounts } from "./accounts.ts";
import { embeddedApiTokens } from "./api-tokens.ts";
import { embeddedAuditTrail } from "./audit-trail.ts";
import { embeddedProofLedger } from "./proof-ledger.ts";
import { embeddedPrivacyDesk } from "./privacy-desk.ts";
import { embeddedOneTimeLinks } from "./one-time-links.ts";
import { embeddedPublishRequests } from "./publish-requests.ts";
import { embeddedSessions } from "./sessions.ts";
import { embeddedSignInAttempts } from "./sign-in-attempts.ts";
import { embeddedUnansweredQuestions } from "./unanswered-questions.ts";
import { embeddedLiveChats } from "./live-chats.ts";
import { LocalSignals, type SignalStore } from "../ports/signals.ts";
import { deliveryWrites, embeddedDeliveries, erasedDeliveryWrites } from "./deliveries.ts";
import { embeddedAnalytics } from "./analytics.ts";
import type { AnalyticsStore } from "../ports/analytics.ts";
import type { DeliveryStore } from "../ports/deliveries.ts";
import { StoreError } from "../ports/store-error.ts";
import type { StoreChange, StoreState } from "./store-state.ts";

export abstract class StateBackedStore implements Store {
  /** The state, or a `StoreError` when the store is closed or has failed. */
  protected abstract usable(): StoreState;

  /** The data keys; called only after `usable()` passed. */
  protected abstract keyVault(): KeyVault;

  /** Makes a change the state has applied durable; resolves once it is. */
  protected abstract commit(change: StoreChange): Promise<void>;

  abstract close(): Promise<void>;

  /** Commits `change` when there is one; tells whether there was. */
  async #commitIf(change: StoreChange | undefined): Promise<boolean> {
    if (!change) return false;
    await this.commit(change);
    return true;
  }

  /**
   * Erases conversations and destroys data keys of the given ids (docs/privacy.md#erasure-by-destroying-keys):
   * both leave memory at once; the keys' files are rewritten first and only then is the deletion
   * journaled, so a crash in between leaves a conversation nobody can open, never a key that
   * still opens the states the journal holds. `applied` is a change the state has applied
   * already that does the deleting, with the conversations it deleted; without it each id is
   * deleted here. Resolves with the ids that had a conversation or a key and the ids that had a
   * conversation (they are logged).
   */
  async #erase(ids: readonly string[], applied?: { change: StoreChange; conversations: string[] }): Promise<{ erased: string[]; conversations: string[] }> {
    const state = this.usable();
    const vault = this.keyVault();
    const unique = [...new Set(ids)];
    const deletions: StoreChange[] = applied ? [applied.change] : [];
    const conversations: string[] = applied ? applied.conversations : [];
    if (!applied) {
      for (const id of unique) {
        const change = state.delete(id);
        if (!change) continue;
        deletions.push(change);
        conversations.push(id);
      }
    }
    const erased = unique.filter((id) => conversations.includes(id) || vault.get(id) !== undefined);
    // Their deliveries go with them (those that survive erasure stay), journaled with the deletions.
    const cancelled = erasedDeliveryWrites(this.records, erased);
    if (cancelled.length > 0) deletions.push(state.writeRecords(cancelled));
    if (erased.length > 0) await vault.destroy(erased, conversations);
    await Promise.all(deletions.map((change) => this.commit(change)));
    return { erased, conversations };
  }

  readonly dataKeys: DataKeyStore = {
    create: async (record) => {
      this.usable();
      return this.keyVault().create({ ...record });
    },
    get: async (id) => {
      this.usable();
      const record = this.keyVault().get(id);
      return record && { ...record };
    },
    list: async (kind) => {
      this.usable();
      return this.keyVault()
        .list(kind)
        .map((record) => ({ ...record }));
    },
    destroy: async (ids) => {
      await this.#erase(ids);
    },
    erasures: async () => {
      this.usable();
      return this.keyVault().erasures();
    },
    reapply: async (digests) => {
      const state = this.usable();
      const wanted = new Set(digests);
      const ids = [...state.conversationIds(), ...this.keyVault().ids()].filter((id) => wanted.has(erasureDigest(id)));
      return (await this.#erase(ids)).erased.length;
    },
  };

  /** Keyed JSON records for the roles built on them (see `embedded-records.ts`). */
  protected readonly records: EmbeddedRecords = {
    get: (collection, key) => this.usable().record(collection, key),
    all: (collection) => this.usable().records(collection),
    write: async (writes) => {
      if (writes.length > 0) await this.commit(this.usable().writeRecords(writes));
    },
  };

  readonly accounts: AccountStore = embeddedAccounts(this.records);
  readonly sessions: SessionStore = embeddedSessions(this.records);
  readonly oneTimeLinks: OneTimeLinkStore = embeddedOneTimeLinks(this.records);
  readonly apiTokens: ApiTokenStore = embeddedApiTokens(this.records);
  readonly auditTrail: AuditTrailStore = embeddedAuditTrail(this.records);
  readonly proofLedger: ProofLedgerStore = embeddedProofLedger(this.records);
  readonly privacyDesk: PrivacyDeskStore = embeddedPrivacyDesk(this.records);
  readonly signInAttempts: SignInAttemptStore = embeddedSignInAttempts(this.records);
  readonly publishRequests: PublishRequestStore = embeddedPublishRequests(this.records);
  readonly unansweredQuestions: UnansweredQuestionStore = embeddedUnansweredQuestions(this.records);
  readonly liveChats: LiveChatStore = embeddedLiveChats(this.records);
  readonly signals: SignalStore = new LocalSignals();
  readonly deliveries: DeliveryStore = embeddedDeliveries(this.records);
  readonly analytics: AnalyticsStore = embeddedAnalytics(this.records);

  readonly conversations: ConversationStore = {
    create: async (record, deliveries) => {
      if (!(await this.#commitIf(this.usable().create(record, deliveryWrites(this.records, deliveries))))) {
        throw new StoreError("conversation-exists", `conversation ${record.id} exists already`);
      }
    },
    get: async (id) => this.usable().conversation(id),
    update: (next, deliveries) => this.#commitIf(this.usable().update(next, deliveryWrites(this.records, deliveries))),
    delete: async (id) => (await this.#erase([id])).conversations.length > 0,
    findByChannelUser: async (channel, channelUser) => this.usable().findByChannelUser(channel, channelUser),
    listByFlow: async (flow, after, limit) => this.usable().listByFlow(flow, after, limit),
    deleteExpired: async (now, limit = Number.POSITIVE_INFINITY) => {
      const ids = this.usable().expired(now, limit);
      await this.#erase(ids);
      return ids;
    },
  };

  readonly flowVersions: FlowVersionStore = {
    publish: async (record) => {
      await this.commit(this.usable().publish(record));
    },
    get: async (flow, version) => this.usable().flowVersion(flow, version),
    current: async (flow) => this.usable().currentFlowVersion(flow),
    list: async () => this.usable().flows(),
  };

  readonly settings: SettingsStore = {
    get: async (key) => this.usable().setting(key),
    put: async (key, value) => {
      await this.commit(this.usable().putSetting(key, value));
    },
  };

  readonly inbox: MessengerInboxStore = {
    accept: (record) => this.#commitIf(this.usable().acceptInbound(record)),
    pending: async () => this.usable().pendingInbound(),
    complete: async (completion) => {
      const state = this.usable();
      const deletes = completion.conversation.flatMap((change) => (change.op === "delete" ? [change.id] : []));
      // Which of them exist, asked before the completion applies.
      const existing = deletes.filter((id) => state.conversation(id) !== undefined);
      const change = state.completeInbound(completion, deliveryWrites(this.records, completion.deliveries));
      if (typeof change === "string") return change;
      if (deletes.length === 0) await this.commit(change);
      else await this.#erase(deletes, { change, conversations: existing });
      return "completed";
    },
    purge: async (before) => {
      const change = this.usable().purgeInbox(before);
      if (change?.op !== "purge-inbox") return 0;
      await this.commit(change);
      return change.entries.length;
    },
  };

  readonly outbox: MessengerOutboxStore = {
    pending: async () => this.usable().pendingOutbox(),
    add: async (entries) => {
      const change = this.usable().addOutbox(entries);
      if (change) await this.commit(change);
    },
    reschedule: (id, attempts, nextAttemptAt) => this.#commitIf(this.usable().rescheduleOutbox(id, attempts, nextAttemptAt)),
    finish: (id) => this.#commitIf(this.usable().finishOutbox(id)),
    // In memory only: one process owns a single-process store, so no other can hold a claim.
    claim: async (id, owner, now, until) => this.usable().claimOutbox(id, owner, now, until),
  };
}
