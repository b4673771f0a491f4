/**
 * Property tests for consent-missing on random flow graphs. The graph walking here is written
 * independently of the core (its own edge lists and search), so it checks the rule rather than
 * repeating it.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Flow, FlowNode } from "../../dsl/flow.ts";
import type { UnlocatedProblem } from "../problem.ts";
import { check, germanProcessor, minimalFlow, node } from "../test-flow-builder.ts";

const personalFields = ["email", "phone", "name"] as const;
type PersonalField = (typeof personalFields)[number];

/** A node of a random graph, with targets as indices into the node list. */
type Shape =
  | { type: "message"; next: number | null }
  | { type: "choice"; options: number[] }
  | { type: "condition"; branches: { field: string; next: number }[]; otherwise: number }
  | { type: "input"; field: PersonalField | "anliegen"; next: number }
  | { type: "webhook"; sends: PersonalField[]; next: number }
  | { type: "consent"; covers: PersonalField[]; accept: number; decline: number }
  | { type: "end" };

interface GraphShape {
  nodes: Shape[];
  /** Targets of custom menu items. */
  menu: number[];
}

function graphShape(options: { consents: boolean }): fc.Arbitrary<GraphShape> {
  return fc.integer({ min: 2, max: 40 }).chain((size) => {
    const target = fc.nat({ max: size - 1 });
    const shapes: fc.WeightedArbitrary<Shape>[] = [
      {
        weight: 3,
        arbitrary: fc.record({ type: fc.constant("message" as const), next: fc.option(target, { nil: null }) }),
      },
      {
        weight: 2,
        arbitrary: fc.record({
          type: fc.constant("choice" as const),
          options: fc.array(target, { minLength: 1, maxLength: 3 }),
        }),
      },
      {
        weight: 2,
        arbitrary: fc.record({
          type: fc.constant("condition" as const),
          branches: fc.array(fc.record({ field: fc.constantFrom(...personalFields, "anliegen"), next: target }), {
            minLength: 1,
            maxLength: 2,
          }),
          otherwise: target,
        }),
      },
      {
        weight: 3,
        arbitrary: fc.record({
          type: fc.constant("input" as const),
          field: fc.constantFrom(...personalFields, "anliegen"),
          next: target,
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          type: fc.constant("webhook" as const),
          sends: fc.subarray([...personalFields], { minLength: 1 }),
          next: target,
        }),
      },
      { weight: 1, arbitrary: fc.constant({ type: "end" as const }) },
    ];
    if (options.consents) {
      shapes.push({
        weight: 2,
        arbitrary: fc.record({
          type: fc.constant("consent" as const),
          covers: fc.subarray([...personalFields], { minLength: 1 }),
          accept: target,
          decline: target,
        }),
      });
    }
    return fc.record({
      nodes: fc.array(fc.oneof(...shapes), { minLength: size, maxLength: size }),
      menu: fc.array(target, { maxLength: 2 }),
    });
  });
}

const idOf = (index: number): string => `n${index}`;

function toFlowNode(shape: Shape): FlowNode {
  switch (shape.type) {
    case "message":
      return node.message(shape.next === null ? undefined : idOf(shape.next));
    case "choice": {
      const [first, ...more] = shape.options.map(idOf);
      return node.choice(first as string, ...more);
    }
    case "condition": {
      const [first, ...more] = shape.branches.map((branch): [string, string] => [branch.field, idOf(branch.next)]);
      return node.condition([first as [string, string], ...more], idOf(shape.otherwise));
    }
    case "input":
      return node.input(shape.field, idOf(shape.next));
    case "webhook":
      return node.webhook(shape.sends, idOf(shape.next), germanProcessor);
    case "consent": {
      const [first, ...more] = shape.covers;
      return node.consent([first as string, ...more], idOf(shape.accept), idOf(shape.decline));
    }
    case "end":
      return node.end();
  }
}

/** Built as plain data: the immutable builder copies the flow on every step, too slow for 40 nodes × 200 runs. */
function toFlow(graph: GraphShape): Flow {
  const base = minimalFlow().build();
  return {
    ...base,
    start: idOf(0),
    menu: [
      ...(base.menu ?? []),
      ...graph.menu.map((goto, position) => ({ label: `Menü ${position + 1}`, goto: idOf(goto) })),
    ],
    nodes: Object.fromEntries(graph.nodes.map((shape, index) => [idOf(index), toFlowNode(shape)])),
  };
}

// ---- An independent model of the graph -------------------------------------------------------

interface Edge {
  to: string;
  /** The fields this edge grants: a consent's `accept`. */
  grants: readonly string[];
}

