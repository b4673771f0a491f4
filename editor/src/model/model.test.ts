import { diffLines } from "./line-diff.ts";
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkFlowValue, edgesOf, nodeDefinitions, type NodeType } from "../../../runtime/core/index.ts";
import { isNodeType, nodePresentations, nodeTypes, outletsOf } from "../nodes/node-presentations.ts";
import { autoLayout } from "./auto-layout.ts";
import { documentToCanvas } from "./document-to-canvas.ts";
import {
  addNode,
  connect,
  deleteNode,
  disconnect,
  duplicateNode,
  insertConsentBefore,
  moveNode,
  moveNodes,
  renameNode,
  setFlowValue,
  setNodeValue,
} from "./edit-operations.ts";
import { documentValue, locatePointer, parseFlowText, serializeFlow } from "./flow-document.ts";
import { applyEdit, redo, startHistory, undo } from "./history.ts";

const reference = readFileSync(new URL("../../../examples/callback-request.yaml", import.meta.url), "utf8");

function load(text = reference) {
  const { doc, errors } = parseFlowText(text);
  expect(errors).toEqual([]);
  return doc;
}

function edited(text: string, edit: (doc: ReturnType<typeof load>) => void): string {
  const loaded = load(text);
  const doc = loaded.clone();
  edit(doc);
  return serializeFlow(text, loaded, doc);
}

function changedLines(before: string, after: string): string[] {
  const a = before.split("\n");
  const b = after.split("\n");
  expect(b.length).toBe(a.length);
  return b.filter((line, index) => line !== a[index]);
}

const fixtureTypes = nodeTypes;

describe("node presentations", () => {
  it("has an editor presentation for every core node type", () => {
    expect(Object.keys(nodePresentations).sort()).toEqual(Object.keys(nodeDefinitions).sort());
  });

  it.each(fixtureTypes)("gives %s a handle for every edge slot of the core, connected or not", (type: NodeType) => {
    const fixture = parseFlowText(readFileSync(new URL(`../../../runtime/core/nodes/fixtures/${type}.yaml`, import.meta.url), "utf8"));
    const node = documentValue(fixture.doc) as Record<string, unknown>;
    expect(node.type).toBe(type);
    const pointers = outletsOf(type, node).map((outlet) => outlet.pointer);
    // The fixture's connected edges are among the handles…
    for (const edge of edgesOf(node as never)) expect(pointers).toContain(edge.pointer);
    // …and so are the unconnected ones, which a node without any reference still shows.
    const bare = { type } as Record<string, unknown>;
    for (const outlet of outletsOf(type, bare)) expect(pointers).toContain(outlet.pointer);
  });

  it("labels a choice's handles with the options and a condition's with the tests", () => {
    const choice = { type: "choice", text: "?", options: [{ label: "Ja", next: "a" }, { label: "Nein" }] };
    expect(outletsOf("choice", choice)).toEqual([
      { pointer: "/options/0/next", kind: "option", label: "Ja" },
      { pointer: "/options/1/next", kind: "option", label: "Nein" },
    ]);
    const condition = { type: "condition", if: [{ field: "thema", equals: "akku", next: "a" }], else: "b" };
    expect(outletsOf("condition", condition)).toEqual([
      { pointer: "/if/0/next", kind: "branch", label: "thema equals akku" },
      { pointer: "/else", kind: "else" },
    ]);
    expect(outletsOf("webhook", { type: "webhook" })).toEqual([
      { pointer: "/next", kind: "next" },
      { pointer: "/error", kind: "error" },
    ]);
  });

  it("makes templates the schema accepts once their references are set", () => {
    for (const type of nodeTypes) {
      const template = { type, ...nodePresentations[type].template("de") } as Record<string, unknown>;
      const outlets = outletsOf(type, template);
      const flow = {
        flow: "t",
        title: "T",
        language: "de",
        privacy: { controller: { name: "A", address: "B", email: "a@b.de" }, policyUrl: "https://a.de/p", imprintUrl: "https://a.de/i", retention: "P30D" },
        menu: ["privacy", "imprint", "my-data", "unsubscribe"],
        start: "n",
        nodes: { n: template, done: { type: "end" } } as Record<string, unknown>,
      };
      let fresh = load(JSON.stringify(flow));
      fresh = fresh.clone();
      for (const outlet of outlets) connect(fresh, "n", outlet.pointer, "done");
      if (type === "condition") setNodeValue(fresh, "n", ["if", 0, "next"], "done");
      const problems = checkFlowValue(documentValue(fresh)).problems.filter((problem) => problem.rule === "schema");
      expect({ type, problems }).toEqual({ type, problems: [] });
    }
  });
});

