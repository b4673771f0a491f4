/**
 * The crypto edge of the conversation service, built from the runtime's keys: engine states
 * sealed with AES-256-GCM under each conversation's own data key, bound to the conversation id
 * (`data-keys.ts`); bearer tokens issued and kept only as keyed hashes; consent texts hashed
 * with SHA-256. One place, so the server and the test rigs that run the real crypto build it
 * the same way.
 */
import { createHash } from "node:crypto";
import type { ConversationState } from "../../core/index.ts";
import type { ConversationServiceDeps, TokenKeeper } from "../conversations/conversation-service.ts";
import type { DeliveryRequest, DeliverySealer } from "../deliveries/deliveries.ts";
import { bearerTokenMatches, generateBearerToken, hashBearerToken } from "./bearer-token.ts";
import { sealJson } from "./sealing.ts";
import { AppError } from "../app-error.ts";
import type { DataKeys } from "./data-keys.ts";
import type { RuntimeKeys } from "./keys.ts";

/** Conversation tokens under the runtime's `token` key. */
export function tokenKeeper(keys: RuntimeKeys): TokenKeeper {
  return {
    issue: generateBearerToken,
    hash: (token) => hashBearerToken(keys.token.current.key, token),
    matches: (token, hash) => bearerTokenMatches(keys.token, token, hash),
  };
}

/**
 * Seals values that belong to a conversation but are not its state (the live chat's messages and
 * shared fields) under the conversation's data key, bound to the conversation id and a purpose.
 * Nothing is sealed for a conversation whose key is gone: it was erased.
 */
export interface ConversationValueSealer {
  /** Undefined when the conversation's key is gone. */
  seal(conversation: string, purpose: string, value: unknown): Promise<string | undefined>;
  /** Undefined when the conversation's key is gone. */
  open(conversation: string, purpose: string, sealed: string): Promise<unknown>;
}

export function conversationValueSealer(keys: RuntimeKeys, dataKeys: DataKeys): ConversationValueSealer {
  return {
    async seal(conversation, purpose, value) {
      const key = await dataKeys.get(conversation);
      return key && dataKeys.seal(value, key, `${conversation}#${purpose}`);
    },
    open: (conversation, purpose, sealed) => dataKeys.open(sealed, `${conversation}#${purpose}`, keys.stateEncryption),
  };
}

export function serviceCrypto(keys: RuntimeKeys, dataKeys: DataKeys): Pick<ConversationServiceDeps, "sealer" | "tokens" | "hashText"> {
  return {
    sealer: {
      newConversation: () => dataKeys.newConversation(),
      seal: async (id, state) => dataKeys.seal(state, await dataKeys.ensure(id, "conversation"), id),
      open: async (id, sealed) => (await dataKeys.open(sealed, id, keys.stateEncryption)) as ConversationState | undefined,
      discard: (id) => dataKeys.destroy([id]),
      forget: (id) => dataKeys.forget([id]),
    },
    tokens: tokenKeeper(keys),
    hashText: (text) => createHash("sha256").update(text).digest("hex"),
  };
}

/**
 * Delivery requests sealed under their conversation's data key (erasing it makes them unreadable),
 * or under the runtime's `state-encryption` key when the delivery outlives erasure.
 */
export function deliverySealer(keys: RuntimeKeys, dataKeys: DataKeys): DeliverySealer {
  return {
    seal: async (request, conversationId, context) => {
      if (conversationId === undefined) return sealJson(request, keys.stateEncryption, context);
      // Never `ensure`: a key made now for an erased conversation would bring nothing back but an orphan.
      const key = await dataKeys.get(conversationId);
      if (!key) throw new AppError("not-found", "The conversation of this delivery was erased.");
      return dataKeys.seal(request, key, context);
    },
    open: async (sealed, context) => (await dataKeys.open(sealed, context, keys.stateEncryption)) as DeliveryRequest | undefined,
  };
}