function edgesOf(flowNode: FlowNode): Edge[] {
  const plain = (...targets: (string | undefined)[]): Edge[] =>
    targets.filter((to): to is string => to !== undefined).map((to) => ({ to, grants: [] }));
  switch (flowNode.type) {
    case "message":
    case "handover":
      return plain(flowNode.next);
    case "choice":
      return plain(...flowNode.options.map((option) => option.next));
    case "condition":
      return plain(...flowNode.if.map((branch) => branch.next), flowNode.else);
    case "input":
      return plain(flowNode.next, flowNode.invalid);
    case "webhook":
      return plain(flowNode.next, flowNode.error);
    case "faq":
      return plain(flowNode.next, flowNode.fallback);
    case "set":
      return plain(flowNode.next);
    case "consent":
      return [{ to: flowNode.accept, grants: flowNode.covers }, ...plain(flowNode.decline)];
    case "end":
      return [];
  }
}

/** Every reference of a node passed through `redirect`. */
function retarget(flowNode: FlowNode, redirect: (target: string) => string): FlowNode {
  const optional = (target: string | undefined) => (target === undefined ? {} : { next: redirect(target) });
  switch (flowNode.type) {
    case "message":
    case "handover":
      return { ...flowNode, ...optional(flowNode.next) };
    case "choice":
      return {
        ...flowNode,
        options: flowNode.options.map((option) => ({
          ...option,
          next: redirect(option.next),
        })) as typeof flowNode.options,
      };
    case "condition":
      return {
        ...flowNode,
        if: flowNode.if.map((branch) => ({ ...branch, next: redirect(branch.next) })) as typeof flowNode.if,
        else: redirect(flowNode.else),
      };
    case "input":
      return {
        ...flowNode,
        next: redirect(flowNode.next),
        ...(flowNode.invalid === undefined ? {} : { invalid: redirect(flowNode.invalid) }),
      };
    case "webhook":
      return {
        ...flowNode,
        next: redirect(flowNode.next),
        ...(flowNode.error === undefined ? {} : { error: redirect(flowNode.error) }),
      };
    case "faq":
      return { ...flowNode, ...optional(flowNode.next), fallback: redirect(flowNode.fallback) };
    case "set":
      return { ...flowNode, next: redirect(flowNode.next) };
    case "consent":
      return { ...flowNode, accept: redirect(flowNode.accept), decline: redirect(flowNode.decline) };
    case "end":
      return flowNode;
  }
}

/** The personal fields a node stores or sends (every generated field but `anliegen` is personal by name). */
function personalFieldsOf(flowNode: FlowNode): string[] {
  const fields =
    flowNode.type === "input" ? [flowNode.field] : flowNode.type === "webhook" ? (flowNode.sends ?? []) : [];
  return fields.filter((field) => (personalFields as readonly string[]).includes(field));
}

function entryPoints(flow: Flow): string[] {
  const gotos = (flow.menu ?? []).flatMap((item) => (typeof item === "object" ? [item.goto] : []));
  return [flow.start, ...gotos];
}

/** The node ids reachable from an entry point without following an accept edge that grants `field`. */
function reachableWithout(flow: Flow, field: string | "any"): Set<string> {
  const seen = new Set<string>();
  const queue = entryPoints(flow).filter((id) => flow.nodes[id] !== undefined);
  for (const id of queue) seen.add(id);
  for (let head = 0; head < queue.length; head++) {
    const current = flow.nodes[queue[head] as string] as FlowNode;
    for (const edge of edgesOf(current)) {
      const blocked = field === "any" ? edge.grants.length > 0 : edge.grants.includes(field);
      if (blocked || seen.has(edge.to) || flow.nodes[edge.to] === undefined) continue;
      seen.add(edge.to);
      queue.push(edge.to);
    }
  }
  return seen;
}

/**
 * Inserts, right before every node that stores or sends personal fields, a consent covering
 * them: every reference to the node (edges, start, menu gotos) goes to the consent instead; the
 * consent accepts into the node and declines to an end node.
 */
function guardEveryCollector(flow: Flow): Flow {
  const guards = new Map<string, string>();
  for (const [id, flowNode] of Object.entries(flow.nodes)) {
    if (flowNode && personalFieldsOf(flowNode).length > 0) guards.set(id, `consent-${id}`);
  }
  const redirect = (target: string): string => guards.get(target) ?? target;
  const nodes: Record<string, FlowNode> = {};
  for (const [id, flowNode] of Object.entries(flow.nodes)) {
    if (flowNode) nodes[id] = retarget(flowNode, redirect);
  }
  for (const [id, consentId] of guards) {
    const [first, ...more] = personalFieldsOf(flow.nodes[id] as FlowNode);
    nodes[consentId] = node.consent([first as string, ...more], id, "declined");
  }
  nodes.declined = node.end();
  return {
    ...flow,
    start: redirect(flow.start),
    menu: (flow.menu ?? []).map((item) => (typeof item === "object" ? { ...item, goto: redirect(item.goto) } : item)),
    nodes,
  };
}

