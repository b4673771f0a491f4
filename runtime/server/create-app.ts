/**
 * Builds the HTTP application from its adapters. The composition root (`main.ts`) passes real
 * ones; tests pass in-memory ones. Nothing here reads the environment.
 */
import express from "express";
import type { Logger } from "pino";
import { maxFlowBytes } from "../core/index.ts";
import { type AdminAuth, adminRoutes } from "./admin-routes.ts";
import { AppError } from "./app-error.ts";
import type { ConversationService } from "./conversation-service.ts";
import { type EditorSetup, editorRoutes, editorStatic } from "./editor-routes.ts";
import { errorMiddleware } from "./error-middleware.ts";
import type { FlowCatalog } from "./flow-catalog.ts";
import { type WebChatLimits, webChatRoutes } from "./web-chat-routes.ts";

export interface AppDeps {
  service: ConversationService;
  catalog: FlowCatalog;
  adminAuth: AdminAuth;
  logger: Logger;
  limits: WebChatLimits;
  /** Value for Express's `trust proxy`, when a reverse proxy terminates TLS. */
  trustProxy?: boolean | number | string;
  /** The visual editor and its file API; left out, neither is served. */
  editor?: EditorSetup;
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
  app.use("/api/v1", express.json({ limit: "16kb" }), webChatRoutes(deps.service, deps.limits));
  app.use("/api/v1/admin", adminRoutes(deps.catalog, deps.adminAuth, maxFlowBytes));
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
