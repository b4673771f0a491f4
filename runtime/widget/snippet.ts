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

/**
 * The compact launcher's look: a round button; the privacy note shows on hover and on keyboard
 * focus, so on a phone nothing covers the page. Its own bytes, so its own CSP hash: the card's
 * hash stays what sites already allow.
 */
export const compactLoaderStyle =
  ".botschaft{position:fixed;bottom:16px;right:16px;z-index:2147483000;font:14px/1.4 system-ui,sans-serif;color:#1f2328}" +
  ".botschaft[data-position=left]{right:auto;left:16px}.botschaft[data-position=inline]{position:relative;display:inline-block}" +
  ".botschaft[data-open]{display:none}.botschaft button{display:flex;align-items:center;justify-content:center;width:56px;height:56px;" +
  "padding:0;color:var(--bs-on-accent);background:var(--bs-accent);border:0;border-radius:50%;box-shadow:0 2px 8px #0004;cursor:pointer}" +
  ".botschaft button:focus-visible{outline:3px solid #1f2328;outline-offset:2px}" +
  ".botschaft p{position:absolute;right:0;bottom:64px;width:16rem;margin:0;padding:10px 12px;font-size:12px;color:#57606a;" +
  "background:#fff;border:1px solid #8c959f;border-radius:10px;visibility:hidden}.botschaft[data-position=left] p{right:auto;left:0}" +
  ".botschaft:hover p,.botschaft:focus-within p{visibility:visible}.botschaft a{color:#0a4f96}";

/** A speech bubble drawn inline: nothing is fetched for the compact button. */
const bubbleIcon =
  '<svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" focusable="false"><path fill="currentColor" d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z"/></svg>';

export type LauncherLook = "card" | "compact";

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
  /** The card with the note (default), or a round button with the note on hover and focus. */
  launcher?: LauncherLook;
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
export const compactLoaderStyleHash = cspHash(compactLoaderStyle);

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
    ["data-launcher", options.launcher === "compact" ? "compact" : undefined],
  ];
  const compact = options.launcher === "compact";
  const style = compact ? compactLoaderStyle : loaderStyle;
  const styleHash = compact ? compactLoaderStyleHash : loaderStyleHash;
  const buttonText = escapeHtml(options.buttonText ?? t.button);
  const html =
    `<aside ${attributes.flatMap(([name, value]) => (value === undefined ? [] : [`${name}="${escapeHtml(value)}"`])).join(" ")}>` +
    `<style>${style}</style>` +
    (compact
      ? `<button type="button" aria-label="${buttonText}" title="${buttonText}" aria-describedby="${escapeHtml(noteId)}">${bubbleIcon}</button>`
      : `<button type="button" aria-describedby="${escapeHtml(noteId)}">${buttonText}</button>`) +
    `<p id="${escapeHtml(noteId)}">${escapeHtml(options.noteText ?? t.note(runtime.host, options.controller))} ` +
    `<a href="${escapeHtml(policyUrl)}" target="_blank" rel="noopener">${escapeHtml(options.linkText ?? t.link)}</a></p>` +
    `<script>${loaderScript}</script></aside>`;
  const origin = runtime.origin;
  const cspDirectives: Record<string, string[]> = {
    "script-src": [loaderScriptHash, origin],
    "style-src": [styleHash, origin],
    "connect-src": [origin],
    ...(avatar ? { "img-src": [new URL(avatar).origin] } : {}),
  };
  return {
    html,
    bytes: new TextEncoder().encode(html).length,
    scriptHash: loaderScriptHash,
    styleHash,
    cspDirectives,
    csp: cspString(cspDirectives),
  };
}
