/**
 * The fast path of flow loading: a reader for the plain, block-style YAML that flow files are
 * written in (block mappings and sequences, plain and quoted one-line scalars, one-line flow
 * collections, literal and folded block scalars, comments). It is about five times faster than
 * js-yaml's event parser on large flows and does not slow down with repeated use.
 *
 * It never decides anything on its own: whatever lies outside that subset — anchors, aliases,
 * tags, directives, several documents, multi-line plain or quoted scalars, duplicate keys, tabs
 * in indentation, carriage returns, unusual characters, anything malformed — makes it give up,
 * and the caller parses the text with js-yaml, which either produces the value or a located
 * error. Scalars are resolved by js-yaml's own CORE schema, and a differential test checks that
 * the values equal js-yaml's on every flow and on generated documents.
 */
import { CORE_SCHEMA } from "js-yaml";

/** Thrown (one shared instance, no stack) when the text leaves the supported subset. */
const outsideSubset = Object.freeze({ outsideSubset: true });

const space = 32;
const newline = 10;
const hash = 35;
const colon = 58;
const dash = 45;
const singleQuote = 39;
const doubleQuote = 34;

/**
 * Characters this reader leaves to js-yaml: control characters (carriage returns included),
 * non-ASCII line breaks, BOMs inside the text and non-characters. Lone surrogates are checked
 * with `isWellFormed`, which is much faster than a regular expression for them.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const unusualCharacter = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u2028\u2029\uFEFF\uFFFE\uFFFF]/;

/**
 * Drops trailing spaces (and tabs) from a plain scalar. Only these two are YAML whitespace;
 * `String.prototype.trimEnd` would also drop no-break and other Unicode spaces, which YAML keeps
 * as content, so the value would depend on which parser read the file.
 */
function trimYamlWhitespaceEnd(source: string): string {
  let end = source.length;
  while (end > 0) {
    const code = source.charCodeAt(end - 1);
    if (code !== space && code !== 9) break;
    end--;
  }
  return end === source.length ? source : source.slice(0, end);
}

/** Starts of a value that belong to YAML features outside the subset. */
function isUnsupportedIndicator(code: number): boolean {
  // & * ! % @ ` and the flow/structure indicators that cannot start a plain scalar here.
  return code === 38 || code === 42 || code === 33 || code === 37 || code === 64 || code === 96 || code === 44 || code === 93 || code === 125 || code === hash;
}

/** First characters of every implicit non-string scalar in the CORE schema (null, bool, int, float). */
const mayResolveToNonString = /^[~nNtTfF+\-.0-9]/;

function resolvePlain(source: string): unknown {
  return mayResolveToNonString.test(source) ? CORE_SCHEMA.resolveImplicitScalarTag(source).value : source;
}

/**
 * Parses `text` when it lies inside the supported subset; `undefined` means "use the full
 * parser", never "invalid".
 */
export function parseCommonYaml(text: string, maxDepth: number): { value: unknown } | undefined {
  if (unusualCharacter.test(text) || !(text as string & { isWellFormed(): boolean }).isWellFormed()) return undefined;
  try {
    // Two levels stricter than the full parser, so that nothing it refuses as too deep gets through here.
    return { value: new SubsetReader(text, maxDepth - 2).document() };
  } catch (error) {
    if (error === outsideSubset) return undefined;
    throw error;
  }
}

class SubsetReader {
  private readonly length: number;
  /** Offset of the current line's first content character, or `length` at the end. */
  private pos = 0;
  /** Start of the current line. */
  private lineStart = 0;
  /** Indentation of the current content line; -1 at the end of the text. */
  private indent = -1;

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {
    this.length = text.length;
  }

  document(): unknown {
    this.toContentLine(0);
    // Directives (`%YAML`), and an empty or scalar document.
    if (this.indent !== 0 || this.code(this.pos) === 37) throw outsideSubset;
    const value = this.blockNode(0, 1);
    if (!this.atEnd()) throw outsideSubset;
    return value;
  }

  private atEnd(): boolean {
    return this.indent === -1;
  }

  private code(at: number): number {
    return at < this.length ? this.text.charCodeAt(at) : -1;
  }

  private lineEnd(from: number): number {
    const end = this.text.indexOf("\n", from);
    return end === -1 ? this.length : end;
  }