/** Checks that a problem's witness path is a real path that avoids the accept edges granting its field. */
function expectRealWitness(flow: Flow, problem: UnlocatedProblem): void {
  const path = problem.path ?? [];
  expect(path.length).toBeGreaterThan(0);
  expect(entryPoints(flow)).toContain(path[0]);
  expect(path[path.length - 1]).toBe(problem.node);
  expect(new Set(path).size).toBe(path.length);
  for (let step = 1; step < path.length; step++) {
    const from = flow.nodes[path[step - 1] as string] as FlowNode;
    const usable = edgesOf(from).filter(
      (edge) => edge.to === path[step] && !edge.grants.includes(problem.field as string),
    );
    expect(usable, `${path[step - 1]} → ${path[step]} in ${path.join(" → ")}`).not.toEqual([]);
  }
}

/** The consent-missing problems, after making sure the flow is valid (else no rule runs and every property holds vacuously). */
function consentProblems(flow: Flow): UnlocatedProblem[] {
  const problems = check(flow);
  expect(problems.filter((problem) => problem.rule === "schema" || problem.rule === "ref-unknown")).toEqual([]);
  return problems.filter((problem) => problem.rule === "consent-missing");
}

const numRuns = 200;

describe("consent-missing on random flow graphs", () => {
  it("reports nothing once a consent covering its fields sits right before every node that stores or sends personal data", () => {
    fc.assert(
      fc.property(graphShape({ consents: false }), (shape) => {
        expect(consentProblems(guardEveryCollector(toFlow(shape)))).toEqual([]);
      }),
      { numRuns },
    );
  });

  it("reports a guarded node again after one bypass edge to it, each time with a real witness path", () => {
    const bypass = fc.record({ source: fc.nat(), target: fc.nat(), edge: fc.nat() });
    fc.assert(
      fc.property(graphShape({ consents: false }), bypass, (shape, pick) => {
        const guarded = guardEveryCollector(toFlow(shape));
        const collectors = Object.entries(guarded.nodes).filter(
          ([, flowNode]) => flowNode && personalFieldsOf(flowNode).length > 0,
        );
        fc.pre(collectors.length > 0);
        const [targetId, targetNode] = collectors[pick.target % collectors.length] as [string, FlowNode];

        // A source the user can reach without accepting any consent, whose edge we can point anywhere.
        const freelyReached = reachableWithout(guarded, "any");
        const sources = [...freelyReached].filter((id) =>
          ["message", "choice", "condition", "input"].includes(guarded.nodes[id]?.type ?? ""),
        );
        const sourceChoice = pick.source % (sources.length + 1);
        const bypassed = structuredClone(guarded);
        if (sourceChoice === sources.length) {
          bypassed.menu = [...(bypassed.menu ?? []), { label: "Abkürzung", goto: targetId }];
        } else {
          const sourceId = sources[sourceChoice] as string;
          const source = guarded.nodes[sourceId] as FlowNode;
          const edgeCount = Math.max(1, edgesOf(source).length);
          let seen = 0;
          const chosen = pick.edge % edgeCount;
          const redirected =
            source.type === "message" && source.next === undefined
              ? { ...source, next: targetId }
              : retarget(source, (target) => (seen++ === chosen ? targetId : target));
          bypassed.nodes[sourceId] = redirected;
        }

        const problems = consentProblems(bypassed);
        expect(
          problems
            .filter((problem) => problem.node === targetId)
            .map((problem) => problem.field)
            .sort(),
        ).toEqual(personalFieldsOf(targetNode).sort());
        for (const problem of problems) expectRealWitness(bypassed, problem);
      }),
      { numRuns },
    );
  });

  it("reports exactly the (node, field) pairs an independent search finds, with real witness paths, when consents sit anywhere", () => {
    fc.assert(
      fc.property(graphShape({ consents: true }), (shape) => {
        const flow = toFlow(shape);
        const expected: [string, string][] = [];
        for (const field of personalFields) {
          const reachable = reachableWithout(flow, field);
          for (const [id, flowNode] of Object.entries(flow.nodes)) {
            if (flowNode && personalFieldsOf(flowNode).includes(field) && reachable.has(id)) expected.push([id, field]);
          }
        }
        const problems = consentProblems(flow);
        const byNodeAndField = (a: [string, string], b: [string, string]) =>
          a.join("\u0000").localeCompare(b.join("\u0000"));
        expect(
          problems
            .map((problem): [string, string] => [problem.node as string, problem.field as string])
            .sort(byNodeAndField),
        ).toEqual(expected.sort(byNodeAndField));
        for (const problem of problems) expectRealWitness(flow, problem);
      }),
      { numRuns },
    );
  });
});
