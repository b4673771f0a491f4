import { isCustomMenuItem } from "../../dsl/flow.ts";
import { edgeSource, nodePointer } from "../flow-graph.ts";
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
  graph.edgeTo.forEach((to, edge) => {
    if (to >= 0) return;
    const id = graph.ids[edgeSource(graph, edge)] as string;
    const { target, pointer } = graph.edges[edge] as { target: string; pointer: string };
    unknown(target, nodePointer(id) + pointer, id);
  });
  return problems;
};