  /** Moves to the first line at or after `from` (a line start) with content other than a comment. */
  private toContentLine(from: number): void {
    let start = from;
    while (start < this.length) {
      let at = start;
      while (this.code(at) === space) at++;
      const code = this.code(at);
      if (code === newline) {
        start = at + 1;
        continue;
      }
      if (code === -1) break;
      if (code === 9) throw outsideSubset;
      // Document markers at the start of a line.
      if (at === start && (code === dash || code === 46) && (this.text.startsWith("---", at) || this.text.startsWith("...", at))) throw outsideSubset;
      if (code === hash) {
        start = this.lineEnd(at) + 1;
        continue;
      }
      this.lineStart = start;
      this.pos = at;
      this.indent = at - start;
      return;
    }
    this.pos = this.length;
    this.lineStart = this.length;
    this.indent = -1;
  }

  /** After a value on the current line: only spaces and a comment may follow. Moves to the next content line. */
  private finishLine(at: number): void {
    let cursor = at;
    while (this.code(cursor) === space) cursor++;
    const code = this.code(cursor);
    if (code === hash && this.code(cursor - 1) === space) cursor = this.lineEnd(cursor);
    else if (code !== newline && code !== -1) throw outsideSubset;
    this.toContentLine(cursor + 1);
  }

  private isSequenceEntry(at: number): boolean {
    if (this.code(at) !== dash) return false;
    const next = this.code(at + 1);
    // Tabs as separators have rules of their own.
    if (next === 9) throw outsideSubset;
    return next === space || next === newline || next === -1;
  }

  private blockNode(minIndent: number, depth: number): unknown {
    if (depth > this.maxDepth || this.indent < minIndent) throw outsideSubset;
    return this.isSequenceEntry(this.pos) ? this.blockSequence(this.indent, depth) : this.blockMapping(this.indent, depth);
  }

  private blockMapping(indent: number, depth: number): Record<string, unknown> {
    if (depth > this.maxDepth) throw outsideSubset;
    const mapping: Record<string, unknown> = {};
    for (;;) {
      const key = this.mappingKey();
      // `<<` is a merge key in some schemas; leave it to js-yaml's judgement.
      if (key === "__proto__" || key === "<<" || Object.hasOwn(mapping, key)) throw outsideSubset;
      mapping[key] = this.valueAfterIndicator(indent, depth, true);
      if (this.indent < indent) return mapping;
      if (this.indent > indent || this.isSequenceEntry(this.pos)) throw outsideSubset;
    }
  }

  private blockSequence(indent: number, depth: number): unknown[] {
    if (depth > this.maxDepth) throw outsideSubset;
    const sequence: unknown[] = [];
    for (;;) {
      let at = this.pos + 1;
      while (this.code(at) === space) at++;
      const code = this.code(at);
      if (code === newline || code === -1 || (code === hash && this.code(at - 1) === space)) {
        this.finishLine(at);
        sequence.push(this.indent > indent ? this.blockNode(indent + 1, depth + 1) : null);
      } else if (this.isSequenceEntry(at) || code === 9) {
        throw outsideSubset;
      } else if (this.startsMappingEntry(at)) {
        // A compact mapping: `- key: value` with further keys aligned under `key`.
        this.pos = at;
        this.indent = at - this.lineStart;
        sequence.push(this.blockMapping(this.indent, depth + 1));
      } else {
        this.pos = at;
        sequence.push(this.inlineValue(indent, depth));
      }
      if (this.indent < indent) return sequence;
      if (this.indent > indent) throw outsideSubset;
      if (!this.isSequenceEntry(this.pos)) return sequence;
    }
  }

  /** Whether the text at `at` is `key:` followed by a space or the line's end. */
  private startsMappingEntry(at: number): boolean {
    const code = this.code(at);
    if (code === singleQuote || code === doubleQuote) {
      const end = this.quotedEnd(at);
      let cursor = end;
      while (this.code(cursor) === space) cursor++;
      return this.isValueIndicator(cursor);
    }
    return this.plainKeyEnd(at) !== -1;
  }

  private isValueIndicator(at: number): boolean {
    if (this.code(at) !== colon) return false;
    const next = this.code(at + 1);
    if (next === 9) throw outsideSubset;
    return next === space || next === newline || next === -1;
  }

