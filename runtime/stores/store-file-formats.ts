/**
 * The lowdb store's file formats: conversation shards and the meta file (compact JSON, written
 * whole) and journal lines (one `StoreChange` per line). Reading checks the shape of every
 * record, so a damaged or hand-edited file stops the start with `store-corrupt` instead of
 * surfacing later as a strange bug.
 */
import type { ConversationRecord, FlowVersionRecord } from "./conversation-store.ts";
import type { JsonFileCodec } from "./durable-json-file.ts";
import type { ConversationShard, FlowHistory, StoreChange, StoreMeta } from "./store-state.ts";

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
  const { flow, version, yaml, publishedAt } = value;
  expect(isString(flow) && isString(version) && isString(yaml) && isString(publishedAt), "flow version fields");
  return { flow, version, yaml, publishedAt };
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
    }),
  deserialize(text) {
    const { shardCount, flows, settings } = document(text);
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
      meta: { flows: new Map(histories), settings: new Map(settingEntries) },
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
    case "put-conversation":
      return { op: "put-conversation", record: conversationRecord(value.record) };
    case "delete-conversation":
      expect(isString(value.id), "the id of the deleted conversation");
      return { op: "delete-conversation", id: value.id };
    case "publish-flow":
      return { op: "publish-flow", record: flowVersionRecord(value.record) };
    case "put-setting":
      expect(isString(value.key) && isString(value.value), "a setting key and value");
      return { op: "put-setting", key: value.key, value: value.value };
    default:
      throw new Error(`unknown change ${String(value.op)}`);
  }
}
