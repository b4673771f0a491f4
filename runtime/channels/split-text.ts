/**
 * Splits a text into parts of at most `limit` UTF-16 code units (how Telegram and Meta count),
 * preferring a paragraph, line or word break in the second half of a part, and never cutting a
 * surrogate pair.
 */
export function splitText(text: string, limit: number): string[] {
  if (limit < 2) throw new RangeError("limit must be at least 2");
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    let cut = -1;
    for (const separator of ["\n\n", "\n", " "]) {
      const at = rest.lastIndexOf(separator, limit);
      if (at >= limit / 2) {
        cut = at;
        break;
      }
    }
    let end = cut > 0 ? cut : limit;
    const last = rest.charCodeAt(end - 1);
    if (cut <= 0 && last >= 0xd800 && last <= 0xdbff) end -= 1;
    parts.push(rest.slice(0, end).trimEnd());
    rest = rest.slice(end).replace(/^[ \n]+/, "");
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest);
  return parts;
}

/** Shortens a label to `limit` code points, marking the cut with "…". */
export function truncate(text: string, limit: number): string {
  const points = Array.from(text);
  return points.length <= limit ? text : `${points.slice(0, limit - 1).join("")}…`;
}
