import type { Flow } from "../../dsl/flow.ts";
import type { FlowGraph } from "../flow-graph.ts";
import type { FieldUse } from "../personal-fields-index.ts";
import type { Language, UnlocatedProblem } from "../problem.ts";

/** What every rule gets: the schema-valid flow, its graph and field index, built once. */
export interface RuleContext {
  flow: Flow;
  graph: FlowGraph;
  fields: ReadonlyMap<string, FieldUse>;
  lang: Language;
}

export type Rule = (context: RuleContext) => UnlocatedProblem[];
