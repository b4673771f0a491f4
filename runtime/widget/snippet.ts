/**
 * The embed snippet a site owner pastes into a page: a button with a privacy note and a tiny
 * inline loader. Until the visitor clicks, the snippet requests nothing and stores nothing
 * (docs/privacy.md#two-click-web-widget); the click injects the one widget script from the runtime, which takes over.
 *
 * Per-flow values live only in data attributes and text, never in the inline script or style:
 * those two are the same bytes for every flow and every site, so their CSP hashes are constants
 * a site owner adds once.
 */
import { createHash } from "node:crypto";
import { defaultAccent, httpsUrl, normaliseColour, onAccent, type WidgetLanguage, type WidgetPosition } from "./src/theme.ts";

/**
 * Runs once where it stands: themes the button, and on click loads the widget (or, when it is
 * already loaded, asks it to open). No storage, no request before the click.
 */
export const loaderScript =
  '(function(){var w=document.currentScript.parentNode,d=w.dataset,b=w.querySelector("button");' +
  'w.style.setProperty("--bs-accent",d.accent||"#0b5cad");w.style.setProperty("--bs-on-accent",d.onAccent||"#fff");' +
  "b.onclick=function(){var g=window.BotschaftWidget;if(g)return g.open(w);if(d.state)return;" +
  'd.state="loading";b.ariaBusy="true";var s=document.createElement("script");s.src=d.src;' +
  's.crossOrigin="anonymous";s.referrerPolicy="no-referrer";if(d.integrity)s.integrity=d.integrity;' +
  "s.onerror=function(){delete d.state;b.ariaBusy=null};document.head.appendChild(s)}})()";

/** The launcher card's look; no fonts or images, so nothing is fetched for it. */
export const loaderStyle =
  ".botschaft{position:fixed;bottom:16px;right:16px;z-index:2147483000;max-width:17rem;padding:12px;" +
  "font:14px/1.4 system-ui,sans-serif;color:#1f2328;background:#fff;border:1px solid #8c959f;border-radius:12px}" +
  ".botschaft[data-position=left]{right:auto;left:16px}.botschaft[data-position=inline]{position:static}" +
  ".botschaft[data-open]{display:none}.botschaft button{width:100%;padding:10px;font:600 15px system-ui,sans-serif;" +
  "color:var(--bs-on-accent);background:var(--bs-accent);border:0;border-radius:8px;cursor:pointer}" +
  ".botschaft button:focus-visible{outline:3px solid #1f2328;outline-offset:2px}" +
  ".botschaft p{margin:8px 0 0;font-size:12px;color:#57606a}.botschaft a{color:#0a4f96}";

export interface SnippetOptions {
  flow: string;
  /** Where browsers reach the runtime, e.g. `https://bot.muster.example/`. */
  runtimeUrl: string;
  language: WidgetLanguage;
  /** The chat window's title. */
  title: string;
  /** The flow's privacy policy (https only). */
  policyUrl: string;
  /** Who runs the chat, named in the privacy note. */
  controller?: string;
  accent?: string;
  position?: WidgetPosition;
  /** An https image shown in the chat window's header. */
  avatar?: string;
  buttonText?: string;
  /** The privacy note before the policy link; replaces the generated one. */
  noteText?: string;
  linkText?: string;
  /** Subresource integrity of widget.js (`sha384-…`), when the site pins the widget's version. */
  integrity?: string;
}

export interface Snippet {
  html: string;
  /** UTF-8 bytes of `html`. */
  bytes: number;
  /** CSP source expressions for the inline loader script and style. */
  scriptHash: string;
  styleHash: string;
  /** The sources the host page's Content-Security-Policy must allow, per directive. */
  cspDirectives: Record<string, string[]>;
  /** The same as one policy string, to merge into the page's own. */
  csp: string;
}

export class SnippetError extends Error {
  override readonly name = "SnippetError";
}

