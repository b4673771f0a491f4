/**
 * The crypto edge of the conversation service, built from the runtime's keys: engine states
 * sealed with AES-256-GCM bound to the conversation id, bearer tokens issued and kept only as
 * keyed hashes, consent texts hashed with SHA-256. One place, so the server and the test rigs
 * that run the real crypto build it the same way.
 */
import { createHash } from "node:crypto";
import type { ConversationState } from "../../core/index.ts";
import type { ConversationServiceDeps } from "../conversations/conversation-service.ts";
import { bearerTokenMatches, generateBearerToken, hashBearerToken } from "./bearer-token.ts";
import type { RuntimeKeys } from "./keys.ts";
import { openSealedJson, sealJson } from "./sealing.ts";

export function serviceCrypto(keys: RuntimeKeys): Pick<ConversationServiceDeps, "sealer" | "tokens" | "hashText"> {
  return {
    sealer: {
      seal: (id, state) => sealJson(state, keys.stateEncryption, id),
      open: (id, sealed) => openSealedJson(sealed, keys.stateEncryption, id) as ConversationState,
    },
    tokens: {
      issue: generateBearerToken,
      hash: (token) => hashBearerToken(keys.token.current.key, token),
      matches: (token, hash) => bearerTokenMatches(keys.token, token, hash),
    },
    hashText: (text) => createHash("sha256").update(text).digest("hex"),
  };
}
