import { isCustomMenuItem } from "../../dsl/flow.ts";
import { nodePointer } from "../flow-graph.ts";
import { message } from "../messages.ts";
import type { UnlocatedProblem } from "../problem.ts";
import type { Rule } from "./rule.ts";

/** Every reference (`start`, menu `goto`, and each node's edges) must name an existing node. */
export const refUnknown: Rule = ({ flow, graph, lang }) => {
  const problems: UnlocatedProblem[] = [];
  const unknown = (target: string, pointer: string, node?: string): void => {
    problems.push({
      rule: "ref-unknown",
      severity: "error",
      pointer,
      message: message("ref-unknown", { target }, lang),
      ...(node === undefined ? {} : { node }),
    });
  };
  if (!graph.indexOf.has(flow.start)) unknown(flow.start, "/start");
  (flow.menu ?? []).forEach((item, position) => {
    if (isCustomMenuItem(item) && !graph.indexOf.has(item.goto)) unknown(item.goto, `/menu/${position}/goto`);
  });
  graph.edges.forEach((edges, index) => {
    const id = graph.ids[index] as string;
    for (const edge of edges) if (edge.to < 0) unknown(edge.target, nodePointer(id) + edge.pointer, id);
  });
  return problems;
};
