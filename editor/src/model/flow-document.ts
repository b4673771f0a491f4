/**
 * The editor's model: a `yaml` Document (comments, key order and styles kept), parsed once per
 * load and edited through the Document API. Saving keeps every line the user did not touch
 * byte for byte (see `serializeFlow`).
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from "yaml";
import { type FlowDocument, isCopyForEdit } from "./copy-on-write.ts";
import { matchLines } from "./line-diff.ts";

export type { FlowDocument };

export interface SourceError {
  message: string;
  /** The `yaml` library's error code (e.g. BAD_INDENT), for messages in the UI's language. */
  code?: string;
  line: number;
  column: number;
}

export interface ParsedFlow {
  doc: FlowDocument;
  errors: SourceError[];
}

/** Options shared by every stringification, so a base and an edited text differ only by edits. */
export const stringifyOptions = { lineWidth: 0, minContentWidth: 0 } as const;

export function parseFlowText(text: string): ParsedFlow {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const errors = doc.errors.map((error) => {
    const position = lineCounter.linePos(error.pos[0]);
    return { message: error.message.split("\n")[0] ?? error.message, code: error.code, line: position.line, column: position.col };
  });
  return { doc, errors };
}

/** A JSON pointer (`/options/1/next`) as a `yaml` path; numeric segments index sequences. */
export function pointerPath(pointer: string): (string | number)[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((segment) => (/^(0|[1-9]\d*)$/.test(segment) ? Number(segment) : segment));
}

/** Plain values of node subtrees; a subtree is never changed in place once shared (copy-on-write). */
const valueCache = new WeakMap<object, unknown>();

/**
 * The plain JavaScript value of the document: what the validator and the canvas read. Node and
 * layout entries are converted once per subtree and reused by later versions of the document.
 */
export function documentValue(doc: FlowDocument): unknown {
  const root = doc.contents;
  // Only finished copy-on-write versions are safe to cache: other documents may change in place.
  if (!isMap(root) || !isCopyForEdit(doc)) return doc.toJS({ maxAliasCount: 100 });
  const value: Record<string, unknown> = {};
  for (const pair of root.items) {
    const key = String(isScalar(pair.key) ? pair.key.value : pair.key);
    const child = pair.value;
    if ((key === "nodes" || key === "layout") && isMap(child)) {
      const entries: Record<string, unknown> = {};
      for (const entry of child.items) entries[String(isScalar(entry.key) ? entry.key.value : entry.key)] = cachedValue(doc, entry.value);
      value[key] = entries;
    } else value[key] = isScalar(child) || isMap(child) || isSeq(child) ? child.toJS(doc) : child;
  }
  return value;
}

function cachedValue(doc: FlowDocument, node: unknown): unknown {
  if (!(isScalar(node) || isMap(node) || isSeq(node))) return node ?? null;
  if (valueCache.has(node)) return valueCache.get(node);
  const value = node.toJS(doc);
  valueCache.set(node, value);
  return value;
}

/** 1-based line and column of the value at a JSON pointer (the closest existing parent). */
export function locatePointer(doc: FlowDocument, text: string, pointer: string): { line: number; column: number } {
  let path = pointerPath(pointer);
  let node: unknown;
  while (true) {
    node = path.length === 0 ? doc.contents : doc.getIn(path, true);
    if ((node && (isScalar(node) || isMap(node) || isSeq(node))) || path.length === 0) break;
    path = path.slice(0, -1);
  }
  const offset = (node as YamlNode | null)?.range?.[0] ?? 0;
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < offset && index < text.length; index++) {
    if (text.charCodeAt(index) === 10) {
      line++;
      lineStart = index + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** A line without comment, indentation and bracket padding: what survives re-stringifying. */
function normalize(line: string): string {
  return line
    .replace(/(^|\s)#.*$/, "")
    .replace(/([[{])\s+/g, "$1")
    .replace(/\s+([\]}])/g, "$1")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * The text to save. The stringifier normalises some formatting (aligned comments, bracket
 * padding), so the loaded document is stringified too (the base). Lines the edit did not change
 * (equal in base and edited text) are written as they were in the source; only edited lines
 * come from the stringifier. Source and base are aligned by a diff of normalised lines.
 */
export function serializeFlow(source: string, loaded: FlowDocument, edited: FlowDocument): string {
  const after = edited.toString(stringifyOptions);
  const sourceLines = source.split("\n");
  const baseLines = loaded.toString(stringifyOptions).split("\n");
  const afterLines = after.split("\n");
  const baseOfAfter = matchLines(baseLines, afterLines);
  const sourceOfBase = matchLines(sourceLines.map(normalize), baseLines.map(normalize));
  // Source lines that stand for a line of the base: when the edit removed that line, so is it.
  const inBase = new Set(sourceOfBase.filter((index) => index !== -1));
  const out: string[] = [];
  // Unchanged lines the stringifier reformatted (a folded text, a moved comment): kept back
  // until it is clear whether the source lines they stand for are written instead.
  let pending: string[] = [];
  let lastSource = -1;
  let previousUnchanged = true;
  const flush = () => {
    out.push(...pending.filter((line) => normalize(line) !== ""));
    pending = [];
  };
  afterLines.forEach((line, index) => {
    const base = baseOfAfter[index] as number;
    const sourceIndex = base === -1 ? -1 : (sourceOfBase[base] as number);
    if (base === -1) {
      flush();
      out.push(line);
      previousUnchanged = false;
    } else if (sourceIndex === -1) {
      pending.push(line);
    } else {
      if (previousUnchanged) {
        pending = [];
        for (let skipped = lastSource + 1; skipped < sourceIndex; skipped++) if (!inBase.has(skipped)) out.push(sourceLines[skipped] as string);
      } else flush();
      out.push(sourceLines[sourceIndex] as string);
      lastSource = sourceIndex;
      previousUnchanged = true;
    }
  });
  flush();
  return out.join("\n");
}
