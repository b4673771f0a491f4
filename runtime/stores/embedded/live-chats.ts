/**
 * Store role: live chats over the embedded record collections. The record, the message counter
 * and each message are records of their own, so an append writes two small records (counter and
 * message, one journal line) and never rewrites the transcript. A new handover of the same
 * conversation keeps counting where the last one stopped.
 */
import type { LiveChatMessage, LiveChatRecord, LiveChatStore } from "../ports/live-chats.ts";
import { type EmbeddedRecords, readRecord, readRecords, recordValue } from "./embedded-records.ts";

const chats = "live-chats";
const counters = "live-chat-counters";
const messages = "live-chat-messages";

const messageKey = (conversation: string, seq: number) => `${conversation}\u0000${seq}`;

export function embeddedLiveChats(records: EmbeddedRecords): LiveChatStore {
  const stored = (conversation: string) => readRecord<LiveChatRecord>(records.get(chats, conversation));
  const messagesAfter = (conversation: string, after: number): LiveChatMessage[] => {
    const found: LiveChatMessage[] = [];
    for (let seq = Math.max(0, Math.floor(after)) + 1; seq <= lastSeq(conversation); seq++) {
      const message = readRecord<LiveChatMessage>(records.get(messages, messageKey(conversation, seq)));
      if (message) found.push(message);
    }
    return found;
  };
  const lastSeq = (conversation: string) => (records.get(counters, conversation) as { seq: number } | undefined)?.seq ?? 0;
  const removals = (conversation: string) => {
    const last = lastSeq(conversation);
    return [
      { collection: chats, key: conversation, delete: true as const },
      { collection: counters, key: conversation, delete: true as const },
      ...Array.from({ length: last }, (_, index) => ({ collection: messages, key: messageKey(conversation, index + 1), delete: true as const })),
    ];
  };
  return {
    async open(record) {
      const opened: LiveChatRecord = { ...record, revision: 0 };
      // The counter stays: sequence numbers never repeat within a conversation, so a visitor's `Last-Event-ID` stays meaningful.
      const earlier = removals(record.conversation).filter((write) => write.collection === messages);
      await records.write([...earlier, { collection: chats, key: record.conversation, value: recordValue(opened) }]);
      return opened;
    },
    get: async (conversation) => stored(conversation),
    list: async (statuses) =>
      readRecords<LiveChatRecord>(records, chats)
        .filter((record) => statuses.includes(record.status))
        .sort((a, b) => Date.parse(a.requestedAt) - Date.parse(b.requestedAt) || (a.conversation < b.conversation ? -1 : 1)),
    async update(record) {
      const current = records.get(chats, record.conversation) as { revision: number } | undefined;
      if (!current || current.revision !== record.revision - 1) return false;
      await records.write([{ collection: chats, key: record.conversation, value: recordValue(record) }]);
      return true;
    },
    async append(message) {
      if (records.get(chats, message.conversation) === undefined) return undefined;
      const appended: LiveChatMessage = { ...message, seq: lastSeq(message.conversation) + 1 };
      // Counter and message in one write: read and written in one synchronous stretch, so no other append interleaves.
      await records.write([
        { collection: counters, key: message.conversation, value: { seq: appended.seq } },
        { collection: messages, key: messageKey(message.conversation, appended.seq), value: recordValue(appended) },
      ]);
      return appended;
    },
    messages: async (conversation, after = 0) => messagesAfter(conversation, after),
    async read(conversation, after = 0) {
      const record = stored(conversation);
      return record ? { record, messages: messagesAfter(conversation, after) } : undefined;
    },
    async delete(conversation) {
      if (records.get(chats, conversation) === undefined) return false;
      await records.write(removals(conversation));
      return true;
    },
    async deleteExpired(time) {
      const expired = readRecords<LiveChatRecord>(records, chats).filter((record) => Date.parse(record.expiresAt) < Date.parse(time));
      await records.write(expired.flatMap((record) => removals(record.conversation)));
      return expired.length;
    },
  };
}
