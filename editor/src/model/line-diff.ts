/**
 * A line diff (Myers' O((N+M)·D) algorithm) for saving: edits are few, files can be long.
 * Returns, for each line of `after`, the index of the equal line in `before` or -1.
 */
export function matchLines(before: readonly string[], after: readonly string[]): Int32Array {
  const match = new Int32Array(after.length).fill(-1);
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) {
    match[start] = start;
    start++;
  }
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before[endBefore - 1] === after[endAfter - 1]) {
    endBefore--;
    endAfter--;
    match[endAfter] = endBefore;
  }
  const a = before.slice(start, endBefore);
  const b = after.slice(start, endAfter);
  for (const [i, j] of myersPairs(a, b)) match[start + j] = start + i;
  return match;
}

/** Equal line pairs (index in a, index in b) of a shortest edit script. */
function myersPairs(a: readonly string[], b: readonly string[]): [number, number][] {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return [];
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && (v[offset + k - 1] as number) < (v[offset + k + 1] as number)) ? (v[offset + k + 1] as number) : (v[offset + k - 1] as number) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  // Walk the trace back from the end to collect the diagonal (equal) moves.
  const pairs: [number, number][] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0 && (x > 0 || y > 0); d--) {
    const vd = trace[d] as Int32Array;
    const k = x - y;
    const prevK = k === -d || (k !== d && (vd[offset + k - 1] as number) < (vd[offset + k + 1] as number)) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : (vd[offset + prevK] as number);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      pairs.push([x, y]);
    }
    if (d > 0) {
      x = prevX;
      y = prevY;
    }
  }
  return pairs.reverse();
}

export interface DiffLine {
  kind: "same" | "added" | "removed";
  text: string;
}

/** A readable line diff: every line of both texts, in order, marked as kept, added or removed. */
export function diffLines(before: string, after: string): DiffLine[] {
  const a = before.split("\n");
  const b = after.split("\n");
  const match = matchLines(a, b);
  const lines: DiffLine[] = [];
  let next = 0;
  b.forEach((text, index) => {
    const same = match[index] ?? -1;
    if (same < 0) {
      lines.push({ kind: "added", text });
      return;
    }
    for (; next < same; next++) lines.push({ kind: "removed", text: a[next] ?? "" });
    lines.push({ kind: "same", text });
    next = same + 1;
  });
  for (; next < a.length; next++) lines.push({ kind: "removed", text: a[next] ?? "" });
  return lines;
}
