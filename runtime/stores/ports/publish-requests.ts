/**
 * Store role: publish requests of four-eyes publishing (BOTSCHAFT_PUBLISH_APPROVAL): an
 * editor's publish waits here until a data protection officer approves or rejects it.
 */

export interface PublishRequestRecord {
  id: string;
  flow: string;
  /** The flow's source as submitted; what is published on approval. */
  yaml: string;
  /** Content hash of `yaml` and `knowledgeBases`. */
  version: string;
  /** The knowledge bases the flow's `faq` steps use, as submitted (name → YAML source); published with it on approval. */
  knowledgeBases?: Record<string, string>;
  requestedBy: string;
  requestedAt: string;
  status: "pending" | "approved" | "rejected" | "withdrawn";
  decidedBy?: string;
  decidedAt?: string;
  /** The decider's reason (required for a rejection). */
  reason?: string;
}

export interface PublishRequestStore {
  create(record: PublishRequestRecord): Promise<void>;

  get(id: string): Promise<PublishRequestRecord | undefined>;

  /** Requests, newest first, optionally only those in one status. */
  list(status?: PublishRequestRecord["status"]): Promise<PublishRequestRecord[]>;

  /** Records a decision on a pending request; false when it is no longer pending (someone decided first). */
  decide(id: string, decision: Pick<PublishRequestRecord, "status" | "decidedBy" | "decidedAt" | "reason">): Promise<boolean>;
}
