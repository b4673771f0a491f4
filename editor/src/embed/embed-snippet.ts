/**
 * The web widget's embed snippet as the editor shows it: the URL of the runtime's
 * `GET /widget/snippet/:flow` with the chosen theme, the call itself, and the CSP lines.
 */

export type EmbedPosition = "right" | "left" | "inline";

/** The theme a marketer picks in the editor; unset values take the flow's (or the widget's) default. */
export interface EmbedOptions {
  lang?: "de" | "en" | undefined;
  title?: string | undefined;
  /** `#rgb` or `#rrggbb`. */
  color?: string | undefined;
  position?: EmbedPosition | undefined;
  /** A round button instead of the card. */
  launcher?: "card" | "compact" | undefined;
  /** An https image of the bot, shown in the chat window's header. */
  avatar?: string | undefined;
}

/** What the snippet endpoint answers (the fields the editor uses). */
export interface EmbedSnippet {
  flow: string;
  html: string;
  bytes: number;
  cspDirectives: Record<string, string[]>;
  csp: string;
}

export class SnippetLoadError extends Error {
  override readonly name = "SnippetLoadError";
}

/** The runtime refuses longer option texts. */
export const maxOptionLength = 300;

const colourPattern = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

/**
 * The snippet URL, relative to the runtime's origin (the editor is served by the runtime).
 * Only options that differ from the defaults go into the query, so the plain URL stays short.
 */
export function snippetUrl(flow: string, options: EmbedOptions = {}): string {
  const query = new URLSearchParams();
  if (options.lang) query.set("lang", options.lang);
  const title = options.title?.trim();
  if (title) query.set("title", title.slice(0, maxOptionLength));
  if (options.color !== undefined && colourPattern.test(options.color)) query.set("color", options.color.toLowerCase());
  if (options.position && options.position !== "right") query.set("position", options.position);
  if (options.launcher === "compact") query.set("launcher", "compact");
  const avatar = options.avatar?.trim();
  if (avatar && /^https:\/\//i.test(avatar)) query.set("avatar", avatar.slice(0, maxOptionLength));
  const search = query.toString();
  return `/widget/snippet/${encodeURIComponent(flow)}${search ? `?${search}` : ""}`;
}

/** One line per CSP directive, e.g. `script-src 'sha256-…' https://bot.example.com`. */
export function cspLines(directives: Record<string, string[]>): string[] {
  return Object.entries(directives).map(([name, sources]) => [name, ...sources].join(" "));
}

function isSnippet(value: unknown): value is EmbedSnippet {
  const body = value as Partial<EmbedSnippet> | null;
  return typeof body?.html === "string" && typeof body.cspDirectives === "object" && body.cspDirectives !== null;
}

/** Fetches the snippet; a refusal throws `SnippetLoadError` with the runtime's plain message. */
export async function fetchSnippet(flow: string, options: EmbedOptions, signal?: AbortSignal): Promise<EmbedSnippet> {
  const response = await fetch(snippetUrl(flow, options), { headers: { accept: "application/json" }, ...(signal ? { signal } : {}) });
  const body = (await response.json().catch(() => undefined)) as unknown;
  if (!response.ok) {
    const message = (body as { error?: { message?: string } } | undefined)?.error?.message;
    throw new SnippetLoadError(message ?? `${response.status} ${response.statusText}`);
  }
  if (!isSnippet(body)) throw new SnippetLoadError("The runtime answered without a snippet.");
  return body;
}
