/**
 * Fast YAML parsing that still knows where everything is. Files in the common block style take
 * the fast path (`fast-yaml.ts`); everything else is parsed by js-yaml's event parser, whose
 * flat event stream with source offsets gives the value and, when a problem needs a line and
 * column, locates its JSON pointer. Valid files never pay for locations.
 */
import {
  CORE_SCHEMA,
  constructFromEvents,
  EVENT_ID,
  type Event,
  getScalarValue,
  parseEvents,
  SCALAR_STYLE,
  YAMLException,
} from "js-yaml";
import { escapePointerSegment } from "../dsl/json-pointer.ts";
import { parseCommonYaml } from "./fast-yaml.ts";
import type { MessageCode } from "../validate/messages.ts";

/** Flows nest about six levels; anything past this is hostile or broken. */
export const maxNestingDepth = 64;

export type ParseFailure = {
  code: Extract<MessageCode, "yaml-syntax" | "yaml-duplicate-key" | "yaml-too-deep" | "yaml-alias-expansion" | "yaml-several-documents">;
  reason: string;
  offset: number;
};

/** `events` is absent when the fast path read the file; `eventsOf` produces them when needed. */
export type ParseResult = { value: unknown; events?: Event[] } | { failure: ParseFailure };

export function parseYaml(text: string): ParseResult {
  const common = parseCommonYaml(text, maxNestingDepth);
  if (common) return common;
  let events: Event[];
  let documents: unknown[];
  try {
    events = parseEvents(text, { maxDepth: maxNestingDepth });
    documents = constructFromEvents(events, { source: text, schema: CORE_SCHEMA, maxAliases: 1000 });
  } catch (error) {
    return { failure: describeParseError(error) };
  }
  if (documents.length > 1) return { failure: { code: "yaml-several-documents", reason: "", offset: secondDocumentOffset(events) } };
  const value = documents[0] ?? null;
  if (events.some((event) => event.type === EVENT_ID.ALIAS) && expandsExcessively(value, events.length)) {
    return { failure: { code: "yaml-alias-expansion", reason: "", offset: firstAliasOffset(events) } };
  }
  return { value, events };
}

/** The event stream of a text that `parseYaml` accepted, for locating pointers. */
export function eventsOf(text: string): Event[] {
  return parseEvents(text, { maxDepth: maxNestingDepth });
}

function describeParseError(error: unknown): ParseFailure {
  if (error instanceof YAMLException) {
    const reason = error.reason ?? error.message;
    const offset = error.mark?.position ?? 0;
    if (reason.startsWith("duplicated mapping key")) return { code: "yaml-duplicate-key", reason, offset };
    if (reason.startsWith("nesting exceeded")) return { code: "yaml-too-deep", reason, offset };
    return { code: "yaml-syntax", reason, offset };
  }
  // A parser bug or an exhausted stack must not take the caller down; report it at the start.
  return { code: "yaml-syntax", reason: error instanceof Error ? error.message : String(error), offset: 0 };
}

/**
 * Aliases share objects, so a "billion laughs" file is small in memory but explodes for anyone
 * walking it (the schema check, JSON export). Count the expanded size with memoisation and stop
 * early.
 */
function expandsExcessively(value: unknown, eventCount: number): boolean {
  const limit = eventCount * 4 + 10_000;
  const sizes = new Map<object, number>();
  const sizeOf = (node: unknown): number => {
    if (node === null || typeof node !== "object") return 1;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    let size = 1;
    for (const child of Object.values(node)) {
      size += sizeOf(child);
      if (size > limit) break;
    }
    sizes.set(node, size);
    return size;
  };
  return sizeOf(value) > limit;
}

function isQuoted(style: number): boolean {
  return style === SCALAR_STYLE.SINGLE_QUOTED || style === SCALAR_STYLE.DOUBLE_QUOTED;
}

function eventOffset(event: Event): number {
  // A quoted scalar's value starts after its opening quote; point at the quote.
  if (event.type === EVENT_ID.SCALAR) return isQuoted(event.style) ? event.valueStart - 1 : event.valueStart;
  if (event.type === EVENT_ID.MAPPING || event.type === EVENT_ID.SEQUENCE) return event.start;
  if (event.type === EVENT_ID.ALIAS) return event.anchorStart;
  return -1;
}

