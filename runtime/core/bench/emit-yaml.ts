/**
 * A small YAML emitter for the benchmark flows, writing the style authors use by hand: block
 * mappings, `- ` lists of mappings, short scalar lists and chosen small mappings on one line
 * (`processor: { name: …, country: DE }`, one `layout:` line per node). Written by hand rather
 * than with the `yaml` package so the layout is fixed and a 50,000-node file is emitted in
 * milliseconds, not in a noticeable share of the benchmark's run time.
 */

type Scalar = string | number | boolean;

export interface EmitOptions {
  /** Whether the mapping under `key` (itself under `parentKey`) is written on one line. */
  inline: (key: string, parentKey: string | undefined) => boolean;
}

function isScalar(value: unknown): value is Scalar {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Words the YAML 1.2 core schema would read as booleans, null or special floats. */
const reservedWord = /^(?:true|false|null|~|[-+]?\.(?:inf|nan))$/i;
/** Anything that might read as a number; quoting a few texts too many is harmless. */
const numberLike = /^[-+.]?\d/;
/** Characters a plain scalar may not start with (indicators and whitespace). */
const indicatorStart = /^[-?:,[\]{}#&*!|>'"%@`\s]/;
/** Characters that end a plain scalar inside `[…]` or `{…}`. */
const flowIndicator = /[,[\]{}]/;

function canBePlain(text: string, inFlow: boolean): boolean {
  return (
    text.length > 0 &&
    !indicatorStart.test(text) &&
    !/\s$/.test(text) &&
    !/[\n\r\t]/.test(text) &&
    !text.includes(": ") &&
    !text.includes(" #") &&
    !text.endsWith(":") &&
    !reservedWord.test(text) &&
    !numberLike.test(text) &&
    !(inFlow && flowIndicator.test(text))
  );
}

function formatScalar(value: Scalar, inFlow: boolean): string {
  if (typeof value !== "string") return String(value);
  // A JSON string is a valid YAML double-quoted scalar with the same escapes.
  return canBePlain(value, inFlow) ? value : JSON.stringify(value);
}

function flowMapping(mapping: Record<string, unknown>): string {
  const entries = Object.entries(mapping).flatMap(([key, value]) =>
    isScalar(value) ? [`${formatScalar(key, true)}: ${formatScalar(value, true)}`] : [],
  );
  return entries.length === 0 ? "{}" : `{ ${entries.join(", ")} }`;
}

function emitSequence(
  lines: string[],
  head: string,
  items: readonly unknown[],
  indent: string,
  key: string,
  options: EmitOptions,
): void {
  if (items.every(isScalar)) {
    lines.push(`${head} [${items.map((item) => formatScalar(item, true)).join(", ")}]`);
    return;
  }
  lines.push(head);
  const itemIndent = `${indent}  `;
  for (const item of items) {
    if (isScalar(item)) {
      lines.push(`${itemIndent}- ${formatScalar(item, false)}`);
    } else if (isMapping(item) && Object.keys(item).length > 0) {
      // Emit the mapping one level deeper, then put the dash on its first line.
      const first = lines.length;
      emitMapping(lines, item, `${itemIndent}  `, key, options);
      lines[first] = `${itemIndent}- ${(lines[first] ?? "").slice(itemIndent.length + 2)}`;
    } else {
      throw new TypeError(`Cannot emit a list item of ${key} that is neither a scalar nor a non-empty mapping.`);
    }
  }
}

function emitMapping(
  lines: string[],
  mapping: Record<string, unknown>,
  indent: string,
  parentKey: string | undefined,
  options: EmitOptions,
): void {
  for (const [key, value] of Object.entries(mapping)) {
    if (value === undefined) continue;
    const head = `${indent}${formatScalar(key, false)}:`;
    if (isScalar(value)) {
      lines.push(`${head} ${formatScalar(value, false)}`);
    } else if (Array.isArray(value)) {
      emitSequence(lines, head, value, indent, key, options);
    } else if (isMapping(value)) {
      const oneLine =
        Object.keys(value).length === 0 || (options.inline(key, parentKey) && Object.values(value).every(isScalar));
      if (oneLine) {
        lines.push(`${head} ${flowMapping(value)}`);
      } else {
        lines.push(head);
        emitMapping(lines, value, `${indent}  `, key, options);
      }
    } else {
      throw new TypeError(`Cannot emit the value of ${key}: ${String(value)}.`);
    }
  }
}

/** The YAML text of a document made of mappings, lists, strings, numbers and booleans. */
export function emitYaml(document: Record<string, unknown>, options: EmitOptions): string {
  const lines: string[] = [];
  emitMapping(lines, document, "", undefined, options);
  return `${lines.join("\n")}\n`;
}
