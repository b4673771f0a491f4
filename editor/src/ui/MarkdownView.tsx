/**
 * The small Markdown the generated privacy texts use — `#`/`##`/`###` headings, paragraphs, `-`
 * lists, pipe tables and `**bold**` — as React elements (no HTML is injected), for the DPO's
 * paperwork page. The same subset the runtime's `/privacy/{flow}` page renders.
 */
import type { ReactNode } from "react";

function inline(text: string): ReactNode[] {
  // biome-ignore lint/suspicious/noArrayIndexKey: a text is rendered once; position is identity
  return text.split(/\*\*(.+?)\*\*/g).map((part, index) => (index % 2 === 1 ? <strong key={index}>{part}</strong> : part));
}

function cells(line: string): string[] {
  return line
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((value) => value.trim().replaceAll("\\|", "|"));
}

export function MarkdownView({ markdown, testId }: { markdown: string; testId?: string }) {
  const blocks = markdown.trim().split(/\n{2,}/);
  return (
    <div className="markdown" data-testid={testId}>
      {blocks.map((block, index) => {
        const lines = block.split("\n");
        const first = lines[0] ?? "";
        const heading = /^(#{1,3}) (.*)$/.exec(first);
        if (heading) {
          const level = heading[1]?.length ?? 2;
          const title = inline(heading[2] ?? "");
          const rest = lines.length > 1 ? <p>{inline(lines.slice(1).join(" "))}</p> : null;
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: a text is rendered once; position is identity
            <div key={index}>
              {level === 1 ? <h2>{title}</h2> : level === 2 ? <h3>{title}</h3> : <h4>{title}</h4>}
              {rest}
            </div>
          );
        }
        if (lines.every((line) => line.startsWith("- "))) {
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: a text is rendered once; position is identity
            <ul key={index}>
              {lines.map((line, item) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a text is rendered once; position is identity
                <li key={item}>{inline(line.slice(2))}</li>
              ))}
            </ul>
          );
        }
        if (lines.every((line) => line.startsWith("|"))) {
          const [head, , ...body] = lines;
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: a text is rendered once; position is identity
            <table key={index} className="list">
              <thead>
                <tr>
                  {cells(head ?? "").map((value, column) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: a text is rendered once; position is identity
                    <th key={column}>{inline(value)}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {body.map((line, row) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a text is rendered once; position is identity
                  <tr key={row}>
                    {cells(line).map((value, column) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: a text is rendered once; position is identity
                      <td key={column}>{inline(value)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          );
        }
        // biome-ignore lint/suspicious/noArrayIndexKey: a text is rendered once; position is identity
        return <p key={index}>{inline(lines.join(" "))}</p>;
      })}
    </div>
  );
}