  /** Where the `:` of a plain key starting at `at` is, or -1 when the line holds no such key. */
  private plainKeyEnd(at: number): number {
    const code = this.code(at);
    if (code === 91 || code === 123 || code === 63 || code === colon || code === 124 || code === 62 || code === dash || isUnsupportedIndicator(code)) return -1;
    const end = this.lineEnd(at);
    for (let cursor = at; cursor < end; cursor++) {
      const current = this.text.charCodeAt(cursor);
      if (current === colon && this.isValueIndicator(cursor)) return cursor;
      if (current === hash && this.text.charCodeAt(cursor - 1) === space) return -1;
    }
    return -1;
  }

  /** Reads `key:` at the current position and leaves the position after the colon. */
  private mappingKey(): string {
    const at = this.pos;
    const code = this.code(at);
    if (code === singleQuote || code === doubleQuote) {
      const end = this.quotedEnd(at);
      const key = code === singleQuote ? this.singleQuoted(at, end) : this.doubleQuoted(at, end);
      let cursor = end;
      while (this.code(cursor) === space) cursor++;
      if (!this.isValueIndicator(cursor)) throw outsideSubset;
      this.pos = cursor + 1;
      return key;
    }
    const colonAt = this.plainKeyEnd(at);
    if (colonAt === -1 || colonAt - at > 1000) throw outsideSubset;
    const raw = this.text.slice(at, colonAt);
    if (raw.includes("\t")) throw outsideSubset;
    const source = trimYamlWhitespaceEnd(raw);
    this.pos = colonAt + 1;
    return String(resolvePlain(source));
  }

  /** The value after `key:` (or a sequence entry's `-`), which may sit on the following lines. */
  private valueAfterIndicator(indent: number, depth: number, inMapping: boolean): unknown {
    let at = this.pos;
    while (this.code(at) === space) at++;
    const code = this.code(at);
    if (code === newline || code === -1 || (code === hash && this.code(at - 1) === space)) {
      this.finishLine(at);
      if (this.indent > indent) return this.blockNode(indent + 1, depth + 1);
      // `key:` followed by a sequence at the key's own indentation.
      if (inMapping && this.indent === indent && this.isSequenceEntry(this.pos)) return this.blockSequence(indent, depth + 1);
      return null;
    }
    if (code === 9 || at === this.pos) throw outsideSubset;
    this.pos = at;
    return this.inlineValue(indent, depth);
  }

  /** A value that starts on the current line: scalar, flow collection or block scalar. */
  private inlineValue(parentIndent: number, depth: number): unknown {
    const at = this.pos;
    const code = this.code(at);
    let value: unknown;
    let end: number;
    if (code === singleQuote || code === doubleQuote) {
      end = this.quotedEnd(at);
      value = code === singleQuote ? this.singleQuoted(at, end) : this.doubleQuoted(at, end);
    } else if (code === 91 || code === 123) {
      if (depth + 1 > this.maxDepth) throw outsideSubset;
      const flow = new FlowReader(this.text, at, this.lineEnd(at), this.maxDepth - depth);
      value = flow.collection(1);
      end = flow.position;
    } else if (code === 124 || code === 62) {
      return this.blockScalar(parentIndent);
    } else {
      const next = this.code(at + 1);
      if (isUnsupportedIndicator(code) || code === 63 || code === colon || (code === dash && (next === space || next === newline || next === -1))) {
        throw outsideSubset;
      }
      const lineEnd = this.lineEnd(at);
      let stop = lineEnd;
      for (let cursor = at; cursor < lineEnd; cursor++) {
        const current = this.text.charCodeAt(cursor);
        if (current === hash && this.text.charCodeAt(cursor - 1) === space) {
          stop = cursor;
          break;
        }
        // `a: b` inside a value is an error in YAML; let js-yaml report it.
        if (current === colon && this.isValueIndicator(cursor)) throw outsideSubset;
      }
      const raw = this.text.slice(at, stop);
      if (raw.includes("\t")) throw outsideSubset;
      const source = trimYamlWhitespaceEnd(raw);
      value = resolvePlain(source);
      end = stop;
    }
    this.finishLine(end);
    // A more indented line would continue the scalar over several lines (or be an error).
    if (this.indent > parentIndent) throw outsideSubset;
    return value;
  }

  /** Offset just after the closing quote of the one-line quoted scalar at `at`. */
  private quotedEnd(at: number): number {
    return quotedScalarEnd(this.text, at, this.lineEnd(at));
  }

  private singleQuoted(at: number, end: number): string {
    return singleQuotedValue(this.text, at, end);
  }

  private doubleQuoted(at: number, end: number): string {
    return doubleQuotedValue(this.text, at, end);
  }

