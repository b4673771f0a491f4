import { describe, expect, it } from "vitest";
import commonSchema from "../../../schemas/common.schema.json" with { type: "json" };
import flowSchema from "../../../schemas/flow.schema.json" with { type: "json" };
import { nodeDefinitions } from "../nodes/index.ts";
import { callbackRequestFlow, minimalFlow, node } from "./test-flow-builder.ts";
import { checkFlowValue } from "./validate-flow.ts";

/** A flow document as plain data, for edits the typed builder rightly refuses. */
type Document = Record<string, unknown> & { nodes: Record<string, Record<string, unknown>> };

function brokenFlow(edit: (document: Document) => void): Document {
  const document = minimalFlow().build() as unknown as Document;
  edit(document);
  return document;
}

describe("schema", () => {
  it("accepts the minimal flow and docs/flows.md#the-reference-flow's reference flow", () => {
    expect(checkFlowValue(minimalFlow().build())).toEqual({ flow: minimalFlow().build(), problems: [] });
    expect(checkFlowValue(callbackRequestFlow().build()).problems).toEqual([]);
  });

  it("reports an unknown property at its key, naming the node", () => {
    const document = brokenFlow((flow) => {
      (flow.nodes.welcome as Record<string, unknown>).colour = "blue";
    });
    expect(checkFlowValue(document)).toEqual({
      problems: [
        {
          rule: "schema",
          severity: "error",
          node: "welcome",
          pointer: "/nodes/welcome/colour",
          atKey: true,
          message: "'colour' is not a known setting here (check the spelling).",
        },
      ],
    });
  });

  it("reports an unknown node type once, at the type, listing the known types", () => {
    const document = brokenFlow((flow) => {
      (flow.nodes.welcome as Record<string, unknown>).type = "mesage";
    });
    expect(checkFlowValue(document).problems).toEqual([
      {
        rule: "schema",
        severity: "error",
        node: "welcome",
        pointer: "/nodes/welcome/type",
        message:
          "Unknown or missing node type; use one of 'message', 'choice', 'input', 'consent', 'condition', 'set', 'webhook', 'faq', 'handover', 'end'.",
      },
    ]);
  });

  it("offers every node type on the node itself, in the union's order, so editors complete all of them", () => {
    const node = flowSchema.definitions.node;
    const unionTypes = node.oneOf.map((entry) => entry.$ref.replace(/^nodes\/(.*)\.schema\.json$/, "$1"));
    expect(node.properties.type.enum).toEqual(unionTypes);
    expect(unionTypes).toEqual(Object.keys(nodeDefinitions));
  });

  it("reports a node type that is no text once", () => {
    const document = brokenFlow((flow) => {
      (flow.nodes.welcome as Record<string, unknown>).type = 5;
    });
    expect(checkFlowValue(document).problems.map((problem) => problem.pointer)).toEqual(["/nodes/welcome/type"]);
  });

  it("reports a node without a type once", () => {
    const document = brokenFlow((flow) => {
      delete (flow.nodes.welcome as Record<string, unknown>).type;
    });
    expect(checkFlowValue(document).problems).toEqual([
      {
        rule: "schema",
        severity: "error",
        node: "welcome",
        pointer: "/nodes/welcome",
        message: "'type' is missing here.",
      },
    ]);
  });

  it("reports a missing required property of a node at the node", () => {
    const document = brokenFlow((flow) => {
      flow.nodes.ask = { type: "input", text: "Ihre E-Mail?", next: "done" };
    });
    expect(checkFlowValue(document).problems).toEqual([
      { rule: "schema", severity: "error", node: "ask", pointer: "/nodes/ask", message: "'field' is missing here." },
    ]);
  });

  it("reports a webhook URL that is not https:", () => {
    const document = brokenFlow((flow) => {
      flow.nodes.hook = { ...node.webhook([], "done"), url: "http://crm.muster.example/api" };
    });
    expect(checkFlowValue(document).problems).toEqual([
      {
        rule: "schema",
        severity: "error",
        node: "hook",
        pointer: "/nodes/hook/url",
        message: "This is not a valid https: address without user:password@.",
      },
    ]);
  });

  it("reports a processor country that is not an ISO 3166-1 alpha-2 code", () => {
    const document = brokenFlow((flow) => {
      flow.nodes.hook = { ...node.webhook([], "done", { name: "Muster CRM GmbH", country: "de" }) };
    });
    expect(checkFlowValue(document).problems).toEqual([
      {
        rule: "schema",
        severity: "error",
        node: "hook",
        pointer: "/nodes/hook/processor/country",
        message: "This is not a valid country code (ISO 3166-1 alpha-2, e.g. DE).",
      },
    ]);
  });

  it("reports a condition branch with no test as one problem", () => {
    const document = brokenFlow((flow) => {
      flow.nodes.branch = { type: "condition", if: [{ field: "anliegen", next: "done" }], else: "done" };
    });
    expect(checkFlowValue(document).problems).toEqual([
      {
        rule: "schema",
        severity: "error",
        node: "branch",
        pointer: "/nodes/branch/if/0",
        message: "A condition branch needs `field`, `next` and exactly one test (exists, equals, matches, lt or gt).",
      },
    ]);
  });

  it("reports an unknown built-in menu item once", () => {
    const document = brokenFlow((flow) => {
      flow.menu = ["privacy", "imprint", "my-data", "unsubscribe", "home"];
    });
    expect(checkFlowValue(document).problems).toEqual([
      {
        rule: "schema",
        severity: "error",
        pointer: "/menu/4",
        message: "A menu item is one of 'privacy', 'imprint', 'my-data', 'unsubscribe' or `{ label, goto }`.",
      },
    ]);
  });

  it("reports a node id that breaks its pattern once, at the id, saying what a node id looks like", () => {
    const document = brokenFlow((flow) => {
      flow.nodes["bad id"] = { type: "end" };
    });
    expect(checkFlowValue(document).problems).toEqual([
      {
        rule: "schema",
        severity: "error",
        node: "bad id",
        pointer: "/nodes/bad id",
        atKey: true,
        message: "This is not a valid node id (letters, digits, - and _).",
      },
    ]);
  });

  it("reports a field name in a webhook's map that breaks its pattern once, at the name, saying what a field name looks like", () => {
    const document = brokenFlow((flow) => {
      flow.nodes.hook = { ...node.webhook([], "done"), map: { "1st": "/a" } };
    });
    expect(checkFlowValue(document).problems).toEqual([
      {
        rule: "schema",
        severity: "error",
        node: "hook",
        pointer: "/nodes/hook/map/1st",
        atKey: true,
        message: "This is not a valid field name (a letter, then letters, digits, - and _).",
      },
    ]);
  });

  it("refuses every name Object.prototype has as a field name or node id, saying why", () => {
    const reserved = [...Object.getOwnPropertyNames(Object.prototype), "prototype"];
    for (const definition of [commonSchema.definitions.fieldName, commonSchema.definitions.nodeId]) expect([...definition.not.enum].sort()).toEqual(reserved.sort());
    for (const name of ["constructor", "toString", "valueOf", "hasOwnProperty", "prototype"]) {
      const asField = brokenFlow((flow) => {
        flow.nodes.welcome = { ...node.input(name, "done") };
      });
      expect(checkFlowValue(asField).problems, name).toEqual([
        {
          rule: "schema",
          severity: "error",
          node: "welcome",
          pointer: "/nodes/welcome/field",
          message: `'${name}' is a name every JavaScript object has; choose another field name.`,
        },
      ]);
      const asMapKey = brokenFlow((flow) => {
        flow.nodes.welcome = { type: "set", set: { [name]: "x" }, next: "done" };
      });
      expect(checkFlowValue(asMapKey, { lang: "de" }).problems.map((problem) => [problem.pointer, problem.atKey, problem.message])).toEqual([
        [`/nodes/welcome/set/${name}`, true, `'${name}' hat jedes JavaScript-Objekt; bitte einen anderen Feldnamen wählen.`],
      ]);
      const asNodeId = brokenFlow((flow) => {
        flow.nodes[name] = { ...node.end() };
        flow.nodes.welcome = { ...node.message(name) };
      });
      expect(checkFlowValue(asNodeId, { lang: "de" }).problems.map((problem) => [problem.pointer, problem.message])).toEqual([
        [`/nodes/${name}`, `'${name}' hat jedes JavaScript-Objekt; bitte eine andere Schritt-ID wählen.`],
        ["/nodes/welcome/next", `'${name}' hat jedes JavaScript-Objekt; bitte eine andere Schritt-ID wählen.`],
      ]);
    }
  });

  it.each([[[1, 2]], [null], ["flow: x"], [42]])("reports %j as not a flow", (value) => {
    expect(checkFlowValue(value)).toEqual({
      problems: [
        {
          rule: "schema",
          severity: "error",
          pointer: "",
          message:
            "This is not a flow: a flow file is a YAML mapping with `flow`, `title`, `privacy`, `start` and `nodes`.",
        },
      ],
    });
  });

  it("reports a newer file format than this version supports", () => {
    const document = brokenFlow((flow) => {
      flow.format = 2;
    });
    expect(checkFlowValue(document).problems).toEqual([
      {
        rule: "schema",
        severity: "error",
        pointer: "/format",
        message: "Flow format 2 is not supported by this version of Botschaft (newest: 1).",
      },
    ]);
  });

  it("reports a flow id that differs from the expected id", () => {
    expect(checkFlowValue(minimalFlow().build(), { expectedId: "callback-request" }).problems).toEqual([
      {
        rule: "schema",
        severity: "error",
        pointer: "/flow",
        message: "The flow id 'test-flow' differs from the file name; rename the file or set `flow: callback-request`.",
      },
    ]);
  });

  it("runs no other rule on a schema-invalid flow, so the author sees no follow-up noise", () => {
    const document = brokenFlow((flow) => {
      (flow.nodes.welcome as Record<string, unknown>).next = "ask";
      (flow.nodes.welcome as Record<string, unknown>).colour = "blue";
      flow.nodes.ask = { ...node.input("email", "nirgendwo") };
      flow.menu = ["privacy"];
    });
    const result = checkFlowValue(document);
    expect(result.flow).toBeUndefined();
    expect(result.problems.map((problem) => problem.rule)).toEqual(["schema"]);
  });

  it("explains schema problems in German", () => {
    const document = brokenFlow((flow) => {
      (flow.nodes.welcome as Record<string, unknown>).colour = "blue";
    });
    expect(checkFlowValue(document, { lang: "de" }).problems.map((problem) => problem.message)).toEqual([
      "'colour' ist hier keine bekannte Einstellung (Schreibweise prüfen).",
    ]);
  });
});

describe("webhook addresses", () => {
  it.each(["http://crm.example/api", "https://user:secret@crm.example/api", "https://crm.example/a b"])("refuses %s", (url) => {
    const document = brokenFlow((flow) => {
      flow.nodes.hook = { type: "webhook", url, next: "done" };
    });
    expect(checkFlowValue(document).problems.map(({ rule, pointer, message }) => ({ rule, pointer, message }))).toEqual([
      { rule: "schema", pointer: "/nodes/hook/url", message: "This is not a valid https: address without user:password@." },
    ]);
  });
});
