/**
 * Canvas and form edits folded back into the flow document. Each operation mutates the
 * Document it is given (the history hands it a clone) through the `yaml` Document API, so
 * comments and the order and style of untouched entries survive.
 */
import { isMap, isPair, isScalar, isSeq, type Pair, YAMLMap } from "yaml";
import type { NodeType } from "../../../runtime/core/index.ts";
import { isNodeType, type NodeValue, nodePresentations, outletsOf } from "../nodes/node-presentations.ts";
import { own } from "./copy-on-write.ts";
import { position } from "./document-to-canvas.ts";
import type { FlowDocument } from "./flow-document.ts";
import { pointerPath } from "./flow-document.ts";

export interface Position {
  x: number;
  y: number;
}

type FlowValue = { nodes?: Record<string, NodeValue>; start?: unknown; menu?: unknown; layout?: unknown; language?: unknown };

/** The document's value mid-edit: never the cached one, since the edit is changing it. */
function flowValueOf(doc: FlowDocument): FlowValue {
  const value = doc.toJS({ maxAliasCount: 100 }) as unknown;
  return typeof value === "object" && value !== null ? (value as FlowValue) : {};
}

function nodesOf(doc: FlowDocument): Record<string, NodeValue> {
  const nodes = flowValueOf(doc).nodes;
  return typeof nodes === "object" && nodes !== null ? nodes : {};
}

/** Every reference to a node inside the `nodes` map, as [source id, pointer below the source]. */
export function referencesTo(doc: FlowDocument, target: string): [string, string][] {
  const found: [string, string][] = [];
  for (const [id, node] of Object.entries(nodesOf(doc))) {
    if (!isNodeType(node?.type)) continue;
    for (const outlet of outletsOf(node.type, node)) {
      if (doc.getIn(["nodes", id, ...pointerPath(outlet.pointer)]) === target) found.push([id, outlet.pointer]);
    }
  }
  return found;
}

/** Moving a box writes only its `layout` entry, kept on one line (`id: { x: 0, y: 0 }`). */
export function moveNode(doc: FlowDocument, id: string, position: Position): void {
  const x = Math.round(position.x);
  const y = Math.round(position.y);
  own(doc, "layout", id);
  const entry = doc.getIn(["layout", id], true);
  if (isMap(entry)) {
    entry.set("x", x);
    entry.set("y", y);
    return;
  }
  if (!isMap(doc.get("layout", true))) doc.set("layout", new YAMLMap());
  const created = doc.createNode({ x, y });
  created.flow = true;
  doc.setIn(["layout", id], created);
}

/** Writes positions for many nodes (auto-layout). */
export function moveNodes(doc: FlowDocument, positions: ReadonlyMap<string, Position>): void {
  for (const [id, position] of positions) moveNode(doc, id, position);
}

/** Sets (or, for `undefined`, removes) a property of a node; `path` is below the node. */
export function setNodeValue(doc: FlowDocument, id: string, path: readonly (string | number)[], value: unknown): void {
  const full = ["nodes", id, ...path];
  own(doc, "nodes", id);
  if (value === undefined) {
    if (doc.hasIn(full)) doc.deleteIn(full);
    return;
  }
  const existing = doc.getIn(full, true);
  if (isScalar(existing) && (typeof value === "string" || typeof value === "number" || typeof value === "boolean")) {
    // Keep the scalar's node (its comment and quoting style) and change only its value.
    existing.value = value;
    return;
  }
  const node = doc.createNode(value);
  if ((isSeq(node) || isMap(node)) && isFlowCollection(existing)) node.flow = true;
  doc.setIn(full, node);
}

function isFlowCollection(node: unknown): boolean {
  return (isSeq(node) || isMap(node)) && node.flow === true;
}

/** Sets a top-level property of the flow (title, privacy settings, menu …). */
export function setFlowValue(doc: FlowDocument, path: readonly (string | number)[], value: unknown): void {
  if (value === undefined) {
    if (doc.hasIn(path)) doc.deleteIn(path);
    return;
  }
  const existing = doc.getIn(path, true);
  if (isScalar(existing) && (typeof value === "string" || typeof value === "number" || typeof value === "boolean")) {
    existing.value = value;
    return;
  }
  if (path.length > 1 && !doc.hasIn(path.slice(0, -1))) doc.setIn(path.slice(0, -1), new YAMLMap());
  doc.setIn(path, doc.createNode(value));
}

/** A fresh node id: `message-1`, `message-2`, … (or `base` itself first when `plainFirst`). */
export function freshNodeId(doc: FlowDocument, base: string, plainFirst = false): string {
  const nodes = nodesOf(doc);
  if (plainFirst && !Object.hasOwn(nodes, base)) return base;
  for (let index = 1; ; index++) {
    const id = `${base}-${index}`;
    if (!Object.hasOwn(nodes, id)) return id;
  }
}

function flowLanguage(doc: FlowDocument): "de" | "en" {
  return flowValueOf(doc).language === "en" ? "en" : "de";
}

/** Adds a node of a type with its template content; the first node becomes the start. */
export function addNode(doc: FlowDocument, type: NodeType, position: Position, id = freshNodeId(doc, type)): string {
  if (!isMap(doc.get("nodes", true))) doc.set("nodes", new YAMLMap());
  doc.setIn(["nodes", id], doc.createNode({ type, ...nodePresentations[type].template(flowLanguage(doc)) }));
  if (doc.get("start") === undefined) doc.set("start", id);
  moveNode(doc, id, position);
  return id;
}

