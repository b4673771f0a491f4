/** A line diff shown as text: removed lines struck through in red, added ones in green, long unchanged stretches folded. */
import { diffLines } from "../model/line-diff.ts";

const context = 2;

export function DiffView({ before, after }: { before: string; after: string }) {
  const lines = diffLines(before, after);
  const near = (index: number) => lines.slice(Math.max(0, index - context), index + context + 1).some((line) => line.kind !== "same");
  const shown: ({ kind: "fold"; count: number } | (typeof lines)[number])[] = [];
  lines.forEach((line, index) => {
    if (line.kind !== "same" || near(index)) {
      shown.push(line);
      return;
    }
    const last = shown.at(-1);
    if (last?.kind === "fold") last.count += 1;
    else shown.push({ kind: "fold", count: 1 });
  });
  return (
    <pre className="diff">
      {shown.map((line, index) =>
        line.kind === "fold" ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: a diff is rendered once; position is identity
          <span key={index} className="diff-fold">
            ⋯ {line.count}
            {"\n"}
          </span>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: a diff is rendered once; position is identity
          <span key={index} className={`diff-${line.kind}`}>
            {line.kind === "added" ? "+ " : line.kind === "removed" ? "− " : "  "}
            {line.text}
            {"\n"}
          </span>
        ),
      )}
    </pre>
  );
}
