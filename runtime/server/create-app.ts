/**
 * Builds the HTTP application from its adapters. The composition root (`main.ts`) passes real
 * ones; tests pass in-memory ones. Nothing here reads the environment.
 */
import express from "express";
import type { Logger } from "pino";
import type { ChannelHub } from "../app/messaging/channel-hub.ts";
import { channelRoutes } from "../channels/channel-routes.ts";
import { maxFlowBytes } from "../core/index.ts";
import { type AdminAuth, adminRoutes } from "./admin-routes.ts";
import { AppError } from "../app/app-error.ts";
import type { ConversationService } from "../app/conversations/conversation-service.ts";
import { type EditorSetup, editorRoutes, editorStatic } from "./editor-routes.ts";
import { errorMiddleware } from "./error-middleware.ts";
import type { FlowCatalog } from "../app/flows/flow-catalog.ts";
import { type WebChatLimits, webChatRoutes } from "./web-chat-routes.ts";
import { type AllowedOrigins, webChatCors } from "./web-chat-cors.ts";
import type { WidgetAssets } from "../widget/widget-assets.ts";
import { widgetRoutes } from "../widget/widget-routes.ts";

/** What the HTTP side serves besides the chat API, and its limits: configuration, not services. */
export interface WebOptions {
  limits: WebChatLimits;
  /** Value for Express's `trust proxy`, when a reverse proxy terminates TLS. */
  trustProxy?: boolean | number | string;
  /** The built web widget; its routes say how to build it when absent. */
  widgetAssets?: WidgetAssets;
  /** Origins whose pages may call the web chat API (CORS); any origin when absent. */
  widgetOrigins?: AllowedOrigins;
  /** The visual editor and its file API; left out, neither is served. */
  editor?: EditorSetup;
}

export interface AppDeps extends WebOptions {
  service: ConversationService;
  catalog: FlowCatalog;
  adminAuth: AdminAuth;
  logger: Logger;
  /** Messenger channels; their webhooks read raw bodies, so they are mounted before any JSON parser. */
  channels?: ChannelHub;
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable("x-powered-by");
  // Chat replies are never revalidated; hashing every body for an ETag is wasted work.
  app.set("etag", false);
  if (deps.trustProxy !== undefined) app.set("trust proxy", deps.trustProxy);
  app.use((request, response, next) => {
    const started = performance.now();
    response.on("finish", () => {
      // Method, path and status only: bodies and query strings may carry personal data.
      deps.logger.info({ method: request.method, path: request.baseUrl + request.path, status: response.statusCode, ms: Math.round(performance.now() - started) }, "request");
    });
    next();
  });
  app.get("/healthz", (_request, response) => {
    response.json({ status: "ok" });
  });
  app.use("/api/v1/conversations", webChatCors(deps.widgetOrigins ?? "*"));
  if (deps.channels) app.use("/channels", channelRoutes(deps.channels, deps.service));
  app.use("/api/v1", express.json({ limit: "16kb" }), webChatRoutes(deps.service, deps.limits));
  app.use("/api/v1/admin", adminRoutes(deps.catalog, deps.adminAuth, maxFlowBytes));
  app.use(widgetRoutes({ catalog: deps.catalog, assets: deps.widgetAssets }));
  if (deps.editor) {
    app.use("/api/v1/admin", editorRoutes(deps.editor, deps.catalog, deps.adminAuth, maxFlowBytes));
    app.use("/editor", editorStatic(deps.editor.distDir));
  }
  app.use(() => {
    throw new AppError("not-found", "There is nothing here.");
  });
  app.use(errorMiddleware(deps.logger));
  return app;
}
