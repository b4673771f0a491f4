/**
 * A `ConversationStore` that keeps everything in memory, for tests and previews. It keeps the
 * same rules as the lowdb store (both share `StoreState`); "durable" here means "applied".
 */
import type {
  ConversationRecord,
  ConversationStore,
  FlowVersionRecord,
  InboundCompletion,
  InboundCompletionResult,
  InboundRecord,
  NewConversationRecord,
  OutboxRecord,
} from "./conversation-store.ts";
import { StoreError } from "./store-error.ts";
import { emptyMeta, StoreState } from "./store-state.ts";

export class MemoryStore implements ConversationStore {
  readonly #state = new StoreState([new Map()], emptyMeta());
  #closed = false;

  #open(): StoreState {
    if (this.#closed) throw new StoreError("store-closed", "the memory store is closed");
    return this.#state;
  }

  async createConversation(record: NewConversationRecord): Promise<void> {
    if (!this.#open().create(record)) {
      throw new StoreError("conversation-exists", `conversation ${record.id} exists already`);
    }
  }

  async getConversation(id: string): Promise<ConversationRecord | undefined> {
    return this.#open().conversation(id);
  }

  async updateConversation(next: ConversationRecord): Promise<boolean> {
    return this.#open().update(next) !== undefined;
  }

  async deleteConversation(id: string): Promise<boolean> {
    return this.#open().delete(id) !== undefined;
  }

  async findByChannelUser(channel: string, channelUser: string): Promise<ConversationRecord | undefined> {
    return this.#open().findByChannelUser(channel, channelUser);
  }

  async deleteExpired(now: string, limit = Number.POSITIVE_INFINITY): Promise<string[]> {
    const state = this.#open();
    const ids = state.expired(now, limit);
    for (const id of ids) state.delete(id);
    return ids;
  }

  async publishFlowVersion(record: FlowVersionRecord): Promise<void> {
    this.#open().publish(record);
  }

  async getFlowVersion(flow: string, version: string): Promise<FlowVersionRecord | undefined> {
    return this.#open().flowVersion(flow, version);
  }

  async currentFlowVersion(flow: string): Promise<FlowVersionRecord | undefined> {
    return this.#open().currentFlowVersion(flow);
  }

  async listFlows(): Promise<string[]> {
    return this.#open().flows();
  }

  async getSetting(key: string): Promise<string | undefined> {
    return this.#open().setting(key);
  }

  async putSetting(key: string, value: string): Promise<void> {
    this.#open().putSetting(key, value);
  }

  async acceptInbound(record: InboundRecord): Promise<boolean> {
    return this.#open().acceptInbound(record) !== undefined;
  }

  async pendingInbound(): Promise<InboundRecord[]> {
    return this.#open().pendingInbound();
  }

  async completeInbound(completion: InboundCompletion): Promise<InboundCompletionResult> {
    const change = this.#open().completeInbound(completion);
    return typeof change === "string" ? change : "completed";
  }

  async pendingOutbox(): Promise<OutboxRecord[]> {
    return this.#open().pendingOutbox();
  }

  async rescheduleOutbox(id: string, attempts: number, nextAttemptAt: string): Promise<boolean> {
    return this.#open().rescheduleOutbox(id, attempts, nextAttemptAt) !== undefined;
  }

  async finishOutbox(id: string): Promise<boolean> {
    return this.#open().finishOutbox(id) !== undefined;
  }

  async claimOutbox(id: string, owner: string, now: string, until: string): Promise<boolean> {
    return this.#open().claimOutbox(id, owner, now, until);
  }

  async purgeInbox(before: string): Promise<number> {
    const change = this.#open().purgeInbox(before);
    return change?.op === "purge-inbox" ? change.entries.length : 0;
  }

  async close(): Promise<void> {
    this.#closed = true;
  }
}