/** Points a node's outlet (e.g. `/options/0/next`) at a target node. */
export function connect(doc: FlowDocument, source: string, pointer: string, target: string): void {
  setNodeValue(doc, source, pointerPath(pointer), target);
}

export function disconnect(doc: FlowDocument, source: string, pointer: string): void {
  setNodeValue(doc, source, pointerPath(pointer), undefined);
}

/** Removes a node, its layout line and every outlet pointing at it. */
export function deleteNode(doc: FlowDocument, id: string): void {
  for (const [source, pointer] of referencesTo(doc, id)) if (source !== id) disconnect(doc, source, pointer);
  doc.deleteIn(["nodes", id]);
  if (doc.hasIn(["layout", id])) doc.deleteIn(["layout", id]);
}

function renameKey(doc: FlowDocument, mapPath: "nodes" | "layout", from: string, to: string): void {
  own(doc, mapPath, from);
  const map = doc.get(mapPath, true);
  if (!isMap(map)) return;
  const pair = map.items.find((item): item is Pair => isPair(item) && (isScalar(item.key) ? item.key.value : item.key) === from);
  if (!pair) return;
  if (isScalar(pair.key)) pair.key.value = to;
  else pair.key = doc.createNode(to);
}

export const nodeIdPattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$/;

/** Renames a node in place (same position in the file) and updates every reference to it. */
export function renameNode(doc: FlowDocument, from: string, to: string): void {
  if (!nodeIdPattern.test(to)) throw new RangeError(`'${to}' is not a valid node id.`);
  if (doc.hasIn(["nodes", to])) throw new RangeError(`A node '${to}' exists already.`);
  const references = referencesTo(doc, from);
  renameKey(doc, "nodes", from, to);
  renameKey(doc, "layout", from, to);
  for (const [source, pointer] of references) connect(doc, source === from ? to : source, pointer, to);
  if (doc.get("start") === from) setFlowValue(doc, ["start"], to);
  const menu = doc.get("menu", true);
  if (isSeq(menu)) {
    menu.items.forEach((item, index) => {
      if (isMap(item) && item.get("goto") === from) doc.setIn(["menu", index, "goto"], to);
    });
  }
}

/** Makes a copy of a node next to it; its outlets keep their targets. */
export function duplicateNode(doc: FlowDocument, id: string, offset: Position = { x: 40, y: 40 }): string {
  const node = nodesOf(doc)[id];
  if (!node || !isNodeType(node.type)) throw new RangeError(`There is no node '${id}'.`);
  const copy = freshNodeId(doc, id);
  doc.setIn(["nodes", copy], doc.createNode(node));
  const layout = flowValueOf(doc).layout as Record<string, Position> | undefined;
  const at = layout?.[id] ?? { x: 0, y: 0 };
  moveNode(doc, copy, { x: at.x + offset.x, y: at.y + offset.y });
  return copy;
}

export interface ConsentFixTexts {
  purpose: string;
  text: string;
  declined: string;
}

/**
 * The one-click fix for `consent-missing`: a consent covering `fields` is put in front of the
 * node. Every way into the node (edges, `start`, menu items) now leads to the consent, whose
 * accept goes on to the node, so no path reaches it without that consent. Decline goes to a
 * new end node with a polite text. Returns the consent's id.
 */
export function insertConsentBefore(doc: FlowDocument, target: string, fields: readonly string[], texts: ConsentFixTexts): string {
  const references = referencesTo(doc, target);
  const consentId = freshNodeId(doc, `consent-${target}`.slice(0, 70), true);
  const declinedId = freshNodeId(doc, `no-consent-${target}`.slice(0, 70), true);
  const layout = flowValueOf(doc).layout as Record<string, unknown> | undefined;
  const at = position(layout?.[target]);
  doc.setIn(
    ["nodes", consentId],
    doc.createNode({ type: "consent", purpose: texts.purpose, covers: [...new Set(fields)], text: texts.text, accept: target, decline: declinedId }),
  );
  const covers = doc.getIn(["nodes", consentId, "covers"], true);
  if (isSeq(covers)) covers.flow = true;
  doc.setIn(["nodes", declinedId], doc.createNode({ type: "end", text: texts.declined }));
  for (const [source, pointer] of references) connect(doc, source, pointer, consentId);
  if (doc.get("start") === target) setFlowValue(doc, ["start"], consentId);
  const menu = doc.get("menu", true);
  if (isSeq(menu)) {
    menu.items.forEach((item, index) => {
      if (isMap(item) && item.get("goto") === target) doc.setIn(["menu", index, "goto"], consentId);
    });
  }
  // Without a saved position the automatic layout places all three; with one, a row is made for
  // the consent where the step was: the step and everything below it move down one row, and the
  // decline's end sits beside the consent. (Left of the step, the consent read as a side branch.)
  if (layout && at) {
    const below = new Map<string, Position>();
    for (const [id, entry] of Object.entries(layout)) {
      const saved = position(entry);
      if (saved && saved.y > at.y - sameRowSlack) below.set(id, { x: saved.x, y: saved.y + insertedRowHeight });
    }
    moveNodes(doc, below);
    moveNode(doc, consentId, at);
    moveNode(doc, declinedId, { x: at.x + besideOffset, y: at.y });
  }
  return consentId;
}

/** How far a row made for an inserted step pushes the steps below it down, and how far beside it a second one sits. */
const insertedRowHeight = 150;
const besideOffset = 260;
/** Boxes up to this much higher than the step count as its row. */
const sameRowSlack = 40;