describe("documentToCanvas", () => {
  it("turns every node into a box and every reference into an edge on its outlet", () => {
    const canvas = documentToCanvas(documentValue(load()));
    expect(canvas.nodes.map((node) => node.id)).toEqual([
      "welcome",
      "main",
      "consent-callback",
      "ask-name",
      "ask-phone",
      "send-crm",
      "thanks",
      "no-consent",
      "hours",
      "done",
    ]);
    const consent = canvas.nodes.find((node) => node.id === "consent-callback");
    expect(consent?.data).toEqual({
      nodeType: "consent",
      firstLine: "Rückruf zu Ihrem Anliegen",
      outlets: [
        { pointer: "/accept", kind: "accept" },
        { pointer: "/decline", kind: "decline" },
      ],
      isStart: false,
    });
    expect(canvas.edges.filter((edge) => edge.source === "main")).toEqual([
      { id: "main/options/0/next", source: "main", sourceHandle: "/options/0/next", target: "consent-callback", data: { kind: "option" } },
      { id: "main/options/1/next", source: "main", sourceHandle: "/options/1/next", target: "hours", data: { kind: "option" } },
    ]);
    expect(canvas.nodes.every((node) => node.position === undefined)).toBe(true);
  });

  it("keeps unknown node types and references to missing nodes from breaking the canvas", () => {
    const canvas = documentToCanvas({ nodes: { a: { type: "teleport" }, b: { type: "message", text: "x", next: "ghost" }, c: null } });
    expect(canvas.nodes.map((node) => [node.id, node.data.nodeType])).toEqual([
      ["a", "unknown"],
      ["b", "message"],
      ["c", "unknown"],
    ]);
    expect(canvas.edges).toEqual([]);
  });

  it("reads positions from layout", () => {
    const text = edited(reference, (doc) => moveNode(doc, "welcome", { x: 10.4, y: -20 }));
    expect(documentToCanvas(documentValue(load(text))).nodes[0]?.position).toEqual({ x: 10, y: -20 });
  });
});

