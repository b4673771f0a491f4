import { gunzipSync } from "node:zlib";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { loaderScriptHash, loaderStyleHash } from "./snippet.ts";
import { type WidgetAssets, widgetAssets } from "./widget-assets.ts";
import { createTestRuntime, referenceFlow, type TestRuntimeOptions } from "../testing/create-test-runtime.ts";
import { createFakeClock } from "../testing/fake-clock.ts";

type AllowedOrigins = NonNullable<NonNullable<TestRuntimeOptions["web"]>["widgetOrigins"]>;

const assets = widgetAssets("console.log('widget');".repeat(50), ".panel{color:red}");

async function app(options: { assets?: WidgetAssets; origins?: AllowedOrigins; publish?: boolean; trustProxy?: boolean; more?: { id: string; yaml: string }[] } = {}) {
  const runtime = await createTestRuntime({
    clock: createFakeClock({ at: "2026-11-22T10:00:00Z" }),
    flows: (options.publish ?? true) ? [{ id: "callback-request", yaml: referenceFlow }, ...(options.more ?? [])] : [],
    logLevel: "silent",
    web: {
      limits: { messagesPerWindow: 100, conversationsPerWindow: 100, windowMs: 10_000 },
      ...("assets" in options ? (options.assets ? { widgetAssets: options.assets } : {}) : { widgetAssets: assets }),
      ...(options.origins ? { widgetOrigins: options.origins } : {}),
      ...(options.trustProxy ? { trustProxy: options.trustProxy } : {}),
    },
  });
  return runtime.app;
}

