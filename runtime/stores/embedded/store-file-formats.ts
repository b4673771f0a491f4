/**
 * The lowdb store's file formats: conversation shards and the meta file (compact JSON, written
 * whole) and journal lines (one `StoreChange` per line). Reading checks the shape of every
 * record, so a damaged or hand-edited file stops the start with `store-corrupt` instead of
 * surfacing later as a strange bug.
 */
import type { ConversationRecord, FlowVersionRecord, InboundRecord, OutboxRecord } from "../ports/store.ts";
import type { JsonFileCodec } from "./durable-json-file.ts";
import type { ConversationShard, FlowHistory, InboxEntry, RecordValue, RecordWrite, StoreChange, StoreMeta } from "./store-state.ts";

/** Bumped when a file's shape changes, so an older runtime refuses files it cannot read. */
const formatVersion = 1;

export interface MetaFile {
  /** Fixed when the data directory is created: ids map to shards by `shardIndex(id, shardCount)`. */
  shardCount: number;
  meta: StoreMeta;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isString(value: unknown): value is string {
  return typeof value === "string";
}

function expect(condition: boolean, what: string): asserts condition {
  if (!condition) throw new Error(`expected ${what}`);
}

function conversationRecord(value: unknown): ConversationRecord {
  expect(isObject(value), "a conversation object");
  const { id, tokenHash, flow, version, sealedState, channel, channelUser, revision, lastActivityAt, expiresAt } =
    value;
  expect(
    isString(id) &&
      isString(tokenHash) &&
      isString(flow) &&
      isString(version) &&
      isString(sealedState) &&
      isString(channel) &&
      (channelUser === undefined || isString(channelUser)) &&
      Number.isSafeInteger(revision) &&
      isString(lastActivityAt) &&
      isString(expiresAt),
    `conversation fields of the right types${isString(id) ? ` in ${id}` : ""}`,
  );
  const record: ConversationRecord = {
    id,
    tokenHash,
    flow,
    version,
    sealedState,
    channel,
    revision: Number(revision),
    lastActivityAt,
    expiresAt,
  };
  if (channelUser !== undefined) record.channelUser = channelUser;
  return record;
}

function flowVersionRecord(value: unknown): FlowVersionRecord {
  expect(isObject(value), "a flow version object");
  const { flow, version, yaml, publishedAt, knowledgeBases } = value;
  expect(isString(flow) && isString(version) && isString(yaml) && isString(publishedAt), "flow version fields");
  if (knowledgeBases === undefined) return { flow, version, yaml, publishedAt };
  expect(isObject(knowledgeBases) && Object.values(knowledgeBases).every(isString), "a flow version's knowledge bases");
  return { flow, version, yaml, publishedAt, knowledgeBases: { ...(knowledgeBases as Record<string, string>) } };
}

function inboundRecord(value: unknown): InboundRecord {
  expect(isObject(value), "an inbound object");
  const { channel, key, conversationKey, order, sealedDelivery, receivedAt } = value;
  expect(
    isString(channel) && isString(key) && isString(conversationKey) && typeof order === "number" && isString(sealedDelivery) && isString(receivedAt),
    "inbound fields of the right types",
  );
  return { channel, key, conversationKey, order, sealedDelivery, receivedAt };
}

function inboxEntry(value: unknown): InboxEntry {
  expect(isObject(value) && isString(value.channel) && isString(value.key) && isString(value.receivedAt), "an inbox entry");
  const entry: InboxEntry = { channel: value.channel, key: value.key, receivedAt: value.receivedAt };
  if (value.pending !== undefined) entry.pending = inboundRecord(value.pending);
  return entry;
}

function outboxRecord(value: unknown): OutboxRecord {
  expect(isObject(value), "an outbox object");
  const { id, channel, conversationKey, sequence, sealedCall, attempts, nextAttemptAt, notAfter } = value;
  expect(
    isString(id) &&
      isString(channel) &&
      isString(conversationKey) &&
      Number.isSafeInteger(sequence) &&
      isString(sealedCall) &&
      Number.isSafeInteger(attempts) &&
      isString(nextAttemptAt) &&
      (notAfter === undefined || isString(notAfter)),
    "outbox fields of the right types",
  );
  const record: OutboxRecord = { id, channel, conversationKey, sequence: Number(sequence), sealedCall, attempts: Number(attempts), nextAttemptAt };
  if (notAfter !== undefined) record.notAfter = notAfter;
  return record;
}

function recordCollection(value: unknown): [string, Map<string, RecordValue>] {
  expect(isObject(value) && isString(value.collection) && Array.isArray(value.entries), "a record collection");
  const entries = value.entries.map((entry): [string, RecordValue] => {
    expect(Array.isArray(entry) && entry.length === 2 && isString(entry[0]), `a keyed record in ${value.collection}`);
    return [entry[0], entry[1] as RecordValue];
  });
  return [value.collection, new Map(entries)];
}

function recordWrite(value: unknown): RecordWrite {
  expect(isObject(value) && isString(value.collection) && isString(value.key), "a record write");
  if (value.delete === true) return { collection: value.collection, key: value.key, delete: true };
  expect("value" in value, "a record value");
  return { collection: value.collection, key: value.key, value: value.value as RecordValue };
}

function recordWrites(value: unknown): RecordWrite[] {
  expect(Array.isArray(value), "record writes");
  return value.map((write) => recordWrite(write));
}

function document(text: string): Json {
  const parsed: unknown = JSON.parse(text);
  expect(isObject(parsed), "a JSON object");
  expect(parsed.format === formatVersion, `format ${formatVersion}, found ${String(parsed.format)}`);
  return parsed;
}

export const shardFileCodec: JsonFileCodec<ConversationShard> = {
  serialize: (shard) => JSON.stringify({ format: formatVersion, conversations: [...shard.values()] }),
  deserialize(text) {
    const { conversations } = document(text);
    expect(Array.isArray(conversations), "a conversations array");
    return new Map(conversations.map((value) => conversationRecord(value)).map((record) => [record.id, record]));
  },
};

export const metaFileCodec: JsonFileCodec<MetaFile> = {
  serialize: ({ shardCount, meta }) =>
    JSON.stringify({
      format: formatVersion,
      shardCount,
      flows: [...meta.flows].map(([flow, history]) => ({
        flow,
        current: history.current,
        versions: [...history.versions.values()],
      })),
      settings: Object.fromEntries(meta.settings),
      inbox: [...meta.inbox.values()],
      outbox: [...meta.outbox.values()],
      records: [...meta.records].map(([collection, entries]) => ({ collection, entries: [...entries] })),
    }),
  deserialize(text) {
    const { shardCount, flows, settings, inbox = [], outbox = [], records = [] } = document(text);
    // Files written before the record collections existed have none.
    expect(Array.isArray(records), "a records array");
    // Files written before messenger channels existed have neither list.
    expect(Array.isArray(inbox) && Array.isArray(outbox), "inbox and outbox arrays");
    expect(Number.isSafeInteger(shardCount) && Number(shardCount) > 0, "a positive shardCount");
    expect(Array.isArray(flows), "a flows array");
    expect(isObject(settings), "a settings object");
    const settingEntries = Object.entries(settings).map(([key, value]): [string, string] => {
      expect(isString(value), `a string value for setting ${key}`);
      return [key, value];
    });
    const histories = flows.map((value): [string, FlowHistory] => {
      expect(isObject(value) && isString(value.flow) && isString(value.current), "a flow with its current version");
      expect(Array.isArray(value.versions), "a versions array");
      const versions = new Map(value.versions.map((entry) => flowVersionRecord(entry)).map((v) => [v.version, v]));
      expect(versions.has(value.current), `the current version of ${value.flow} among its versions`);
      return [value.flow, { current: value.current, versions }];
    });
    return {
      shardCount: Number(shardCount),
      meta: {
        flows: new Map(histories),
        settings: new Map(settingEntries),
        inbox: new Map(inbox.map((value) => inboxEntry(value)).map((entry) => [`${entry.channel}\u0000${entry.key}`, entry])),
        outbox: new Map(outbox.map((value) => outboxRecord(value)).map((record) => [record.id, record])),
        records: new Map(records.map((value) => recordCollection(value))),
      },
    };
  },
};

export function serializeChange(change: StoreChange): string {
  return JSON.stringify(change);
}

export function parseChange(line: string): StoreChange {
  const value: unknown = JSON.parse(line);
  expect(isObject(value), "a change object");
  switch (value.op) {
    case "put-conversation": {
      const change: StoreChange = { op: "put-conversation", record: conversationRecord(value.record) };
      if (value.writes !== undefined) change.writes = recordWrites(value.writes);
      return change;
    }
    case "delete-conversation":
      expect(isString(value.id), "the id of the deleted conversation");
      return { op: "delete-conversation", id: value.id };
    case "publish-flow":
      return { op: "publish-flow", record: flowVersionRecord(value.record) };
    case "put-setting":
      expect(isString(value.key) && isString(value.value), "a setting key and value");
      return { op: "put-setting", key: value.key, value: value.value };
    case "accept-inbound":
      return { op: "accept-inbound", record: inboundRecord(value.record) };
    case "complete-inbound": {
      expect(isString(value.channel) && isString(value.key), "the completed delivery's channel and key");
      expect(Array.isArray(value.conversations) && Array.isArray(value.outbox), "conversation changes and outbox entries");
      const conversations = value.conversations.map((part) => {
        const parsed = parseChange(JSON.stringify(part));
        expect(parsed.op === "put-conversation" || parsed.op === "delete-conversation", "a conversation change");
        return parsed;
      });
      const change: StoreChange = { op: "complete-inbound", channel: value.channel, key: value.key, conversations, outbox: value.outbox.map((entry) => outboxRecord(entry)) };
      if (value.dropOutbox !== undefined) {
        expect(Array.isArray(value.dropOutbox) && value.dropOutbox.every(isString), "the ids of dropped outbox entries");
        change.dropOutbox = value.dropOutbox;
      }
      if (value.writes !== undefined) change.writes = recordWrites(value.writes);
      return change;
    }
    case "add-outbox":
      expect(Array.isArray(value.outbox), "added outbox entries");
      return { op: "add-outbox", outbox: value.outbox.map((entry) => outboxRecord(entry)) };
    case "reschedule-outbox":
      expect(isString(value.id) && Number.isSafeInteger(value.attempts) && isString(value.nextAttemptAt), "an outbox reschedule");
      return { op: "reschedule-outbox", id: value.id, attempts: Number(value.attempts), nextAttemptAt: value.nextAttemptAt };
    case "finish-outbox":
      expect(isString(value.id), "the finished outbox id");
      return { op: "finish-outbox", id: value.id };
    case "purge-inbox": {
      expect(Array.isArray(value.entries), "purged inbox entries");
      const entries = value.entries.map((entry) => {
        expect(isObject(entry) && isString(entry.channel) && isString(entry.key), "a purged inbox entry");
        return { channel: entry.channel, key: entry.key };
      });
      return { op: "purge-inbox", entries };
    }
    case "write-records":
      return { op: "write-records", writes: recordWrites(value.writes) };
    default:
      throw new Error(`unknown change ${String(value.op)}`);
  }
}
