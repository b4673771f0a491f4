/**
 * A runtime and a separate host site on two origins, for the widget's browser tests and bench:
 * the runtime is the real HTTP app (in-memory store, real encryption and tokens, a fake CRM
 * webhook); the host site is a plain page embedding the runtime's own snippet under a strict
 * Content-Security-Policy, as a site owner would.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { deriveRuntimeKeys } from "../app/crypto/keys.ts";
import type { CallWebhookEffect } from "../core/index.ts";
import type { AllowedOrigins } from "../server/web-chat-cors.ts";
import type { Store } from "../stores/ports/store.ts";
import type { WidgetAssets } from "../widget/widget-assets.ts";
import { createTestRuntime, referenceFlow, type TestFlow } from "./create-test-runtime.ts";

export { referenceFlow };
export interface WidgetRig {
  /** `http://127.0.0.1:<port>`: the runtime (API, widget, snippet). */
  runtimeOrigin: string;
  /** `http://127.0.0.1:<other port>`: the site embedding the snippet. */
  hostOrigin: string;
  /** The host page for a flow, its snippet built with these snippet query parameters. */
  hostPage(query?: Record<string, string>, flow?: string): string;
  webhookCalls: CallWebhookEffect[];
  store: Store;
  close(): Promise<void>;
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

export async function startWidgetRig(options: { assets: WidgetAssets; widgetOrigins?: AllowedOrigins; flows?: readonly TestFlow[] }): Promise<WidgetRig> {
  const test = await createTestRuntime({
    ...(options.flows ? { flows: options.flows } : {}),
    keys: deriveRuntimeKeys("widget-rig-secret-0123456789abcdef-0123456789"),
    logLevel: "silent",
    web: { widgetAssets: options.assets, ...(options.widgetOrigins ? { widgetOrigins: options.widgetOrigins } : {}) },
  });
  const { app, store, webhookCalls } = test;
  const runtime = createServer(app);
  const runtimeOrigin = await listen(runtime);

  const host = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://host");
    if (url.pathname !== "/" && !url.pathname.startsWith("/page/")) {
      response.writeHead(404).end();
      return;
    }
    const flow = url.pathname.slice("/page/".length) || "callback-request";
    fetch(`${runtimeOrigin}/widget/snippet/${flow}?${url.searchParams}`)
      .then(async (reply) => {
        const snippet = (await reply.json()) as { html: string; csp: string };
        const lang = url.searchParams.get("lang") ?? "de";
        response.writeHead(200, {
          "content-type": "text/html; charset=utf-8",
          "content-security-policy": `default-src 'none'; ${snippet.csp}; base-uri 'none'; form-action 'none'`,
        });
        response.end(
          `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
            `<title>Host page</title></head><body><main><h1>Muster GmbH</h1>` +
            `<p>Some page content with <a href="#contact">a link</a>.</p></main>${snippet.html}</body></html>`,
        );
      })
      .catch(() => response.writeHead(502).end());
  });
  const hostOrigin = await listen(host);

  return {
    runtimeOrigin,
    hostOrigin,
    hostPage: (query = {}, flow = "callback-request") => `${hostOrigin}/page/${flow}?${new URLSearchParams(query)}`,
    webhookCalls,
    store,
    close: async () => {
      await Promise.all([closeServer(runtime), closeServer(host)]);
      await test.close();
    },
  };
}