  /** `|` or `>` with an optional chomping indicator; indentation indicators are left to js-yaml. */
  private blockScalar(parentIndent: number): string {
    const literal = this.code(this.pos) === 124;
    let cursor = this.pos + 1;
    let chomping: "clip" | "strip" | "keep" = "clip";
    if (this.code(cursor) === dash) {
      chomping = "strip";
      cursor++;
    } else if (this.code(cursor) === 43) {
      chomping = "keep";
      cursor++;
    }
    const headerEnd = this.lineEnd(cursor);
    const rest = this.text.slice(cursor, headerEnd);
    if (!/^ *$/.test(rest) && !/^ +#/.test(rest)) throw outsideSubset;
    if (headerEnd >= this.length) throw outsideSubset;

    const lines: string[] = [];
    let contentIndent = -1;
    let leadingBlankWidth = 0;
    let trailingBlanks = 0;
    let lineStart = headerEnd + 1;
    let stoppedAt = this.length;
    while (lineStart < this.length) {
      let at = lineStart;
      while (this.code(at) === space) at++;
      const code = this.code(at);
      const width = at - lineStart;
      if (code === newline || code === -1) {
        if (contentIndent === -1) leadingBlankWidth = Math.max(leadingBlankWidth, width);
        else if (width > contentIndent) throw outsideSubset;
        lines.push("");
        trailingBlanks++;
        if (code === -1) throw outsideSubset;
        lineStart = at + 1;
        continue;
      }
      if (contentIndent === -1) {
        if (width <= parentIndent || width < leadingBlankWidth) throw outsideSubset;
        contentIndent = width;
      }
      if (width < contentIndent) {
        stoppedAt = lineStart;
        break;
      }
      const end = this.lineEnd(at);
      // A block scalar running into the end of a file without a final line break, or a tab
      // or extra indentation in folded text, has subtler rules.
      if (end >= this.length) throw outsideSubset;
      if (!literal && (width > contentIndent || code === 9)) throw outsideSubset;
      lines.push(this.text.slice(lineStart + contentIndent, end));
      trailingBlanks = 0;
      lineStart = end + 1;
    }
    if (contentIndent === -1) throw outsideSubset;
    const content = lines.slice(0, lines.length - trailingBlanks);
    let body: string;
    if (literal) {
      body = content.join("\n");
    } else {
      // Line breaks between lines become spaces; each empty line becomes a line break.
      body = "";
      let blanks = 0;
      for (const line of content) {
        if (line === "") {
          blanks++;
          continue;
        }
        body += blanks > 0 || body === "" ? "\n".repeat(blanks) + line : ` ${line}`;
        blanks = 0;
      }
    }
    const value = chomping === "strip" ? body : chomping === "clip" ? `${body}\n` : `${body}\n${"\n".repeat(trailingBlanks)}`;
    this.toContentLine(stoppedAt);
    if (this.indent > parentIndent) throw outsideSubset;
    return value;
  }
}

/** Reads one-line flow collections: `[a, b]`, `{ name: X, country: AT }`, nested. */
class FlowReader {
  position: number;

  constructor(
    private readonly text: string,
    start: number,
    private readonly end: number,
    private readonly depthBudget: number,
  ) {
    this.position = start;
  }

  collection(depth: number): unknown {
    if (depth > this.depthBudget) throw outsideSubset;
    const opening = this.text.charCodeAt(this.position);
    const closing = opening === 91 ? 93 : 125;
    this.position++;
    this.skipSpaces();
    const sequence: unknown[] = [];
    const mapping: Record<string, unknown> = {};
    if (this.text.charCodeAt(this.position) === closing) {
      this.position++;
      return opening === 91 ? sequence : mapping;
    }
    for (;;) {
      if (opening === 91) {
        sequence.push(this.value(depth, false));
      } else {
        const key = String(this.value(depth, true));
        if (key === "__proto__" || key === "<<" || Object.hasOwn(mapping, key)) throw outsideSubset;
        this.skipSpaces();
        if (this.text.charCodeAt(this.position) !== colon || this.text.charCodeAt(this.position + 1) !== space) throw outsideSubset;
        this.position += 2;
        this.skipSpaces();
        mapping[key] = this.value(depth, false);
      }
      this.skipSpaces();
      const code = this.position < this.end ? this.text.charCodeAt(this.position) : -1;
      this.position++;
      if (code === closing) return opening === 91 ? sequence : mapping;
      if (code !== 44) throw outsideSubset;
      this.skipSpaces();
      const next = this.position < this.end ? this.text.charCodeAt(this.position) : -1;
      if (next === closing || next === 44) throw outsideSubset;
    }
  }

