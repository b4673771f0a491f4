/**
 * The widget's HTTP surface: the bundle (`/widget/widget.js`, `/widget/widget.css`), the
 * per-flow embed snippet (`/widget/snippet/:flow`) and the demo company page (`/demo`).
 */
import { type Request, type Response, Router } from "express";
import type { RunnableFlow } from "../core/index.ts";
import { AppError } from "../app/app-error.ts";
import type { FlowCatalog } from "../app/flows/flow-catalog.ts";
import { demoPage } from "./demo-page.ts";
import { type LauncherLook, type Snippet, SnippetError, type SnippetOptions, widgetSnippet } from "./snippet.ts";
import type { WidgetLanguage, WidgetPosition } from "./src/theme.ts";
import type { WidgetAsset, WidgetAssets } from "./widget-assets.ts";

export interface WidgetRoutesDeps {
  catalog: FlowCatalog;
  /** The built bundle; undefined when `npm run build:widget` has not run. */
  assets: WidgetAssets | undefined;
}

/** The flow the demo page shows when it is published: the reference flow of docs/flows.md#the-reference-flow. */
export const demoFlow = "callback-request";

const maxOptionLength = 300;

function sendAsset(request: Request, response: Response, asset: WidgetAsset | undefined): void {
  if (!asset) throw new AppError("not-found", "The widget is not built; run `npm run build:widget` (npm start does it).");
  response.set({
    "Content-Type": asset.contentType,
    ETag: asset.etag,
    "Cache-Control": "public, max-age=300",
    Vary: "Accept-Encoding",
    // Loaded by other sites' pages, with crossorigin="anonymous" (CORS mode, no credentials).
    "Access-Control-Allow-Origin": "*",
    "Cross-Origin-Resource-Policy": "cross-origin",
    "X-Content-Type-Options": "nosniff",
  });
  if (request.fresh) {
    response.status(304).end();
    return;
  }
  const gzip = request.acceptsEncodings("gzip", "identity") === "gzip";
  if (gzip) response.set("Content-Encoding", "gzip");
  response.send(gzip ? asset.gzipped : asset.body);
}

function queryText(request: Request, name: string): string | undefined {
  const value = request.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value.length === 0 || value.length > maxOptionLength) {
    throw new AppError("bad-request", `\`${name}\` must be a text of 1 to ${maxOptionLength} characters.`);
  }
  return value;
}

function oneOf<T extends string>(request: Request, name: string, allowed: readonly T[]): T | undefined {
  const value = queryText(request, name);
  if (value !== undefined && !(allowed as readonly string[]).includes(value)) {
    throw new AppError("bad-request", `\`${name}\` must be one of ${allowed.join(", ")}.`);
  }
  return value as T | undefined;
}

/** The runtime's address as the browser reached it (behind a proxy, with `BOTSCHAFT_TRUST_PROXY`). */
function runtimeUrl(request: Request): string {
  return `${request.protocol}://${request.get("host")}/`;
}

function snippetFor(runnable: RunnableFlow, request: Request, assets: WidgetAssets | undefined, fromQuery: boolean): Snippet {
  const flow = runnable.flow;
  const options: SnippetOptions = {
    flow: flow.flow,
    runtimeUrl: runtimeUrl(request),
    language: flow.language,
    title: flow.title,
    policyUrl: flow.privacy.policyUrl ?? "",
    controller: flow.privacy.controller.name,
  };
  if (fromQuery) {
    const language = oneOf<WidgetLanguage>(request, "lang", ["de", "en"]);
    const position = oneOf<WidgetPosition>(request, "position", ["right", "left", "inline"]);
    const launcher = oneOf<LauncherLook>(request, "launcher", ["card", "compact"]);
    const pin = oneOf(request, "pin", ["1", "true"]);
    if (pin && !assets) throw new AppError("not-found", "The widget is not built, so there is no integrity to pin.");
    const texts = { title: queryText(request, "title"), accent: queryText(request, "color"), avatar: queryText(request, "avatar"), buttonText: queryText(request, "button"), noteText: queryText(request, "note"), linkText: queryText(request, "link") };
    Object.assign(options, Object.fromEntries(Object.entries(texts).filter(([, value]) => value !== undefined)));
    if (language) options.language = language;
    if (position) options.position = position;
    if (launcher) options.launcher = launcher;
    if (pin && assets) options.integrity = assets.js.integrity;
  }
  try {
    return widgetSnippet(options);
  } catch (error) {
    if (error instanceof SnippetError) throw new AppError("bad-request", error.message);
    throw error;
  }
}

export function widgetRoutes(deps: WidgetRoutesDeps): Router {
  const router = Router();

  router.get("/widget/widget.js", (request, response) => sendAsset(request, response, deps.assets?.js));
  router.get("/widget/widget.css", (request, response) => sendAsset(request, response, deps.assets?.css));

  /**
   * The snippet for a published flow. Query: lang, title, color, position, launcher (card|compact), avatar, button,
   * note, link, pin (adds Subresource Integrity), format=html for the bare HTML.
   */
  router.get("/widget/snippet/:flow", async (request, response) => {
    const format = oneOf(request, "format", ["json", "html"]);
    const snippet = snippetFor(await deps.catalog.latest(String(request.params.flow)), request, deps.assets, true);
    response.set("Cache-Control", "no-store");
    if (format === "html") {
      response.type("text/plain; charset=utf-8").send(snippet.html);
      return;
    }
    response.json({ flow: request.params.flow, ...snippet, ...(deps.assets ? { widgetIntegrity: deps.assets.js.integrity } : {}) });
  });

  router.get("/", (_request, response) => response.redirect(302, "/demo"));

  router.get("/demo", async (request, response) => {
    const published = await deps.catalog.list();
    // `?flow=<id>` shows that published flow (the editor's "see it on a page"); else the reference flow.
    const asked = typeof request.query.flow === "string" && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(request.query.flow) ? request.query.flow : undefined;
    const flowId = asked && published.some((entry) => entry.flow === asked) ? asked : published.some((entry) => entry.flow === demoFlow) ? demoFlow : published[0]?.flow;
    const runnable = flowId === undefined ? undefined : await deps.catalog.latest(flowId);
    const page = demoPage({
      company: runnable?.flow.privacy.controller.name ?? "Muster GmbH",
      ...(runnable ? { snippet: snippetFor(runnable, request, deps.assets, false), flow: runnable.flow.flow } : {}),
      ...(runnable?.flow.privacy.policyUrl ? { policyUrl: runnable.flow.privacy.policyUrl } : {}),
      ...(runnable?.flow.privacy.imprintUrl ? { imprintUrl: runnable.flow.privacy.imprintUrl } : {}),
    });
    response.set({ "Content-Security-Policy": page.csp, "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" });
    response.type("html").send(page.html);
  });

  return router;
}