describe("saving keeps untouched lines", () => {
  it("drops keys removed from the middle of a step while another is added (a webhook step turned into an integration preset)", () => {
    const text = readFileSync(new URL("../../../examples/newsletter-signup.yaml", import.meta.url), "utf8");
    const saved = edited(text, (doc) => {
      for (const key of ["url", "timeout", "error"]) doc.deleteIn(["nodes", "subscribe", key]);
      doc.setIn(["nodes", "subscribe", "integration"], doc.createNode({ preset: "brevo" }));
    });
    const step = saved.split("  subscribe:\n")[1]?.split("\n  confirm-link:")[0] ?? "";
    expect(step).not.toContain("url: https://api.postfach-versand.example/v1/lists");
    expect(step).not.toContain("timeout:");
    expect(step).not.toContain("error:");
    expect(step).toContain("integration:\n      preset: brevo");
    // Comments elsewhere in the file are still there.
    expect(saved).toContain("# springt direkt zur Einwilligung, nie an ihr vorbei");
  });

  it.each(readdirSync(new URL("../../../examples/", import.meta.url)).filter((name) => name.endsWith(".yaml") && !name.endsWith(".faq.yaml")))("saves %s unchanged when nothing was edited", (name) => {
    const text = readFileSync(new URL(`../../../examples/${name}`, import.meta.url), "utf8");
    expect(edited(text, () => {})).toBe(text);
  });

  it("changes only the layout line when a node moves and only the text line when a text changes", () => {
    const withLayout = edited(reference, (doc) => {
      moveNode(doc, "welcome", { x: 0, y: 0 });
      moveNode(doc, "main", { x: 0, y: 140 });
    });
    const after = edited(withLayout, (doc) => {
      moveNode(doc, "main", { x: 35, y: 160 });
      setNodeValue(doc, "thanks", ["text"], "Vielen Dank, {{name}}!");
    });
    expect(changedLines(withLayout, after)).toEqual(["    text: Vielen Dank, {{name}}!", "  main: { x: 35, y: 160 }"]);
  });

  it("keeps aligned comments of untouched lines byte for byte", () => {
    const after = edited(reference, (doc) => setNodeValue(doc, "hours", ["text"], "Rund um die Uhr."));
    expect(after).toContain("flow: callback-request          # id: kebab-case, equal to the file name");
    expect(changedLines(reference, after)).toEqual(["    text: Rund um die Uhr."]);
  });

  it("appends a layout map with one line per node when the file has none", () => {
    const after = edited(reference, (doc) => moveNode(doc, "done", { x: 1, y: 2 }));
    expect(after.endsWith("layout:\n  done: { x: 1, y: 2 }\n")).toBe(true);
  });
});