  private skipSpaces(): void {
    while (this.position < this.end && this.text.charCodeAt(this.position) === space) this.position++;
  }

  private value(depth: number, isKey: boolean): unknown {
    if (this.position >= this.end) throw outsideSubset;
    const code = this.text.charCodeAt(this.position);
    if (code === 91 || code === 123) {
      if (isKey) throw outsideSubset;
      return this.collection(depth + 1);
    }
    if (code === singleQuote || code === doubleQuote) {
      const end = quotedScalarEnd(this.text, this.position, this.end);
      const value = code === singleQuote ? singleQuotedValue(this.text, this.position, end) : doubleQuotedValue(this.text, this.position, end);
      this.position = end;
      return value;
    }
    const next = this.position + 1 < this.end ? this.text.charCodeAt(this.position + 1) : -1;
    // A leading `-` must be followed by a character that can continue a plain scalar in flow context.
    const dashStartsScalar = next !== -1 && next !== space && next !== 44 && next !== 91 && next !== 93 && next !== 123 && next !== 125;
    if (isUnsupportedIndicator(code) || code === 124 || code === 62 || code === 93 || code === 125 || code === 63 || code === colon || (code === dash && !dashStartsScalar)) {
      throw outsideSubset;
    }
    const start = this.position;
    let cursor = start;
    while (cursor < this.end) {
      const current = this.text.charCodeAt(cursor);
      if (current === 44 || current === 93 || current === 125) break;
      if (current === 91 || current === 123 || current === 9) throw outsideSubset;
      if (current === hash && this.text.charCodeAt(cursor - 1) === space) throw outsideSubset;
      if (current === colon) {
        const after = cursor + 1 < this.end ? this.text.charCodeAt(cursor + 1) : -1;
        if (after === space || after === 44 || after === 93 || after === 125 || after === -1) {
          // `key: value` is a mapping entry in `{}`, a single-pair mapping in `[]` (left to js-yaml).
          if (isKey && after === space) break;
          throw outsideSubset;
        }
      }
      cursor++;
    }
    const source = trimYamlWhitespaceEnd(this.text.slice(start, cursor));
    if (source === "") throw outsideSubset;
    this.position = cursor;
    return resolvePlain(source);
  }
}

/** Offset after the closing quote of a quoted scalar that ends before `lineEnd`. */
function quotedScalarEnd(text: string, at: number, lineEnd: number): number {
  const quote = text.charCodeAt(at);
  let cursor = at + 1;
  while (cursor < lineEnd) {
    const code = text.charCodeAt(cursor);
    if (code === quote) {
      // '' inside single quotes is an escaped quote.
      if (quote === singleQuote && text.charCodeAt(cursor + 1) === singleQuote) {
        cursor += 2;
        continue;
      }
      return cursor + 1;
    }
    cursor += quote === doubleQuote && code === 92 ? 2 : 1;
  }
  throw outsideSubset;
}

function singleQuotedValue(text: string, at: number, end: number): string {
  return text.slice(at + 1, end - 1).replaceAll("''", "'");
}

const simpleEscapes: Record<string, string> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  n: "\n",
  t: "\t",
  r: "\r",
  b: "\b",
  f: "\f",
  "0": "\0",
  " ": " ",
};

function doubleQuotedValue(text: string, at: number, end: number): string {
  const raw = text.slice(at + 1, end - 1);
  if (!raw.includes("\\")) return raw;
  let value = "";
  let cursor = 0;
  for (let slash = raw.indexOf("\\"); slash !== -1; slash = raw.indexOf("\\", cursor)) {
    value += raw.slice(cursor, slash);
    const escaped = raw.charAt(slash + 1);
    const simple = simpleEscapes[escaped];
    if (simple !== undefined) {
      value += simple;
      cursor = slash + 2;
    } else if (escaped === "u" && /^[0-9a-fA-F]{4}$/.test(raw.slice(slash + 2, slash + 6))) {
      value += String.fromCharCode(Number.parseInt(raw.slice(slash + 2, slash + 6), 16));
      cursor = slash + 6;
    } else {
      throw outsideSubset;
    }
  }
  return value + raw.slice(cursor);
}
