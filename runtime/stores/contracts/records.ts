/**
 * What the role contracts share: the store under test, typed builders for the records they
 * store, and a fixture that closes every store a test opened.
 */
import { createHash } from "node:crypto";
import { afterEach } from "vitest";
import type {
  AccountRecord,
  AuditEntry,
  ConversationRecord,
  DataKeyRecord,
  Store,
  FlowVersionRecord,
  InboundRecord,
  NewConversationRecord,
  OutboxRecord,
} from "../ports/store.ts";

export interface StoreUnderTest {
  /** Opens a new, empty store. */
  open(): Promise<Store>;
  /** Closes `store` and opens the same data again; absent for stores that keep nothing across a restart. */
  reopen?: (store: Store) => Promise<Store>;
}

let nextId = 0;

/** A conversation that differs from every other one built here; `overrides` set what a test is about. */
export function newConversation(overrides: Partial<NewConversationRecord> = {}): NewConversationRecord {
  nextId += 1;
  return {
    id: `conversation-${nextId}-${Math.random().toString(36).slice(2)}`,
    tokenHash: `token-hash-${nextId}`,
    flow: "contact",
    version: "v1",
    sealedState: `sealed-${nextId}`,
    channel: "web",
    lastActivityAt: "2026-03-01T10:00:00.000Z",
    expiresAt: "2026-06-01T10:00:00.000Z",
    ...overrides,
  };
}

/** The record that follows `record` with the changes a turn makes. */
export function nextRevision(
  record: ConversationRecord,
  changes: Partial<ConversationRecord> = {},
): ConversationRecord {
  return { ...record, revision: record.revision + 1, sealedState: `${record.sealedState}+`, ...changes };
}

export function flowVersion(
  flow: string,
  version: string,
  overrides: Partial<FlowVersionRecord> = {},
): FlowVersionRecord {
  return { flow, version, yaml: `id: ${flow} # ${version}\n`, publishedAt: "2026-03-01T09:00:00.000Z", ...overrides };
}

/** A data key as the runtime stores it: the wrapped bytes are opaque to the store. */
export function dataKey(id: string, overrides: Partial<DataKeyRecord> = {}): DataKeyRecord {
  return { id, kind: "conversation", wrapped: `wrapped-${id}`, createdAt: "2026-03-01T10:00:00.000Z", ...overrides };
}

/** The digest the erasure log holds for an id: SHA-256 of its UTF-8 bytes, hex. */
export function erasureDigest(id: string): string {
  return createHash("sha256").update(id, "utf8").digest("hex");
}

/** A pending messenger delivery. */
export function inbound(key: string, overrides: Partial<InboundRecord> = {}): InboundRecord {
  return {
    channel: "telegram",
    key,
    conversationKey: "pseudonym-1",
    order: 1,
    sealedDelivery: `sealed-${key}`,
    receivedAt: "2026-03-01T10:00:00.000Z",
    ...overrides,
  };
}

/** An outbox entry as a completion passes it (the store adds the sequence). */
export function outboxEntry(id: string, overrides: Partial<OutboxRecord> = {}): Omit<OutboxRecord, "sequence"> {
  return {
    id,
    channel: "telegram",
    conversationKey: "pseudonym-1",
    sealedCall: `call-${id}`,
    attempts: 0,
    nextAttemptAt: "2026-03-01T10:00:00.000Z",
    ...overrides,
  };
}

/** A fixed permutation, so a failing order can be replayed. */
export function interleaved<T>(items: readonly T[]): T[] {
  const odd = items.filter((_, index) => index % 2 === 1);
  const even = items.filter((_, index) => index % 2 === 0);
  return [...odd.reverse(), ...even];
}

/** Opens stores for one suite and closes them after each test; `created` stores a fresh conversation. */
export function storeFixture(subject: StoreUnderTest) {
  const opened: Store[] = [];
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });
  return {
    opened,
    async open(): Promise<Store> {
      const store = await subject.open();
      opened.push(store);
      return store;
    },
    async created(store: Store, overrides: Partial<NewConversationRecord> = {}): Promise<ConversationRecord> {
      const record = newConversation(overrides);
      await store.conversations.create(record);
      return { ...record, revision: 0 };
    },
  };
}

let nextAccount = 0;

/** A team account that differs from every other one built here. */
export function account(overrides: Partial<AccountRecord> = {}): AccountRecord {
  nextAccount += 1;
  return {
    id: `account-${nextAccount}-${Math.random().toString(36).slice(2)}`,
    email: `person${nextAccount}-${Math.random().toString(36).slice(2, 8)}@muster.example`,
    roles: ["editor"],
    status: "active",
    passwordHash: "scrypt$test",
    createdAt: "2026-11-22T10:00:00.000Z",
    updatedAt: "2026-11-22T10:00:00.000Z",
    ...overrides,
  };
}

let nextEntry = 0;

/** An audit entry at `time`, with ids that sort in the order the entries were built. */
export function auditEntry(time: string, overrides: Partial<AuditEntry> = {}): AuditEntry {
  nextEntry += 1;
  return { id: `${time}#${String(nextEntry).padStart(8, "0")}`, time, actor: "erika@muster.example", action: "flow.publish", target: "callback-request", outcome: "ok", ...overrides };
}
