import type { Server } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestRuntime } from "../../../runtime/testing/create-test-runtime.ts";
import { cspLines, fetchSnippet, SnippetLoadError, snippetUrl } from "./embed-snippet.ts";

describe("snippetUrl", () => {
  it("is the plain endpoint when nothing is chosen", () => {
    expect(snippetUrl("callback-request")).toBe("/widget/snippet/callback-request");
    expect(snippetUrl("callback-request", { title: "   ", position: "right" })).toBe("/widget/snippet/callback-request");
  });

  it("puts the chosen options into the query, encoded", () => {
    const url = new URL(snippetUrl("shop-bot", { lang: "en", title: " Frag uns & mehr ", color: "#FF8800", position: "left" }), "http://x");
    expect(url.pathname).toBe("/widget/snippet/shop-bot");
    expect(Object.fromEntries(url.searchParams)).toEqual({ lang: "en", title: "Frag uns & mehr", color: "#ff8800", position: "left" });
    expect(snippetUrl("a", { position: "inline" })).toBe("/widget/snippet/a?position=inline");
  });

  it("leaves out a colour the runtime would refuse and cuts an over-long title", () => {
    expect(snippetUrl("a", { color: "red" })).toBe("/widget/snippet/a");
    expect(snippetUrl("a", { color: "#12345" })).toBe("/widget/snippet/a");
    const long = new URL(snippetUrl("a", { title: "x".repeat(400) }), "http://x");
    expect(long.searchParams.get("title")).toHaveLength(300);
  });

  it("cannot be steered to another path by the flow id", () => {
    expect(snippetUrl("../admin?x=1")).toBe("/widget/snippet/..%2Fadmin%3Fx%3D1");
  });
});

describe("cspLines", () => {
  it("writes one line per directive", () => {
    expect(cspLines({ "script-src": ["'sha256-a'", "https://bot.example"], "connect-src": ["https://bot.example"] })).toEqual([
      "script-src 'sha256-a' https://bot.example",
      "connect-src https://bot.example",
    ]);
  });
});

describe("fetchSnippet against the runtime's snippet route", () => {
  let server: Server;
  let base = "";
  const realFetch = globalThis.fetch;

  beforeAll(async () => {
    const { app } = await createTestRuntime({ logLevel: "silent" });
    server = await new Promise((resolve) => {
      const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
    });
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  function sameOrigin(): void {
    // The editor is served by the runtime, so its relative URL reaches this server.
    vi.stubGlobal("fetch", (url: string, init?: RequestInit) => realFetch(`${base}${url}`, init));
  }

  it("gets the themed snippet and the CSP it needs", async () => {
    sameOrigin();
    const snippet = await fetchSnippet("callback-request", { lang: "en", title: "Ask us", color: "#ff8800", position: "left" });
    expect(snippet.html).toContain('data-botschaft="callback-request"');
    expect(snippet.html).toContain('data-lang="en"');
    expect(snippet.html).toContain('data-title="Ask us"');
    expect(snippet.html).toContain('data-accent="#ff8800"');
    expect(snippet.html).toContain('data-position="left"');
    expect(snippet.html).toContain(">Start chat</button>");
    const lines = cspLines(snippet.cspDirectives);
    expect(lines.find((line) => line.startsWith("script-src "))).toMatch(new RegExp(`^script-src 'sha256-[A-Za-z0-9+/]+=*' ${base}$`));
    expect(lines).toContain(`connect-src ${base}`);
  });

  it("passes the runtime's plain message on for a flow that is not published", async () => {
    sameOrigin();
    const refused = fetchSnippet("never-published", {});
    await expect(refused).rejects.toBeInstanceOf(SnippetLoadError);
    await expect(refused).rejects.toThrow(/never-published|not found|not published/i);
  });

  it("says so when the answer is not a snippet", async () => {
    vi.stubGlobal("fetch", async () => new Response(JSON.stringify({ hello: "world" }), { status: 200 }));
    await expect(fetchSnippet("callback-request", {})).rejects.toThrow("The runtime answered without a snippet.");
  });
});
