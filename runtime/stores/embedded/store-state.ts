/**
 * The in-memory model both embedded stores share, so that their compare-and-set, indexing and
 * expiry rules cannot drift apart. Every mutation is described by a `StoreChange`: the memory
 * store only applies it, the lowdb store also appends it to its journal and replays it on start.
 */
import type {
  ConversationRecord,
  FlowVersionRecord,
  InboundCompletion,
  InboundCompletionResult,
  InboundRecord,
  NewConversationRecord,
  OutboxRecord,
} from "../ports/store.ts";

/** One mutation, complete in itself, so that replaying a change twice gives the same state. */
export type StoreChange =
  | {
      op: "put-conversation";
      record: ConversationRecord;
      /** Record writes stored with the conversation in the same change (its durable deliveries). */
      writes?: RecordWrite[];
    }
  | { op: "delete-conversation"; id: string }
  | { op: "publish-flow"; record: FlowVersionRecord }
  | { op: "put-setting"; key: string; value: string }
  | { op: "accept-inbound"; record: InboundRecord }
  | {
      op: "complete-inbound";
      channel: string;
      key: string;
      conversations: ({ op: "put-conversation"; record: ConversationRecord } | { op: "delete-conversation"; id: string })[];
      outbox: OutboxRecord[];
      /** Outbox entries removed with the completion: the unsent replies of a user it erased. */
      dropOutbox?: string[];
      /** Record writes stored with the completion (its durable deliveries). */
      writes?: RecordWrite[];
    }
  | { op: "add-outbox"; outbox: OutboxRecord[] }
  | { op: "reschedule-outbox"; id: string; attempts: number; nextAttemptAt: string }
  | { op: "finish-outbox"; id: string }
  | { op: "purge-inbox"; entries: { channel: string; key: string }[] }
  | { op: "write-records"; writes: RecordWrite[] };

/** A JSON value as the embedded record collections keep it. */
export type RecordValue = null | boolean | number | string | RecordValue[] | { [key: string]: RecordValue };

/** One write to a record collection: a value put under a key, or the key removed. */
export type RecordWrite = { collection: string; key: string; value: RecordValue } | { collection: string; key: string; delete: true };

/** A delivery key the store knows: pending (with its record) or processed (key and time only). */
export interface InboxEntry {
  channel: string;
  key: string;
  receivedAt: string;
  pending?: InboundRecord;
}

/** A flow's stored versions and the one most recently published. */
export interface FlowHistory {
  versions: Map<string, FlowVersionRecord>;
  current: string;
}

/** Everything that is not a conversation. */
export interface StoreMeta {
  flows: Map<string, FlowHistory>;
  settings: Map<string, string>;
  /** Messenger delivery keys by `channel\0key`. */
  inbox: Map<string, InboxEntry>;
  /** Messenger replies not yet sent, by id. */
  outbox: Map<string, OutboxRecord>;
  /**
   * Keyed JSON records per collection, for store roles that need nothing more (accounts,
   * sessions, the audit trail, …): each such role is a file in `embedded/` over `EmbeddedRecords`.
   * Insertion order is kept, so append-only logs read back in order.
   */
  records: Map<string, Map<string, RecordValue>>;
}

export type ConversationShard = Map<string, ConversationRecord>;

/** FNV-1a over UTF-16 code units: fast, stable across runs and well spread for random ids. */
export function shardIndex(id: string, shardCount: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % shardCount;
}

function channelUserKey(channel: string, channelUser: string): string {
  return `${channel}\u0000${channelUser}`;
}

function inboxKey(channel: string, key: string): string {
  return `${channel}\u0000${key}`;
}

function copyConversation(record: ConversationRecord): ConversationRecord {
  return { ...record };
}

export function emptyMeta(): StoreMeta {
  return { flows: new Map(), settings: new Map(), inbox: new Map(), outbox: new Map(), records: new Map() };
}

export class StoreState {
  /** Conversations spread over shards by `shardIndex(id)`; the lowdb store writes each shard to its own file. */
  readonly shards: readonly ConversationShard[];
  readonly meta: StoreMeta;
  readonly #byChannelUser = new Map<string, Set<string>>();
  /** Parsed `expiresAt` per id: a sweep over 100k conversations then takes milliseconds, not tens of them. */
  readonly #expiresAt = new Map<string, number>();
  #outboxSequence = 0;

  constructor(shards: readonly ConversationShard[], meta: StoreMeta) {
    if (shards.length === 0) throw new RangeError("a store needs at least one shard");
    this.shards = shards;
    this.meta = meta;
    for (const shard of shards) {
      for (const record of shard.values()) this.#index(record);
    }
    for (const entry of meta.outbox.values()) this.#outboxSequence = Math.max(this.#outboxSequence, entry.sequence);
  }

