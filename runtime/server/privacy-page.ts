/**
 * `GET /privacy/{flow}` (public): the privacy-policy passage of a flow's published version,
 * generated from what it does (docs/privacy.md#generated-privacy-texts), in German or English
 * (`?lang=de|en`, default the flow's language), as HTML or — with `Accept: text/markdown` — as
 * Markdown for the website's own policy page. The Markdown is ours (no user input), but the HTML
 * still escapes every character that could open markup.
 */
import { Router } from "express";
import { AppError } from "../app/app-error.ts";
import type { FlowCatalog } from "../app/flows/flow-catalog.ts";
import { type Language, privacyPolicyText, type PrivacyTextOptions } from "../core/index.ts";

/** The deployment facts the texts name, for one flow (its messengers differ). */
export type PrivacyFacts = (flowId: string) => Omit<PrivacyTextOptions, "lang">;

function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;").replaceAll("'", "&#39;");
}

function inline(text: string): string {
  return escapeHtml(text).replace(/\*\*(.+?)\*\*/g, "<strong>$1</strong>");
}

/** The small Markdown the generated texts use: `##` headings, paragraphs, `-` lists and pipe tables. */
export function markdownToHtml(markdown: string): string {
  const html: string[] = [];
  const blocks = markdown.trim().split(/\n{2,}/);
  for (const block of blocks) {
    const lines = block.split("\n");
    if (lines[0]?.startsWith("## ")) {
      html.push(`<h2>${inline(lines[0].slice(3))}</h2>`);
      if (lines.length > 1) html.push(`<p>${inline(lines.slice(1).join(" "))}</p>`);
    } else if (lines.every((line) => line.startsWith("- "))) {
      html.push(`<ul>${lines.map((line) => `<li>${inline(line.slice(2))}</li>`).join("")}</ul>`);
    } else if (lines.every((line) => line.startsWith("|"))) {
      const cells = (line: string) =>
        line
          .slice(1, -1)
          .split(/(?<!\\)\|/)
          .map((value) => inline(value.trim().replaceAll("\\|", "|")));
      const [head, , ...body] = lines;
      html.push(
        `<table><thead><tr>${cells(head ?? "").map((value) => `<th>${value}</th>`).join("")}</tr></thead><tbody>${body.map((line) => `<tr>${cells(line).map((value) => `<td>${value}</td>`).join("")}</tr>`).join("")}</tbody></table>`,
      );
    } else {
      html.push(`<p>${inline(lines.join(" "))}</p>`);
    }
  }
  return html.join("\n");
}

const pageTitle = { de: "Datenschutzhinweise", en: "Privacy notice" } as const;

export function privacyPage(catalog: FlowCatalog, facts: PrivacyFacts): Router {
  const router = Router();
  router.get("/privacy/:flow", async (request, response) => {
    const flowId = request.params.flow;
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(flowId)) throw new AppError("not-found", "There is no such flow.");
    const { flow } = await catalog.latest(flowId);
    const wanted = request.query.lang;
    if (wanted !== undefined && wanted !== "de" && wanted !== "en") throw new AppError("bad-request", "`lang` is `de` or `en`.");
    const lang: Language = wanted ?? flow.language;
    const markdown = privacyPolicyText([flow], { ...facts(flowId), lang });
    response.set({ "cache-control": "public, max-age=300", vary: "Accept", "content-language": lang });
    if (request.accepts(["text/html", "text/markdown"]) === "text/markdown") {
      response.type("text/markdown; charset=utf-8").send(markdown);
      return;
    }
    response
      .type("text/html; charset=utf-8")
      .send(
        `<!doctype html>\n<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${pageTitle[lang]}: ${escapeHtml(flow.title)}</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}</style></head><body>\n${markdownToHtml(markdown)}\n</body></html>\n`,
      );
  });
  return router;
}