function firstAliasOffset(events: readonly Event[]): number {
  return Math.max(0, eventOffset(events.find((event) => event.type === EVENT_ID.ALIAS) ?? events[0] as Event));
}

function secondDocumentOffset(events: readonly Event[]): number {
  let documents = 0;
  for (const event of events) {
    if (event.type === EVENT_ID.DOCUMENT) documents++;
    else if (documents === 2 && eventOffset(event) >= 0) return eventOffset(event);
  }
  return 0;
}

/**
 * Finds the source offsets of JSON pointers in one pass over the events. A pointer to a
 * collection resolves to its key (the line a reader looks for); to a scalar, to the value.
 * A pointer that does not exist resolves to its nearest existing ancestor.
 */
export interface LocatedPointers {
  /** Offset of each pointer's value (of its key, for collections under a key). */
  values: Map<string, number>;
  /** Offset of each pointer's key, for values inside a mapping. */
  keys: Map<string, number>;
}

export function locatePointers(text: string, events: readonly Event[], pointers: Iterable<string>): LocatedPointers {
  const wanted = new Set<string>();
  for (const pointer of pointers) {
    wanted.add(pointer);
    for (let cut = pointer.lastIndexOf("/"); cut > 0; cut = pointer.lastIndexOf("/", cut - 1)) wanted.add(pointer.slice(0, cut));
  }
  wanted.add("");
  const found = new Map<string, number>();
  const keys = new Map<string, number>();

  type Frame = {
    pointer: string;
    kind: "document" | "mapping" | "sequence";
    index: number;
    pendingKey?: { pointer: string; offset: number } | undefined;
  };
  const stack: Frame[] = [];
  const record = (pointer: string, offset: number, keyOffset: number): void => {
    if (!wanted.has(pointer) || found.has(pointer)) return;
    if (offset >= 0) found.set(pointer, offset);
    if (keyOffset >= 0) keys.set(pointer, keyOffset);
  };
  /** The pointer and key offset of the value that starts now in the innermost collection. */
  const placeValue = (): { pointer: string; keyOffset: number } | undefined => {
    const frame = stack[stack.length - 1];
    if (!frame || frame.kind === "document") return { pointer: "", keyOffset: -1 };
    if (frame.kind === "mapping") {
      const key = frame.pendingKey;
      frame.pendingKey = undefined;
      return key ? { pointer: key.pointer, keyOffset: key.offset } : undefined;
    }
    return { pointer: `${frame.pointer}/${frame.index++}`, keyOffset: -1 };
  };

  const awaitsKey = (frame: Frame | undefined): boolean => frame?.kind === "mapping" && !frame.pendingKey;
  for (const event of events) {
    switch (event.type) {
      case EVENT_ID.DOCUMENT:
        stack.push({ pointer: "", kind: "document", index: 0 });
        break;
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        // Collections as keys never get here: constructing the value refuses them.
        const place = placeValue() ?? { pointer: "\u0000", keyOffset: -1 };
        record(place.pointer, place.keyOffset >= 0 ? place.keyOffset : event.start, place.keyOffset);
        stack.push({ pointer: place.pointer, kind: event.type === EVENT_ID.MAPPING ? "mapping" : "sequence", index: 0 });
        break;
      }
      case EVENT_ID.SCALAR:
      case EVENT_ID.ALIAS: {
        const frame = stack[stack.length - 1];
        if (frame && awaitsKey(frame)) {
          const key = event.type === EVENT_ID.SCALAR ? getScalarValue(text, event) : "\u0000";
          frame.pendingKey = { pointer: `${frame.pointer}/${escapePointerSegment(key)}`, offset: eventOffset(event) };
          break;
        }
        const place = placeValue();
        if (place) record(place.pointer, eventOffset(event), place.keyOffset);
        break;
      }
      case EVENT_ID.POP:
        stack.pop();
        break;
    }
  }
  return { values: found, keys };
}

/** The offset for `pointer` (or its key), falling back to its nearest located ancestor. */
export function offsetOf(located: LocatedPointers, pointer: string, atKey = false): number {
  const key = atKey ? located.keys.get(pointer) : undefined;
  if (key !== undefined) return key;
  for (let current = pointer; ; current = current.slice(0, current.lastIndexOf("/"))) {
    const offset = located.values.get(current);
    if (offset !== undefined) return offset;
    if (current === "") return 0;
  }
}