describe("edit operations", () => {
  it("adds a node with its template and a layout line; the first node becomes the start", () => {
    const doc = load("flow: x\nnodes: {}\n").clone();
    const id = addNode(doc, "message", { x: 5, y: 6 });
    expect(id).toBe("message-1");
    expect(documentValue(doc)).toEqual({ flow: "x", nodes: { "message-1": { type: "message", text: "Neue Nachricht" } }, start: "message-1", layout: { "message-1": { x: 5, y: 6 } } });
  });

  it("connects, reconnects and disconnects an outlet", () => {
    const doc = load().clone();
    connect(doc, "main", "/options/1/next", "welcome");
    expect(doc.getIn(["nodes", "main", "options", 1, "next"])).toBe("welcome");
    disconnect(doc, "ask-phone", "/next");
    expect(doc.hasIn(["nodes", "ask-phone", "next"])).toBe(false);
  });

  it("deletes a node with its layout line and the outlets pointing at it", () => {
    const doc = load().clone();
    moveNode(doc, "hours", { x: 1, y: 1 });
    deleteNode(doc, "hours");
    const value = documentValue(doc) as { nodes: Record<string, Record<string, unknown>>; layout: object };
    expect(value.nodes.hours).toBeUndefined();
    expect(value.layout).toEqual({});
    expect((value.nodes.main?.options as { next?: string }[] | undefined)?.[1]).toEqual({ label: "Öffnungszeiten" });
  });

  it("renames a node in place and updates references, start, menu and layout", () => {
    const doc = load().clone();
    moveNode(doc, "hours", { x: 1, y: 1 });
    renameNode(doc, "hours", "opening-hours");
    renameNode(doc, "welcome", "hello");
    const value = documentValue(doc) as { start: string; menu: unknown[]; nodes: Record<string, Record<string, unknown>>; layout: object };
    expect(Object.keys(value.nodes).slice(0, 1)).toEqual(["hello"]);
    expect(Object.keys(value.nodes).at(-2)).toBe("opening-hours");
    expect(value.start).toBe("hello");
    expect(value.menu[4]).toEqual({ label: "Öffnungszeiten", goto: "opening-hours" });
    expect(value.layout).toEqual({ "opening-hours": { x: 1, y: 1 } });
    expect(checkFlowValue(value).problems.filter((problem) => problem.severity === "error")).toEqual([]);
    expect(() => renameNode(doc, "hello", "main")).toThrow(RangeError);
    expect(() => renameNode(doc, "hello", "../x")).toThrow(RangeError);
  });

  it("duplicates a node next to the original", () => {
    const doc = load().clone();
    const copy = duplicateNode(doc, "hours");
    expect(copy).toBe("hours-1");
    expect(doc.getIn(["nodes", copy, "text"])).toBe("Montag bis Freitag, 9 bis 17 Uhr.");
    expect(documentValue(doc)).toMatchObject({ layout: { "hours-1": { x: 40, y: 40 } } });
  });

  it("fixes consent-missing with one inserted consent in front of the offending node", () => {
    const doc = load().clone();
    // Skip the consent: the choice leads straight to the name question.
    connect(doc, "main", "/options/0/next", "ask-name");
    setFlowValue(doc, ["menu", 4], { label: "Rückruf", goto: "ask-name" });
    const before = checkFlowValue(documentValue(doc)).problems.filter((problem) => problem.rule === "consent-missing");
    expect(before.map((problem) => `${problem.node}:${problem.field}`).sort()).toEqual(["ask-name:name", "ask-phone:phone", "send-crm:name", "send-crm:phone"]);
    const consent = insertConsentBefore(doc, "ask-name", ["name", "phone"], { purpose: "Rückruf", text: "Dürfen wir …?", declined: "Schade." });
    const after = checkFlowValue(documentValue(doc)).problems;
    expect(after.filter((problem) => problem.rule === "consent-missing")).toEqual([]);
    expect(after.filter((problem) => problem.severity === "error")).toEqual([]);
    expect(doc.getIn(["nodes", "main", "options", 0, "next"])).toBe(consent);
    expect(doc.getIn(["menu", 4, "goto"])).toBe(consent);
    expect(consent).toBe("consent-ask-name");
    expect(doc.getIn(["nodes", consent, "accept"])).toBe("ask-name");
    expect(doc.getIn(["nodes", consent, "decline"])).toBe("no-consent-ask-name");
    expect(doc.toString()).toContain("covers: [ name, phone ]");
  });

  it("makes a row for the inserted consent where the step was, moving the step and what is below it down", () => {
    const doc = load().clone();
    connect(doc, "main", "/options/0/next", "ask-name");
    moveNodes(
      doc,
      new Map([
        ["main", { x: 300, y: 100 }],
        ["hours", { x: 560, y: 250 }],
        ["ask-name", { x: 300, y: 260 }],
        ["ask-phone", { x: 300, y: 400 }],
      ]),
    );
    const consent = insertConsentBefore(doc, "ask-name", ["name"], { purpose: "Rückruf", text: "Dürfen wir …?", declined: "Schade." });
    const layout = (documentValue(doc) as { layout: unknown }).layout as Record<string, { x: number; y: number }>;
    expect(layout[consent]).toEqual({ x: 300, y: 260 });
    expect(layout[`no-${consent}`]).toEqual({ x: 560, y: 260 });
    expect(layout["ask-name"]).toEqual({ x: 300, y: 410 });
    expect(layout["ask-phone"]).toEqual({ x: 300, y: 550 });
    // In the step's row (a little higher counts too), so it moves with it; above it nothing moves.
    expect(layout.hours).toEqual({ x: 560, y: 400 });
    expect(layout.main).toEqual({ x: 300, y: 100 });
  });

  it("leaves the inserted consent to the automatic layout when the step has no saved position", () => {
    const doc = load().clone();
    connect(doc, "main", "/options/0/next", "ask-name");
    const consent = insertConsentBefore(doc, "ask-name", ["name"], { purpose: "Rückruf", text: "Dürfen wir …?", declined: "Schade." });
    const layout = ((documentValue(doc) as { layout?: unknown }).layout ?? {}) as Record<string, unknown>;
    expect(layout[consent]).toBeUndefined();
    expect(layout[`no-${consent}`]).toBeUndefined();
  });
});

