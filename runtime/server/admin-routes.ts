/**
 * Admin endpoints, behind the admin token: publish a flow (validated by the same validator as
 * the CLI; refused with 422 and the problems when it has errors) and list published flows.
 */
import { type Request, Router, text } from "express";
import type { Language } from "../core/index.ts";
import { AppError } from "../app/app-error.ts";
import { bearerTokenOf } from "./bearer-token-of.ts";
import type { FlowCatalog } from "../app/flows/flow-catalog.ts";

export interface AdminAuth {
  matches(token: string): Promise<boolean>;
}

function language(request: Request): Language {
  return request.query.lang === "de" || request.acceptsLanguages("de", "en") === "de" ? "de" : "en";
}

export function adminRoutes(catalog: FlowCatalog, auth: AdminAuth, maxFlowBytes: number): Router {
  const router = Router();
  router.use(async (request, _response, next) => {
    const token = bearerTokenOf(request);
    if (!token || !(await auth.matches(token))) throw new AppError("unauthorized", "The admin token is missing or wrong.");
    next();
  });

  router.get("/flows", async (_request, response) => {
    response.json({ flows: await catalog.list() });
  });

  router.put(
    "/flows/:id",
    text({ type: ["text/yaml", "application/yaml", "application/x-yaml", "text/plain"], limit: maxFlowBytes }),
    async (request, response) => {
      if (typeof request.body !== "string") throw new AppError("bad-request", "Send the flow's YAML with Content-Type: text/yaml.");
      const result = await catalog.publish(String(request.params.id), request.body, language(request));
      response.status(result.created ? 201 : 200).json(result);
    },
  );
  return router;
}
