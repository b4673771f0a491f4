/**
 * Every store role's contract suite, registered in one place and run by each implementation's
 * test file on the same backend:
 *
 * ```ts
 * storeContract("memory", { open: async () => new MemoryStore() });
 * ```
 *
 * A store that keeps nothing across a restart leaves `reopen` out; its restart test then checks
 * that each open starts empty, so the difference is tested rather than skipped.
 */
import { describe } from "vitest";
import { accountsContract } from "./accounts.contract.ts";
import { sessionsContract } from "./sessions.contract.ts";
import { oneTimeLinksContract } from "./one-time-links.contract.ts";
import { apiTokensContract } from "./api-tokens.contract.ts";
import { auditTrailContract } from "./audit-trail.contract.ts";
import { proofLedgerContract } from "./proof-ledger.contract.ts";
import { privacyDeskContract } from "./privacy-desk.contract.ts";
import { signInAttemptsContract } from "./sign-in-attempts.contract.ts";
import { publishRequestsContract } from "./publish-requests.contract.ts";
import { unansweredQuestionsContract } from "./unanswered-questions.contract.ts";
import { liveChatsContract } from "./live-chats.contract.ts";
import { conversationsContract } from "./conversations.contract.ts";
import { dataKeysContract } from "./data-keys.contract.ts";
import { deliveriesContract } from "./deliveries.contract.ts";
import { analyticsContract } from "./analytics.contract.ts";
import { flowVersionsContract } from "./flow-versions.contract.ts";
import { lifecycleContract } from "./lifecycle.contract.ts";
import { messengerInboxContract } from "./messenger-inbox.contract.ts";
import type { StoreUnderTest } from "./records.ts";
import { settingsContract } from "./settings.contract.ts";

export { dataKey, erasureDigest, flowVersion, inbound, newConversation, nextRevision, outboxEntry, type StoreUnderTest } from "./records.ts";

const roleContracts = [
  conversationsContract,
  dataKeysContract,
  flowVersionsContract,
  messengerInboxContract,
  settingsContract,
  accountsContract,
  sessionsContract,
  oneTimeLinksContract,
  apiTokensContract,
  auditTrailContract,
  proofLedgerContract,
  privacyDeskContract,
  signInAttemptsContract,
  publishRequestsContract,
  unansweredQuestionsContract,
  liveChatsContract,
  deliveriesContract,
  analyticsContract,
  lifecycleContract,
];

export function storeContract(name: string, subject: StoreUnderTest): void {
  describe(`${name} store contract`, () => {
    for (const contract of roleContracts) contract(subject);
  });
}
