import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { compactLoaderStyle, escapeHtml, loaderScript, loaderStyle, type SnippetOptions, widgetSnippet } from "./snippet.ts";
import { contrastRatio, httpsUrl, normaliseColour, onAccent } from "./src/theme.ts";

const reference: SnippetOptions = {
  flow: "callback-request",
  runtimeUrl: "https://chat.muster-gmbh.example/",
  language: "de",
  title: "Rückruf anfordern",
  policyUrl: "https://muster.example/datenschutz",
  controller: "Muster GmbH",
};

function sha256(text: string): string {
  return `'sha256-${createHash("sha256").update(text).digest("base64")}'`;
}

/** The inline script and style exactly as they stand in the HTML. */
function inline(html: string): { script: string; style: string } {
  return { script: /<script>(.*?)<\/script>/s.exec(html)?.[1] ?? "", style: /<style>(.*?)<\/style>/s.exec(html)?.[1] ?? "" };
}

describe("widgetSnippet", () => {
  it("builds a button with a privacy note, the policy link and the loader, and loads nothing itself", () => {
    const { html } = widgetSnippet(reference);
    expect(html).toContain('data-src="https://chat.muster-gmbh.example/widget/widget.js"');
    expect(html).toContain('data-botschaft="callback-request"');
    expect(html).toContain('<button type="button" aria-describedby="bsn-callback-request">Chat starten</button>');
    expect(html).toContain("Der Chat lädt erst nach dem Klick von chat.muster-gmbh.example (Anbieter: Muster GmbH).");
    expect(html).toContain('<a href="https://muster.example/datenschutz" target="_blank" rel="noopener">Datenschutzerklärung</a>');
    // Nothing in the markup fetches by itself: no src, no stylesheet link, no image.
    expect(html).not.toMatch(/\s(src|srcset|poster)=|<link|<img|<iframe|url\(/);
    expect(inline(html)).toEqual({ script: loaderScript, style: loaderStyle });
  });

  it("keeps the inline script and style identical for every flow and theme, so their CSP hashes are constants", () => {
    const first = widgetSnippet(reference);
    const other = widgetSnippet({ ...reference, flow: "newsletter", language: "en", title: "News", accent: "#ffd700", position: "left" });
    expect(inline(other.html)).toEqual(inline(first.html));
    expect(first.scriptHash).toBe(sha256(loaderScript));
    expect(first.styleHash).toBe(sha256(loaderStyle));
    expect(other.scriptHash).toBe(first.scriptHash);
    expect(first.csp).toBe(
      `script-src ${sha256(loaderScript)} https://chat.muster-gmbh.example; style-src ${sha256(loaderStyle)} https://chat.muster-gmbh.example; connect-src https://chat.muster-gmbh.example`,
    );
  });

  it("builds the compact launcher with its own constant style (and hash), the note kept as the button's description", () => {
    const compact = widgetSnippet({ ...reference, launcher: "compact" });
    expect(inline(compact.html)).toEqual({ script: loaderScript, style: compactLoaderStyle });
    expect(compact.styleHash).toBe(sha256(compactLoaderStyle));
    expect(compact.cspDirectives["style-src"]).toEqual([sha256(compactLoaderStyle), "https://chat.muster-gmbh.example"]);
    expect(compact.html).toContain('data-launcher="compact"');
    expect(compact.html).toMatch(/<button type="button" aria-label="Chat starten" title="Chat starten" aria-describedby="bsn-callback-request"><svg/);
    expect(compact.html).not.toMatch(/\s(src|srcset|poster)=|<link|<img|<iframe|url\(/);
    expect(widgetSnippet(reference).styleHash).toBe(sha256(loaderStyle));
  });

  it("stays within 2 KB for the reference flow", () => {
    const snippet = widgetSnippet(reference);
    expect(snippet.bytes).toBe(Buffer.byteLength(snippet.html));
    expect(snippet.bytes).toBeLessThanOrEqual(2048);
  });

  it("escapes every configurable text, so a title or note cannot add markup", () => {
    const { html } = widgetSnippet({
      ...reference,
      title: '"><script>alert(1)</script>',
      buttonText: "<b>Chat</b>",
      noteText: "Tom & Jerry's <i>note</i>",
      linkText: "</a><a href=javascript:alert(1)>",
    });
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toContain('data-title="&#34;&#62;&#60;script&#62;alert(1)&#60;/script&#62;"');
    expect(html).toContain(">&#60;b&#62;Chat&#60;/b&#62;</button>");
    expect(html).toContain("Tom &#38; Jerry&#39;s &#60;i&#62;note&#60;/i&#62;");
    expect(html.match(/<a /g)).toHaveLength(1);
    expect(html).toContain(">&#60;/a&#62;&#60;a href=javascript:alert(1)&#62;</a>");
    expect(escapeHtml(`<>&"'`)).toBe("&#60;&#62;&#38;&#34;&#39;");
  });

  it("speaks English and carries the theme in data attributes", () => {
    const { html, csp } = widgetSnippet({ ...reference, language: "en", accent: "#FD0", position: "left", avatar: "https://cdn.muster.example/bot.png" });
    expect(html).toContain(">Start chat</button>");
    expect(html).toContain("The chat loads from chat.muster-gmbh.example only after the click (provider: Muster GmbH).");
    expect(html).toContain(">Privacy policy</a>");
    expect(html).toContain('data-accent="#ffdd00" data-on-accent="#111111"');
    expect(html).toContain('data-position="left"');
    expect(html).toContain('data-avatar="https://cdn.muster.example/bot.png"');
    expect(csp).toMatch(/; img-src https:\/\/cdn\.muster\.example$/);
  });

  it("adds Subresource Integrity only when asked", () => {
    expect(widgetSnippet(reference).html).not.toContain("data-integrity");
    expect(widgetSnippet({ ...reference, integrity: "sha384-abc+/=" }).html).toContain('data-integrity="sha384-abc+/="');
  });

  it.each([
    [{ policyUrl: "http://muster.example/datenschutz" }, /privacy policy URL must be an https:/],
    [{ policyUrl: "javascript:alert(1)" }, /privacy policy URL must be an https:/],
    [{ avatar: "http://cdn.muster.example/bot.png" }, /avatar must be an https:/],
    [{ avatar: "data:image/png;base64,AAAA" }, /avatar must be an https:/],
    [{ accent: "red" }, /colour must be #rgb or #rrggbb/],
    [{ accent: "#12345g" }, /colour must be/],
    [{ integrity: "md5-abc" }, /integrity must be/],
    [{ runtimeUrl: "ftp://muster.example/" }, /runtime URL must be http: or https:/],
  ])("refuses %o", (change, message) => {
    expect(() => widgetSnippet({ ...reference, ...change })).toThrow(message);
  });
});

describe("theme values", () => {
  it("normalises colours and refuses anything but hex", () => {
    expect(normaliseColour("#ABC")).toBe("#aabbcc");
    expect(normaliseColour(" #0b5cad ")).toBe("#0b5cad");
    expect(normaliseColour("rgb(0,0,0)")).toBeUndefined();
    expect(normaliseColour("#0b5cad; background:url(x)")).toBeUndefined();
    expect(normaliseColour(undefined)).toBeUndefined();
  });

  it("picks the button text colour with the higher contrast", () => {
    expect(contrastRatio("#ffffff", "#000000")).toBeCloseTo(21);
    expect(onAccent("#0b5cad")).toBe("#ffffff");
    expect(onAccent("#ffd700")).toBe("#111111");
    expect(contrastRatio("#0b5cad", onAccent("#0b5cad"))).toBeGreaterThan(4.5);
  });

  it("accepts only https: addresses", () => {
    expect(httpsUrl("https://muster.example/a?b")).toBe("https://muster.example/a?b");
    expect(httpsUrl("HTTPS://muster.example")).toBe("https://muster.example/");
    expect(httpsUrl("http://muster.example")).toBeUndefined();
    expect(httpsUrl("javascript:alert(1)")).toBeUndefined();
    expect(httpsUrl(" //muster.example")).toBeUndefined();
    expect(httpsUrl("")).toBeUndefined();
  });
});