  shardOf(id: string): number {
    return shardIndex(id, this.shards.length);
  }

  #shard(id: string): ConversationShard {
    const shard = this.shards[this.shardOf(id)];
    if (!shard) throw new RangeError(`no shard for ${id}`);
    return shard;
  }

  #index(record: ConversationRecord): void {
    this.#expiresAt.set(record.id, Date.parse(record.expiresAt));
    if (record.channelUser === undefined) return;
    const key = channelUserKey(record.channel, record.channelUser);
    const ids = this.#byChannelUser.get(key);
    if (ids) ids.add(record.id);
    else this.#byChannelUser.set(key, new Set([record.id]));
  }

  #unindex(record: ConversationRecord): void {
    this.#expiresAt.delete(record.id);
    if (record.channelUser === undefined) return;
    const key = channelUserKey(record.channel, record.channelUser);
    const ids = this.#byChannelUser.get(key);
    ids?.delete(record.id);
    if (ids?.size === 0) this.#byChannelUser.delete(key);
  }

  conversation(id: string): ConversationRecord | undefined {
    const record = this.#shard(id).get(id);
    return record && copyConversation(record);
  }

  /** The change that creates the conversation (with `writes`, if any), or undefined when the id is taken. */
  create(record: NewConversationRecord, writes: RecordWrite[] = []): StoreChange | undefined {
    if (this.#shard(record.id).has(record.id)) return undefined;
    const change: StoreChange = { op: "put-conversation", record: { ...record, revision: 0 }, ...(writes.length > 0 ? { writes } : {}) };
    this.apply(change);
    return change;
  }

  /** The change that stores `next` (with `writes`, if any), or undefined when the compare-and-set fails. */
  update(next: ConversationRecord, writes: RecordWrite[] = []): StoreChange | undefined {
    const stored = this.#shard(next.id).get(next.id);
    if (!stored || stored.revision !== next.revision - 1) return undefined;
    const change: StoreChange = { op: "put-conversation", record: copyConversation(next), ...(writes.length > 0 ? { writes } : {}) };
    this.apply(change);
    return change;
  }

  delete(id: string): StoreChange | undefined {
    if (!this.#shard(id).has(id)) return undefined;
    const change: StoreChange = { op: "delete-conversation", id };
    this.apply(change);
    return change;
  }

  /** Ids of conversations expired at `now`, earliest expiry first. */
  expired(now: string, limit: number): string[] {
    const nowMs = Date.parse(now);
    if (Number.isNaN(nowMs)) throw new RangeError(`not an ISO time: ${now}`);
    const due: { id: string; at: number }[] = [];
    for (const [id, at] of this.#expiresAt) {
      if (at <= nowMs) due.push({ id, at });
    }
    due.sort((a, b) => a.at - b.at);
    return due.slice(0, limit).map((entry) => entry.id);
  }

  /** Whether a conversation with this id is stored (no copy made). */
  has(id: string): boolean {
    return this.#shard(id).has(id);
  }

  /** Every stored conversation's id. */
  *conversationIds(): Iterable<string> {
    for (const shard of this.shards) yield* shard.keys();
  }

  /** A page of a flow's conversations by id (see the port); a full scan, kept for exports. */
  listByFlow(flow: string, after: string | undefined, limit: number): ConversationRecord[] {
    const found: ConversationRecord[] = [];
    for (const shard of this.shards) {
      for (const record of shard.values()) if (record.flow === flow && (after === undefined || record.id > after)) found.push(record);
    }
    found.sort((a, b) => (a.id < b.id ? -1 : 1));
    return found.slice(0, limit).map(copyConversation);
  }

  findByChannelUser(channel: string, channelUser: string): ConversationRecord | undefined {
    let latest: ConversationRecord | undefined;
    for (const id of this.#byChannelUser.get(channelUserKey(channel, channelUser)) ?? []) {
      const record = this.#shard(id).get(id);
      if (record && (!latest || Date.parse(record.lastActivityAt) > Date.parse(latest.lastActivityAt))) latest = record;
    }
    return latest && copyConversation(latest);
  }

  publish(record: FlowVersionRecord): StoreChange {
    const change: StoreChange = { op: "publish-flow", record: { ...record } };
    this.apply(change);
    return change;
  }

  flowVersion(flow: string, version: string): FlowVersionRecord | undefined {
    const stored = this.meta.flows.get(flow)?.versions.get(version);
    return stored && { ...stored };
  }

  currentFlowVersion(flow: string): FlowVersionRecord | undefined {
    const history = this.meta.flows.get(flow);
    return history && this.flowVersion(flow, history.current);
  }

  flows(): string[] {
    return [...this.meta.flows.keys()].sort();
  }

  setting(key: string): string | undefined {
    return this.meta.settings.get(key);
  }

  putSetting(key: string, value: string): StoreChange {
    const change: StoreChange = { op: "put-setting", key, value };
    this.apply(change);
    return change;
  }

  /** The change that accepts a delivery, or undefined when its key is known already. */
  acceptInbound(record: InboundRecord): StoreChange | undefined {
    if (this.meta.inbox.has(inboxKey(record.channel, record.key))) return undefined;
    const change: StoreChange = { op: "accept-inbound", record: { ...record } };
    this.apply(change);
    return change;
  }

  pendingInbound(): InboundRecord[] {
    const pending: InboundRecord[] = [];
    for (const entry of this.meta.inbox.values()) if (entry.pending) pending.push({ ...entry.pending });
    return pending.sort(
      (a, b) =>
        (a.conversationKey < b.conversationKey ? -1 : a.conversationKey > b.conversationKey ? 1 : 0) ||
        a.order - b.order ||
        Date.parse(a.receivedAt) - Date.parse(b.receivedAt),
    );
  }

  /** The change that completes a delivery, or the reason why there is none; checks every part before applying any. */
  completeInbound(completion: InboundCompletion, writes: RecordWrite[] = []): StoreChange | Exclude<InboundCompletionResult, "completed"> {
    const pending = this.meta.inbox.get(inboxKey(completion.channel, completion.key))?.pending;
    if (!pending) return "not-pending";
    // Checked against the state as the earlier changes of this completion leave it.
    const exists = new Map<string, number | undefined>();
    const stored = (id: string) => (exists.has(id) ? exists.get(id) : this.#shard(id).get(id)?.revision);
    const conversations: Extract<StoreChange, { op: "complete-inbound" }>["conversations"] = [];
    for (const change of completion.conversation) {
      if (change.op === "create") {
        if (stored(change.record.id) !== undefined) return "conflict";
        exists.set(change.record.id, 0);
        conversations.push({ op: "put-conversation", record: { ...change.record, revision: 0 } });
      } else if (change.op === "update") {
        if (stored(change.record.id) !== change.record.revision - 1) return "conflict";
        exists.set(change.record.id, change.record.revision);
        conversations.push({ op: "put-conversation", record: copyConversation(change.record) });
      } else {
        exists.set(change.id, undefined);
        conversations.push({ op: "delete-conversation", id: change.id });
      }
    }
    const dropOutbox = completion.erasesUser
      ? [...this.meta.outbox.values()].filter((entry) => entry.channel === pending.channel && entry.conversationKey === pending.conversationKey).map((entry) => entry.id)
      : [];
    const outbox = completion.outbox.map((entry) => ({ ...entry, sequence: ++this.#outboxSequence }));
    const change: StoreChange = {
      op: "complete-inbound",
      channel: completion.channel,
      key: completion.key,
      conversations,
      outbox,
      ...(dropOutbox.length > 0 ? { dropOutbox } : {}),
      ...(writes.length > 0 ? { writes } : {}),
    };
    this.apply(change);
    return change;
  }

  /** Outbox claims: in memory only, because one process owns a single-process store. */
  readonly #claims = new Map<string, { owner: string; until: number }>();

  claimOutbox(id: string, owner: string, now: string, until: string): boolean {
    if (!this.meta.outbox.has(id)) return false;
    const held = this.#claims.get(id);
    if (held && held.owner !== owner && held.until > Date.parse(now)) return false;
    this.#claims.set(id, { owner, until: Date.parse(until) });
    return true;
  }

  pendingOutbox(): OutboxRecord[] {
    return [...this.meta.outbox.values()].map((entry) => ({ ...entry })).sort((a, b) => a.sequence - b.sequence);
  }

  addOutbox(entries: readonly Omit<OutboxRecord, "sequence">[]): StoreChange | undefined {
    if (entries.length === 0) return undefined;
    for (const entry of entries) if (this.meta.outbox.has(entry.id)) throw new RangeError(`outbox entry ${entry.id} exists already`);
    const change: StoreChange = { op: "add-outbox", outbox: entries.map((entry) => ({ ...entry, sequence: ++this.#outboxSequence })) };
    this.apply(change);
    return change;
  }

  rescheduleOutbox(id: string, attempts: number, nextAttemptAt: string): StoreChange | undefined {
    if (!this.meta.outbox.has(id)) return undefined;
    const change: StoreChange = { op: "reschedule-outbox", id, attempts, nextAttemptAt };
    this.apply(change);
    return change;
  }

  finishOutbox(id: string): StoreChange | undefined {
    if (!this.meta.outbox.has(id)) return undefined;
    const change: StoreChange = { op: "finish-outbox", id };
    this.apply(change);
    return change;
  }

  purgeInbox(before: string): StoreChange | undefined {
    const limit = Date.parse(before);
    if (Number.isNaN(limit)) throw new RangeError(`not an ISO time: ${before}`);
    const entries: { channel: string; key: string }[] = [];
    for (const entry of this.meta.inbox.values()) {
      if (!entry.pending && Date.parse(entry.receivedAt) < limit) entries.push({ channel: entry.channel, key: entry.key });
    }
    if (entries.length === 0) return undefined;
    const change: StoreChange = { op: "purge-inbox", entries };
    this.apply(change);
    return change;
  }

  record(collection: string, key: string): RecordValue | undefined {
    return this.meta.records.get(collection)?.get(key);
  }

  records(collection: string): ReadonlyMap<string, RecordValue> {
    return this.meta.records.get(collection) ?? new Map();
  }

  writeRecords(writes: RecordWrite[]): StoreChange {
    const change: StoreChange = { op: "write-records", writes };
    this.apply(change);
    return change;
  }

  /** Applies a change without checks: the checks ran when it was made; replay only repeats it. */
  apply(change: StoreChange): void {
    switch (change.op) {
      case "put-conversation": {
        const shard = this.#shard(change.record.id);
        const previous = shard.get(change.record.id);
        if (previous) this.#unindex(previous);
        shard.set(change.record.id, change.record);
        this.#index(change.record);
        if (change.writes) this.apply({ op: "write-records", writes: change.writes });
        return;
      }
      case "delete-conversation": {
        const shard = this.#shard(change.id);
        const previous = shard.get(change.id);
        if (previous) this.#unindex(previous);
        shard.delete(change.id);
        return;
      }
      case "publish-flow": {
        const { flow, version } = change.record;
        const history = this.meta.flows.get(flow);
        if (!history) {
          this.meta.flows.set(flow, { versions: new Map([[version, change.record]]), current: version });
          return;
        }
        if (!history.versions.has(version)) history.versions.set(version, change.record);
        history.current = version;
        return;
      }
      case "put-setting":
        this.meta.settings.set(change.key, change.value);
        return;
      case "accept-inbound": {
        const { channel, key, receivedAt } = change.record;
        this.meta.inbox.set(inboxKey(channel, key), { channel, key, receivedAt, pending: change.record });
        return;
      }
      case "complete-inbound": {
        const id = inboxKey(change.channel, change.key);
        const entry = this.meta.inbox.get(id);
        if (entry) this.meta.inbox.set(id, { channel: entry.channel, key: entry.key, receivedAt: entry.receivedAt });
        for (const conversation of change.conversations) this.apply(conversation);
        for (const id of change.dropOutbox ?? []) {
          this.meta.outbox.delete(id);
          this.#claims.delete(id);
        }
        for (const record of change.outbox) {
          this.meta.outbox.set(record.id, record);
          this.#outboxSequence = Math.max(this.#outboxSequence, record.sequence);
        }
        if (change.writes) this.apply({ op: "write-records", writes: change.writes });
        return;
      }
      case "add-outbox":
        for (const record of change.outbox) {
          this.meta.outbox.set(record.id, record);
          this.#outboxSequence = Math.max(this.#outboxSequence, record.sequence);
        }
        return;
      case "reschedule-outbox": {
        const entry = this.meta.outbox.get(change.id);
        if (entry) this.meta.outbox.set(change.id, { ...entry, attempts: change.attempts, nextAttemptAt: change.nextAttemptAt });
        return;
      }
      case "finish-outbox":
        this.meta.outbox.delete(change.id);
        this.#claims.delete(change.id);
        return;
      case "purge-inbox":
        for (const entry of change.entries) this.meta.inbox.delete(inboxKey(entry.channel, entry.key));
        return;
      case "write-records":
        for (const write of change.writes) {
          let collection = this.meta.records.get(write.collection);
          if ("delete" in write) {
            collection?.delete(write.key);
            continue;
          }
          if (!collection) {
            collection = new Map();
            this.meta.records.set(write.collection, collection);
          }
          collection.set(write.key, write.value);
        }
        return;
    }
  }
}
