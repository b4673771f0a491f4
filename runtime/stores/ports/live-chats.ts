/**
 * Store role: live chats, the conversations a `handover` step gave to the team (docs/inbox.md).
 * One record per conversation (a later handover replaces the earlier one, its messages with it)
 * and its transcript: the messages since the handover, each with a sequence number that rises
 * by one per message of the conversation, across every instance. The texts arrive sealed under
 * the conversation's data key; the store sees only who wrote when.
 *
 * @example
 * ```ts
 * await store.liveChats.open({ conversation, flow, flowVersion, channel, node: "agent", sealedShares, status: "waiting", unattended: false, requestedAt, claimDeadline, expiresAt });
 * const message = await store.liveChats.append({ conversation, from: "visitor", sealed, at }); // → { seq: 1, … }
 * const record = await store.liveChats.get(conversation);
 * await store.liveChats.update({ ...record, status: "claimed", claimedBy: agentId, revision: record.revision + 1 }); // false: someone was first
 * ```
 */

/** `waiting` in the queue, `claimed` by an agent, `ended` (handed back, closed, withdrawn or erased). */
export type LiveChatStatus = "waiting" | "claimed" | "ended";

export type LiveChatEnd = "released" | "closed" | "withdrawn" | "erased";

export interface LiveChatRecord {
  /** The conversation's id, as in the chat API. */
  conversation: string;
  flow: string;
  flowVersion: string;
  channel: string;
  /** The `handover` step. */
  node: string;
  /** The fields the step `shares`, sealed under the conversation's data key. */
  sealedShares: string;
  /** The conversation before the handover, sealed the same way, when the step shows it (`history: true`). */
  sealedHistory?: string;
  status: LiveChatStatus;
  /** Queued while no agent was expected (outside opening hours): the visitor was told. */
  unattended: boolean;
  requestedAt: string;
  /** When an unclaimed conversation continues at the step's `unclaimed` target (or the visitor is told). */
  claimDeadline: string;
  /** Set once the deadline passed unclaimed. */
  timedOut?: boolean;
  /** The account id of the agent who has it. */
  claimedBy?: string;
  /** How the audit trail names that agent (their e-mail), for the other agents' "taken by". */
  claimedByName?: string;
  claimedAt?: string;
  /** When an agent first answered. */
  answeredAt?: string;
  endedAt?: string;
  ended?: LiveChatEnd;
  /** When the agents were told by e-mail that it waits. */
  notifiedAt?: string;
  /** Deleted after this time with the conversation (the flow's retention). */
  expiresAt: string;
  /**
   * A messenger user's address (raw channel id and outbox pseudonym), sealed under the
   * conversation's data key; kept while the live chat runs, so agents' replies reach them.
   */
  sealedContact?: string;
  /** When the messenger user sent the message that led to the handover (their reply window runs from their last message). */
  inboundAt?: string;
  /** 0 when opened; each successful `update` adds one. */
  revision: number;
}

export interface LiveChatMessage {
  conversation: string;
  /** 1, 2, 3 … per live chat, in the order the store accepted them. */
  seq: number;
  from: "visitor" | "agent" | "bot";
  /** The message (a chat API message object), sealed under the conversation's data key. */
  sealed: string;
  at: string;
  /** The account id of the agent who wrote it. */
  agent?: string;
  /** A messenger user's message: when they sent it, by the platform (reply windows run from here). */
  sentAt?: string;
}

export interface LiveChatStore {
  /** Opens the live chat of a conversation at revision 0, replacing an earlier one and its messages. Durable when resolved. */
  open(record: Omit<LiveChatRecord, "revision">): Promise<LiveChatRecord>;

  get(conversation: string): Promise<LiveChatRecord | undefined>;

  /** The live chats in these states, the longest waiting first. */
  list(statuses: readonly LiveChatStatus[]): Promise<LiveChatRecord[]>;

  /** Compare-and-set: stores `record` only if the stored revision is `record.revision - 1`; false otherwise (or when it is gone). */
  update(record: LiveChatRecord): Promise<boolean>;

  /** Appends a message with the next sequence number; undefined when the conversation has no live chat. Durable when resolved. */
  append(message: Omit<LiveChatMessage, "seq">): Promise<LiveChatMessage | undefined>;

  /** The messages with a sequence number above `after` (0: all), in order. */
  messages(conversation: string, after?: number): Promise<LiveChatMessage[]>;

  /** The live chat and its messages above `after`, read together (one round trip on PostgreSQL: an agent's view on each message); undefined when there is none. */
  read(conversation: string, after?: number): Promise<{ record: LiveChatRecord; messages: LiveChatMessage[] } | undefined>;

  /** Deletes the live chat and its messages; false when there was none. */
  delete(conversation: string): Promise<boolean>;

  /** Deletes every live chat (with its messages) that expired before `time`; returns how many. */
  deleteExpired(time: string): Promise<number>;
}
