/** Store role: published flow versions, immutable and keyed by content hash. */

/** One immutable, published version of a flow. */
export interface FlowVersionRecord {
  flow: string;
  /** Content hash of `yaml`. */
  version: string;
  /** The flow's source exactly as published. */
  yaml: string;
  /** ISO 8601 time at which this version was first published. */
  publishedAt: string;
  /**
   * The knowledge bases the flow's `faq` steps answer from, as published with it (name → YAML
   * source); part of the version, so they never change under a running conversation.
   */
  knowledgeBases?: Record<string, string>;
}

export interface FlowVersionStore {
  /**
   * Publishes a flow version and makes it the flow's current one. Versions are immutable:
   * when `(flow, version)` is already stored, its stored record is kept as it is (the call only
   * makes it current again, e.g. a rollback to earlier content). Durable when resolved.
   */
  publish(record: FlowVersionRecord): Promise<void>;

  /** One stored version, for conversations that run on it. */
  get(flow: string, version: string): Promise<FlowVersionRecord | undefined>;

  /** The version most recently published for the flow, where new conversations start. */
  current(flow: string): Promise<FlowVersionRecord | undefined>;

  /** Ids of every flow with at least one published version, sorted. */
  list(): Promise<string[]>;
}