describe("history", () => {
  it("makes one undo step of consecutive edits with the same key", () => {
    let history = startHistory(load());
    history = applyEdit(history, (doc) => setNodeValue(doc, "hours", ["text"], "M"), "hours/text");
    history = applyEdit(history, (doc) => setNodeValue(doc, "hours", ["text"], "Mo"), "hours/text");
    expect(history.past.length).toBe(1);
    history = applyEdit(history, (doc) => setNodeValue(doc, "done", ["text"], "Bye"), "done/text");
    expect(history.past.length).toBe(2);
    expect(undo(undo(history)).present.getIn(["nodes", "hours", "text"])).toBe("Montag bis Freitag, 9 bis 17 Uhr.");
  });

  it("undoes and redoes edits as document snapshots", () => {
    let history = startHistory(load());
    history = applyEdit(history, (doc) => setNodeValue(doc, "hours", ["text"], "A"));
    history = applyEdit(history, (doc) => setNodeValue(doc, "hours", ["text"], "B"));
    expect(history.present.getIn(["nodes", "hours", "text"])).toBe("B");
    history = undo(history);
    expect(history.present.getIn(["nodes", "hours", "text"])).toBe("A");
    history = undo(undo(history));
    expect(history.present.getIn(["nodes", "hours", "text"])).toBe("Montag bis Freitag, 9 bis 17 Uhr.");
    history = redo(history);
    expect(history.present.getIn(["nodes", "hours", "text"])).toBe("A");
  });
});

describe("parse errors and locations", () => {
  it("locates a YAML syntax error by line and column", () => {
    const { errors } = parseFlowText("flow: x\nnodes:\n  a: [unclosed\n");
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]?.line).toBeGreaterThanOrEqual(3);
  });

  it("locates a JSON pointer in the source", () => {
    expect(locatePointer(load(), reference, "/nodes/hours/text")).toEqual({ line: reference.split("\n").findIndex((line) => line.includes("Montag bis")) + 1, column: 11 });
  });
});

describe("autoLayout", () => {
  it("places every node, later layers further down", async () => {
    const canvas = documentToCanvas(documentValue(load()));
    const positions = await autoLayout(canvas);
    expect([...positions.keys()].sort()).toEqual(canvas.nodes.map((node) => node.id).sort());
    expect((positions.get("main")?.y ?? 0) > (positions.get("welcome")?.y ?? 0)).toBe(true);
  });
});

it("knows node types", () => {
  expect(isNodeType("message")).toBe(true);
  expect(isNodeType("toString")).toBe(false);
});

describe("copy-on-write edits", () => {
  it("never changes an earlier snapshot and shares the nodes an edit did not touch", () => {
    let history = startHistory(load());
    const before = history.present.toString();
    const hoursBefore = history.present.getIn(["nodes", "hours"], true);
    history = applyEdit(history, (doc) => {
      setNodeValue(doc, "welcome", ["text"], "Moin!");
      moveNode(doc, "welcome", { x: 1, y: 2 });
      renameNode(doc, "main", "menu-choice");
      connect(doc, "hours", "/next", "done");
      insertConsentBefore(doc, "ask-phone", ["phone"], { purpose: "P", text: "T", declined: "D" });
      deleteNode(doc, "no-consent");
    });
    expect(history.past[0]?.toString()).toBe(before);
    expect(history.present.getIn(["nodes", "thanks"], true)).toBe(history.past[0]?.getIn(["nodes", "thanks"], true));
    expect(history.present.getIn(["nodes", "hours"], true)).not.toBe(hoursBefore);
    expect(documentValue(history.present)).toEqual(load(history.present.toString()).toJS());
    expect(documentValue(history.past[0] as ReturnType<typeof load>)).toEqual(load(before).toJS());
  });
});

describe("diffLines", () => {
  it("marks kept, removed and added lines in reading order", () => {
    expect(diffLines("a\nb\nc\nd", "a\nc\nx\nd\ne")).toEqual([
      { kind: "same", text: "a" },
      { kind: "removed", text: "b" },
      { kind: "same", text: "c" },
      { kind: "added", text: "x" },
      { kind: "same", text: "d" },
      { kind: "added", text: "e" },
    ]);
    expect(diffLines("same", "same")).toEqual([{ kind: "same", text: "same" }]);
  });
});
