/**
 * The port's methods over a `StoreState`, shared by the single-process stores: the memory
 * store (a change is durable once applied) and the lowdb store (a change is durable once its
 * journal round is synced). A subclass says how a change becomes durable and when the state
 * may be used; every rule lives in `StoreState`.
 */
import type {
  ConversationRecord,
  Store,
  FlowVersionRecord,
  InboundCompletion,
  InboundCompletionResult,
  InboundRecord,
  NewConversationRecord,
  OutboxRecord,
} from "../ports/store.ts";
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

  async createConversation(record: NewConversationRecord): Promise<void> {
    if (!(await this.#commitIf(this.usable().create(record)))) {
      throw new StoreError("conversation-exists", `conversation ${record.id} exists already`);
    }
  }

  async getConversation(id: string): Promise<ConversationRecord | undefined> {
    return this.usable().conversation(id);
  }

  updateConversation(next: ConversationRecord): Promise<boolean> {
    return this.#commitIf(this.usable().update(next));
  }

  deleteConversation(id: string): Promise<boolean> {
    return this.#commitIf(this.usable().delete(id));
  }

  async findByChannelUser(channel: string, channelUser: string): Promise<ConversationRecord | undefined> {
    return this.usable().findByChannelUser(channel, channelUser);
  }

  async deleteExpired(now: string, limit = Number.POSITIVE_INFINITY): Promise<string[]> {
    const state = this.usable();
    const ids = state.expired(now, limit);
    await Promise.all(ids.map((id) => this.#commitIf(state.delete(id))));
    return ids;
  }

  async publishFlowVersion(record: FlowVersionRecord): Promise<void> {
    await this.commit(this.usable().publish(record));
  }

  async getFlowVersion(flow: string, version: string): Promise<FlowVersionRecord | undefined> {
    return this.usable().flowVersion(flow, version);
  }

  async currentFlowVersion(flow: string): Promise<FlowVersionRecord | undefined> {
    return this.usable().currentFlowVersion(flow);
  }

  async listFlows(): Promise<string[]> {
    return this.usable().flows();
  }

  async getSetting(key: string): Promise<string | undefined> {
    return this.usable().setting(key);
  }

  async putSetting(key: string, value: string): Promise<void> {
    await this.commit(this.usable().putSetting(key, value));
  }

  acceptInbound(record: InboundRecord): Promise<boolean> {
    return this.#commitIf(this.usable().acceptInbound(record));
  }

  async pendingInbound(): Promise<InboundRecord[]> {
    return this.usable().pendingInbound();
  }

  async completeInbound(completion: InboundCompletion): Promise<InboundCompletionResult> {
    const change = this.usable().completeInbound(completion);
    if (typeof change === "string") return change;
    await this.commit(change);
    return "completed";
  }

  async pendingOutbox(): Promise<OutboxRecord[]> {
    return this.usable().pendingOutbox();
  }

  rescheduleOutbox(id: string, attempts: number, nextAttemptAt: string): Promise<boolean> {
    return this.#commitIf(this.usable().rescheduleOutbox(id, attempts, nextAttemptAt));
  }

  finishOutbox(id: string): Promise<boolean> {
    return this.#commitIf(this.usable().finishOutbox(id));
  }

  async claimOutbox(id: string, owner: string, now: string, until: string): Promise<boolean> {
    // In memory only: one process owns a single-process store, so no other can hold a claim.
    return this.usable().claimOutbox(id, owner, now, until);
  }

  async purgeInbox(before: string): Promise<number> {
    const change = this.usable().purgeInbox(before);
    if (change?.op !== "purge-inbox") return 0;
    await this.commit(change);
    return change.entries.length;
  }
}