describe("the widget's routes", () => {
  it("serves the script for any site: cacheable, revalidated by ETag, gzipped when accepted", async () => {
    const server = await app();
    const plain = await request(server).get("/widget/widget.js").set("accept-encoding", "identity").expect(200);
    expect(plain.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(plain.headers["access-control-allow-origin"]).toBe("*");
    expect(plain.headers["cross-origin-resource-policy"]).toBe("cross-origin");
    expect(plain.headers["x-content-type-options"]).toBe("nosniff");
    expect(plain.headers["set-cookie"]).toBeUndefined();
    expect(plain.text).toBe(assets.js.body.toString());
    const zipped = await request(server).get("/widget/widget.js").set("accept-encoding", "gzip").expect(200);
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    expect(zipped.headers.vary).toBe("Accept-Encoding");
    // superagent unzips transparently; the body arriving intact proves the gzip was valid.
    expect(zipped.text).toBe(assets.js.body.toString());
    expect(gunzipSync(assets.js.gzipped).equals(assets.js.body)).toBe(true);
    await request(server).get("/widget/widget.js").set("if-none-match", assets.js.etag).expect(304);
    const css = await request(server).get("/widget/widget.css").set("accept-encoding", "identity").expect(200);
    expect(css.headers["content-type"]).toBe("text/css; charset=utf-8");
    expect(css.text).toBe(".panel{color:red}");
  });

  it("says how to build the widget when it was not built", async () => {
    const response = await request(await app({ assets: undefined })).get("/widget/widget.js").expect(404);
    expect(response.body.error.message).toMatch(/npm run build:widget/);
  });

  it("generates a published flow's snippet with the CSP the host page needs", async () => {
    const response = await request(await app()).get("/widget/snippet/callback-request").set("host", "bot.muster.example:3000").expect(200);
    expect(response.body.html).toContain('data-src="http://bot.muster.example:3000/widget/widget.js"');
    expect(response.body.html).toContain('data-title="Rückruf anfordern"');
    expect(response.body.html).toContain("(Anbieter: Muster GmbH)");
    expect(response.body.csp).toBe(
      `script-src ${loaderScriptHash} http://bot.muster.example:3000; style-src ${loaderStyleHash} http://bot.muster.example:3000; connect-src http://bot.muster.example:3000`,
    );
    expect(response.body.widgetIntegrity).toBe(assets.js.integrity);
    expect(response.body.bytes).toBeLessThanOrEqual(2048);
  });

  it("uses the address the visitor's browser sees behind a TLS proxy", async () => {
    const response = await request(await app({ trustProxy: true }))
      .get("/widget/snippet/callback-request")
      .set("host", "bot.muster.example")
      .set("x-forwarded-proto", "https")
      .expect(200);
    expect(response.body.html).toContain('data-src="https://bot.muster.example/widget/widget.js"');
  });

  it("applies snippet options from the query, and pins the script on request", async () => {
    const response = await request(await app())
      .get("/widget/snippet/callback-request")
      .query({ lang: "en", color: "#ffd700", position: "left", title: "Service", button: "Talk to us", pin: "1", format: "html" })
      .expect(200);
    expect(response.headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect(response.text).toMatch(/^<aside class="botschaft"/);
    expect(response.text).toContain('data-lang="en" data-title="Service" data-position="left" data-accent="#ffd700" data-on-accent="#111111"');
    expect(response.text).toContain(">Talk to us</button>");
    expect(response.text).toContain(`data-integrity="${assets.js.integrity}"`);
  });

  it.each([
    [{ color: "red" }, /colour/],
    [{ position: "top" }, /position/],
    [{ lang: "fr" }, /lang/],
    [{ avatar: "http://muster.example/a.png" }, /avatar/],
    [{ title: "x".repeat(301) }, /title/],
    [{ format: "xml" }, /format/],
  ])("refuses bad snippet options %o with 400", async (query, message) => {
    const response = await request(await app()).get("/widget/snippet/callback-request").query(query).expect(400);
    expect(response.body.error.message).toMatch(message);
  });

  it("answers 404 for a flow that is not published", async () => {
    await request(await app()).get("/widget/snippet/no-such-flow").expect(404);
  });

  it("serves the demo company page with the snippet under a strict CSP", async () => {
    const server = await app();
    await request(server).get("/").expect(302).expect("location", "/demo");
    const page = await request(server).get("/demo").set("host", "127.0.0.1:3000").expect(200);
    expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
    const csp = page.headers["content-security-policy"] as string;
    expect(csp).toMatch(/^default-src 'none'; /);
    expect(csp).toContain(`script-src ${loaderScriptHash} http://127.0.0.1:3000;`);
    expect(csp).toContain(`${loaderStyleHash} http://127.0.0.1:3000;`);
    expect(csp).toContain("connect-src http://127.0.0.1:3000;");
    expect(page.text).toContain("<title>Muster GmbH – Service und Beratung</title>");
    expect(page.text).toContain('data-botschaft="callback-request"');
    expect(page.text).toContain('href="https://muster.example/impressum"');
  });

  it("shows the flow asked for on the demo page when it is published, else the reference flow", async () => {
    const server = await app({ more: [{ id: "lead-form", yaml: referenceFlow.replace(/^flow: callback-request/m, "flow: lead-form") }] });
    expect((await request(server).get("/demo?flow=lead-form").expect(200)).text).toContain('data-botschaft="lead-form"');
    expect((await request(server).get("/demo?flow=nope").expect(200)).text).toContain('data-botschaft="callback-request"');
    expect((await request(server).get("/demo?flow=%3Cscript%3E").expect(200)).text).toContain('data-botschaft="callback-request"');
  });

  it("tells on the demo page when no flow is published", async () => {
    const page = await request(await app({ publish: false })).get("/demo").expect(200);
    expect(page.text).toContain("Kein Flow veröffentlicht.");
    expect(page.text).not.toContain("<script>");
  });
});

describe("CORS of the web chat API", () => {
  const preflight = (server: Awaited<ReturnType<typeof app>>, origin: string) =>
    request(server)
      .options("/api/v1/conversations")
      .set("origin", origin)
      .set("access-control-request-method", "POST")
      .set("access-control-request-headers", "authorization, content-type");

  it("lets pages of any origin call it by default, without credentials", async () => {
    const server = await app();
    const response = await preflight(server, "https://www.muster.example").expect(204);
    expect(response.headers).toMatchObject({
      "access-control-allow-origin": "*",
      "access-control-allow-methods": "GET, POST, DELETE",
      "access-control-allow-headers": "authorization, content-type, last-event-id",
      "access-control-max-age": "7200",
    });
    expect(response.headers["access-control-allow-credentials"]).toBeUndefined();
    const started = await request(server).post("/api/v1/conversations").set("origin", "https://www.muster.example").send({ flow: "callback-request" }).expect(201);
    expect(started.headers["access-control-allow-origin"]).toBe("*");
    expect(started.headers["set-cookie"]).toBeUndefined();
    // Errors carry the header too, so the widget can read their message.
    const refused = await request(server).get(`/api/v1/conversations/${started.body.id}/data`).set("origin", "https://www.muster.example").expect(401);
    expect(refused.headers["access-control-allow-origin"]).toBe("*");
  });

  it("allows only the configured origins when restricted", async () => {
    const server = await app({ origins: ["https://www.muster.example"] });
    const allowed = await preflight(server, "https://www.muster.example").expect(204);
    expect(allowed.headers["access-control-allow-origin"]).toBe("https://www.muster.example");
    expect(allowed.headers.vary).toMatch(/Origin/);
    const other = await preflight(server, "https://evil.example");
    expect(other.headers["access-control-allow-origin"]).toBeUndefined();
    const post = await request(server).post("/api/v1/conversations").set("origin", "https://evil.example").send({ flow: "callback-request" });
    expect(post.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("leaves the admin API out of it", async () => {
    const response = await request(await app()).options("/api/v1/admin/flows").set("origin", "https://www.muster.example").set("access-control-request-method", "GET");
    expect(response.headers["access-control-allow-origin"]).toBeUndefined();
  });
});
