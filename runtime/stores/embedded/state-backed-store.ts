/**
 * The port's methods over a `StoreState`, shared by the single-process stores: the memory
 * store (a change is durable once applied) and the lowdb store (a change is durable once its
 * journal round is synced). A subclass says how a change becomes durable and when the state
 * may be used; every rule lives in `StoreState`.
 */
import type {
  AccountStore,
  ApiTokenStore,
  AuditTrailStore,
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
} from "../ports/store.ts";
import type { EmbeddedRecords } from "./embedded-records.ts";
import { embeddedAccounts } from "./accounts.ts";
import { embeddedApiTokens } from "./api-tokens.ts";
import { embeddedAuditTrail } from "./audit-trail.ts";
import { embeddedOneTimeLinks } from "./one-time-links.ts";
import { embeddedPublishRequests } from "./publish-requests.ts";
import { embeddedSessions } from "./sessions.ts";
import { embeddedSignInAttempts } from "./sign-in-attempts.ts";
import { StoreError } from "../ports/store-error.ts";
import type { StoreChange, StoreState } from "./store-state.ts";

export abstract class StateBackedStore implements Store {
  /** The state, or a `StoreError` when the store is closed or has failed. */
  protected abstract usable(): StoreState;

  /** Makes a change the state has applied durable; resolves once it is. */
  protected abstract commit(change: StoreChange): Promise<void>;

  abstract close(): Promise<void>;

  /** Commits `change` when there is one; tells whether there was. */
  async #commitIf(change: StoreChange | undefined): Promise<boolean> {
    if (!change) return false;
    await this.commit(change);
    return true;
  }

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
  readonly signInAttempts: SignInAttemptStore = embeddedSignInAttempts(this.records);
  readonly publishRequests: PublishRequestStore = embeddedPublishRequests(this.records);

  readonly conversations: ConversationStore = {
    create: async (record) => {
      if (!(await this.#commitIf(this.usable().create(record)))) {
        throw new StoreError("conversation-exists", `conversation ${record.id} exists already`);
      }
    },
    get: async (id) => this.usable().conversation(id),
    update: (next) => this.#commitIf(this.usable().update(next)),
    delete: (id) => this.#commitIf(this.usable().delete(id)),
    findByChannelUser: async (channel, channelUser) => this.usable().findByChannelUser(channel, channelUser),
    deleteExpired: async (now, limit = Number.POSITIVE_INFINITY) => {
      const state = this.usable();
      const ids = state.expired(now, limit);
      await Promise.all(ids.map((id) => this.#commitIf(state.delete(id))));
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
      const change = this.usable().completeInbound(completion);
      if (typeof change === "string") return change;
      await this.commit(change);
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
    reschedule: (id, attempts, nextAttemptAt) => this.#commitIf(this.usable().rescheduleOutbox(id, attempts, nextAttemptAt)),
    finish: (id) => this.#commitIf(this.usable().finishOutbox(id)),
    // In memory only: one process owns a single-process store, so no other can hold a claim.
    claim: async (id, owner, now, until) => this.usable().claimOutbox(id, owner, now, until),
  };
}
