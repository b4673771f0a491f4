import { readdirSync, readFileSync } from "node:fs";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { checkFlowValue } from "../validate/validate-flow.ts";
import type { FlowNode } from "../dsl/flow.ts";
import { edgesOf, nodeDefinitions } from "./index.ts";

const schemaDirectory = new URL("../../../schemas/nodes/", import.meta.url);
const fixtureDirectory = new URL("./fixtures/", import.meta.url);
const schemaTypes = readdirSync(schemaDirectory)
  .filter((file) => file.endsWith(".schema.json"))
  .map((file) => file.replace(".schema.json", ""))
  .sort();

function flowWith(node: unknown): unknown {
  return {
    flow: "fixture",
    title: "Fixture",
    language: "de",
    privacy: {
      controller: { name: "Muster GmbH", address: "Musterstraße 1, 10115 Berlin", email: "datenschutz@muster.example" },
      policyUrl: "https://muster.example/datenschutz",
      imprintUrl: "https://muster.example/impressum",
      retention: "P90D",
    },
    menu: ["privacy", "imprint", "my-data", "unsubscribe"],
    start: "subject",
    nodes: { subject: node, done: { type: "end" } },
  };
}

describe("the node registry", () => {
  it("registers exactly the node types that have a schema file", () => {
    expect(Object.keys(nodeDefinitions).sort()).toEqual(schemaTypes);
  });

  it("uses each type's own schema file", () => {
    for (const type of schemaTypes) {
      const schema = JSON.parse(readFileSync(new URL(`${type}.schema.json`, schemaDirectory), "utf8"));
      expect(nodeDefinitions[type as keyof typeof nodeDefinitions].schema).toEqual(schema);
    }
  });

  it.each(schemaTypes)("has a schema-valid fixture for %s that exercises its edges", (type) => {
    const node = parse(readFileSync(new URL(`${type}.yaml`, fixtureDirectory), "utf8"));
    const { flow, problems } = checkFlowValue(flowWith(node));
    expect(problems.filter((problem) => problem.rule === "schema" || problem.rule === "ref-unknown")).toEqual([]);
    expect(flow?.nodes.subject?.type).toBe(type);
    // Every fixture but `end` leads to `done`, so the registry's edges must find that reference.
    const targets = edgesOf(node as FlowNode).map((edge) => edge.target);
    expect(targets.every((target) => target === "done")).toBe(true);
    expect(targets.length > 0).toBe(type !== "end");
  });
});
