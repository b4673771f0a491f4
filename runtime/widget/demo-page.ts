/**
 * The demo company page `npm start` serves at `/demo`: a small "Muster GmbH" site with the
 * snippet of a published flow, under the strict Content-Security-Policy docs/widget.md documents,
 * so a newcomer sees the whole product — and its privacy promise — in one command.
 */
import { cspHash, cspString, escapeHtml, type Snippet } from "./snippet.ts";

const demoStyle =
  "body{margin:0;font:16px/1.6 system-ui,sans-serif;color:#1f2328;background:#f6f8fa}" +
  "header,main,footer{max-width:56rem;margin:0 auto;padding:1rem 1.5rem}" +
  "header{display:flex;justify-content:space-between;align-items:center}header strong{font-size:1.3rem}" +
  "nav a,footer a{margin-left:1rem;color:#0a4f96}" +
  ".hero{padding:2.5rem 1.5rem;color:#fff;background:#0b5cad;border-radius:12px}.hero h1{margin:0 0 .5rem;font-size:2rem}" +
  ".cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:1rem;margin:1.5rem 0}" +
  ".cards section{padding:1rem 1.25rem;background:#fff;border:1px solid #d0d7de;border-radius:10px}" +
  ".demo{padding:1rem 1.25rem;background:#fff8c5;border:1px solid #d4a72c;border-radius:10px}" +
  "code{font-size:.9em}footer{color:#57606a;font-size:.9rem}";

export interface DemoPage {
  html: string;
  /** The page's own Content-Security-Policy: nothing but the snippet's needs and the page style. */
  csp: string;
}

export interface DemoPageOptions {
  company: string;
  snippet?: Snippet;
  flow?: string;
  policyUrl?: string;
  imprintUrl?: string;
}

export function demoPage(options: DemoPageOptions): DemoPage {
  const company = escapeHtml(options.company);
  const flow = options.flow === undefined ? undefined : escapeHtml(options.flow);
  const directives = options.snippet?.cspDirectives ?? {};
  const csp = cspString({
    "default-src": ["'none'"],
    ...directives,
    "style-src": [cspHash(demoStyle), ...(directives["style-src"] ?? [])],
    "base-uri": ["'none'"],
    "form-action": ["'none'"],
    "frame-ancestors": ["'none'"],
  });
  const widget = options.snippet
    ? options.snippet.html
    : "<p><strong>Kein Flow veröffentlicht.</strong> Legen Sie eine gültige Flow-Datei in <code>flows/</code> und starten Sie neu.</p>";
  const html = `<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${company} – Service und Beratung</title>
<style>${demoStyle}</style>
</head>
<body>
<header><strong>${company}</strong><nav aria-label="Hauptnavigation"><a href="#leistungen">Leistungen</a><a href="#kontakt">Kontakt</a></nav></header>
<main>
<div class="hero"><h1>Wir sind für Sie da.</h1><p>Beratung, Service und Rückruf – auch per Chat, ganz ohne Cookie-Banner.</p></div>
<div class="cards" id="leistungen">
<section><h2>Beratung</h2><p>Persönlich, telefonisch oder im Chat: Wir finden die passende Lösung.</p></section>
<section><h2>Service</h2><p>Montag bis Freitag, 9 bis 17 Uhr. Fragen Sie einfach unseren Service-Bot.</p></section>
<section id="kontakt"><h2>Kontakt</h2><p>Musterstraße 1, 10115 Berlin<br>Oder unten rechts: Chat starten.</p></section>
</div>
<div class="demo"><h2>Das ist eine Botschaft-Demo</h2>
<p>Diese Seite lädt vor dem Klick auf „Chat starten“ nichts vom Bot-Server und speichert nichts im Browser – prüfen Sie es in den Entwicklerwerkzeugen (Netzwerk, Anwendung → Speicher). Erst der Klick lädt ein Skript und ein Stylesheet und startet das Gespräch${flow ? ` mit dem Flow <code>${flow}</code>` : ""}.</p>
<p>Die Seite läuft unter einer strengen Content-Security-Policy; den Snippet für Ihre Seite liefert <code>/widget/snippet/${flow ?? "&lt;flow&gt;"}</code>.</p></div>
</main>
<footer>© ${company} · <a href="${escapeHtml(options.policyUrl ?? "#")}">Datenschutz</a><a href="${escapeHtml(options.imprintUrl ?? "#")}">Impressum</a></footer>
${widget}
</body>
</html>
`;
  return { html, csp };
}
