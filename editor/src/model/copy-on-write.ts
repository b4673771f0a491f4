/**
 * Cheap document copies for the edit history. Deep-cloning a 1,000-node Document costs hundreds
 * of milliseconds, so a copy shares every node's subtree with its original, and an edit takes
 * its own copy of a node (`own`) just before changing it. Shared subtrees are therefore never
 * mutated, and unchanged nodes keep their identity, which also lets `documentValue` cache them.
 */
import { type Document, isMap, isPair, isScalar, Pair, type YAMLMap } from "yaml";

/** A flow file as a YAML document (re-exported by `flow-document.ts`, which builds on these copies). */
export type FlowDocument = Document.Parsed | Document;

/** Per copy: the `nodes`/`layout` entries it owns already. Documents not listed own everything. */
const ownedEntries = new WeakMap<FlowDocument, Set<string>>();

function shallow<T extends object>(value: T): T {
  return Object.create(Object.getPrototypeOf(value), Object.getOwnPropertyDescriptors(value)) as T;
}

function shallowPair(pair: Pair): Pair {
  // A pair holds only its key, value and source token; the constructor is much faster than
  // copying property descriptors, which matters at a thousand pairs per edit.
  const copy = new Pair(pair.key, pair.value);
  if (pair.srcToken) copy.srcToken = pair.srcToken;
  return copy;
}

/** A map with its own item list and pairs, whose keys and values are still shared. */
function shallowMap(map: YAMLMap): YAMLMap {
  const copy = shallow(map);
  copy.items = map.items.map(shallowPair);
  return copy;
}

/** shared maps whose entries are owned one by one; everything else at the top is small and copied. */
const sharedMaps = new Set(["nodes", "layout"]);

export function copyForEdit(doc: FlowDocument): FlowDocument {
  const contents = doc.contents;
  if (!isMap(contents)) return doc.clone();
  doc.contents = null;
  const copy = doc.clone();
  doc.contents = contents;
  const root = shallowMap(contents);
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? pair.key.value : pair.key;
    if (typeof key === "string" && sharedMaps.has(key) && isMap(pair.value)) pair.value = shallowMap(pair.value);
    else if (pair.value && typeof (pair.value as { clone?: unknown }).clone === "function") pair.value = (pair.value as { clone(): Pair["value"] }).clone();
  }
  copy.contents = root;
  ownedEntries.set(copy, new Set());
  return copy;
}

/** Makes `doc.<map>.<id>` (and its key) this document's own before it is changed in place. */
export function own(doc: FlowDocument, map: "nodes" | "layout", id: string): void {
  const owned = ownedEntries.get(doc);
  if (!owned || owned.has(`${map}\n${id}`)) return;
  owned.add(`${map}\n${id}`);
  const container = doc.get(map, true);
  if (!isMap(container)) return;
  const pair = container.items.find((item) => isPair(item) && (isScalar(item.key) ? item.key.value : item.key) === id);
  if (!pair) return;
  if (pair.key && typeof (pair.key as { clone?: unknown }).clone === "function") pair.key = (pair.key as { clone(): unknown }).clone();
  if (pair.value && typeof (pair.value as { clone?: unknown }).clone === "function") pair.value = (pair.value as { clone(): unknown }).clone();
}

/** Whether a document came from `copyForEdit`, whose finished edits never change a subtree again. */
export function isCopyForEdit(doc: FlowDocument): boolean {
  return ownedEntries.has(doc);
}