const texts = {
  de: {
    button: "Chat starten",
    note: (host: string, controller?: string) =>
      `Der Chat lädt erst nach dem Klick von ${host}${controller ? ` (Anbieter: ${controller})` : ""}. Vorher wird nichts übertragen oder gespeichert.`,
    link: "Datenschutzerklärung",
  },
  en: {
    button: "Start chat",
    note: (host: string, controller?: string) =>
      `The chat loads from ${host} only after the click${controller ? ` (provider: ${controller})` : ""}. Nothing is sent or stored before.`,
    link: "Privacy policy",
  },
} as const;

/** Text and attribute values: everything configurable goes through here. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

export function cspHash(source: string): string {
  return `'sha256-${createHash("sha256").update(source, "utf8").digest("base64")}'`;
}

export const loaderScriptHash = cspHash(loaderScript);
export const loaderStyleHash = cspHash(loaderStyle);

/** `{ "script-src": ["'self'"] }` → `script-src 'self'`. */
export function cspString(directives: Record<string, string[]>): string {
  return Object.entries(directives)
    .map(([name, sources]) => [name, ...sources].join(" "))
    .join("; ");
}

/** Builds the per-flow snippet; throws `SnippetError` on values that would be unsafe to embed. */
export function widgetSnippet(options: SnippetOptions): Snippet {
  const runtime = new URL(options.runtimeUrl);
  if (runtime.protocol !== "https:" && runtime.protocol !== "http:") throw new SnippetError("The runtime URL must be http: or https:.");
  const policyUrl = httpsUrl(options.policyUrl);
  if (!policyUrl) throw new SnippetError("The privacy policy URL must be an https: address.");
  const accent = options.accent === undefined ? defaultAccent : normaliseColour(options.accent);
  if (!accent) throw new SnippetError("The colour must be #rgb or #rrggbb.");
  const avatar = options.avatar === undefined ? undefined : httpsUrl(options.avatar);
  if (options.avatar !== undefined && !avatar) throw new SnippetError("The avatar must be an https: address.");
  if (options.integrity !== undefined && !/^sha(256|384|512)-[A-Za-z0-9+/]+={0,2}$/.test(options.integrity)) {
    throw new SnippetError("The integrity must be a sha256-, sha384- or sha512- digest.");
  }
  const t = texts[options.language];
  const noteId = `bsn-${options.flow}`;
  const attributes: [string, string | undefined][] = [
    ["class", "botschaft"],
    // A labelled landmark, so the launcher is easy to find with a screen reader.
    ["aria-label", options.title],
    ["data-botschaft", options.flow],
    ["data-src", new URL("widget/widget.js", runtime).href],
    ["data-lang", options.language],
    ["data-title", options.title],
    // Right is the default look; the attribute is only written for the others.
    ["data-position", options.position === "right" ? undefined : options.position],
    ["data-accent", accent],
    ["data-on-accent", onAccent(accent)],
    ["data-avatar", avatar],
    ["data-integrity", options.integrity],
  ];
  const html =
    `<aside ${attributes.flatMap(([name, value]) => (value === undefined ? [] : [`${name}="${escapeHtml(value)}"`])).join(" ")}>` +
    `<style>${loaderStyle}</style><button type="button" aria-describedby="${escapeHtml(noteId)}">${escapeHtml(options.buttonText ?? t.button)}</button>` +
    `<p id="${escapeHtml(noteId)}">${escapeHtml(options.noteText ?? t.note(runtime.host, options.controller))} ` +
    `<a href="${escapeHtml(policyUrl)}" target="_blank" rel="noopener">${escapeHtml(options.linkText ?? t.link)}</a></p>` +
    `<script>${loaderScript}</script></aside>`;
  const origin = runtime.origin;
  const cspDirectives: Record<string, string[]> = {
    "script-src": [loaderScriptHash, origin],
    "style-src": [loaderStyleHash, origin],
    "connect-src": [origin],
    ...(avatar ? { "img-src": [new URL(avatar).origin] } : {}),
  };
  return {
    html,
    bytes: new TextEncoder().encode(html).length,
    scriptHash: loaderScriptHash,
    styleHash: loaderStyleHash,
    cspDirectives,
    csp: cspString(cspDirectives),
  };
}
