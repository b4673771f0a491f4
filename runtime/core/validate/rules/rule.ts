import type { Flow } from "../../dsl/flow.ts";
import type { FlowGraph } from "../flow-graph.ts";
import type { FieldUse } from "../personal-fields-index.ts";
import type { MessengerChannel } from "../../channels/channel-table.ts";
import type { Language, UnlocatedProblem } from "../problem.ts";

/** What every rule gets: the schema-valid flow, its graph and field index, built once. */
export interface RuleContext {
  flow: Flow;
  graph: FlowGraph;
  fields: ReadonlyMap<string, FieldUse>;
  lang: Language;
  /** The messengers the flow is published to; their limits are checked (none: the web only). */
  channels: readonly MessengerChannel[];
  /** Hosts the operator lets webhooks reach although they are not public. */
  webhookAllowHosts: readonly string[];
}

export type Rule = (context: RuleContext) => UnlocatedProblem[];
