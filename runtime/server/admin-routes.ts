/**
 * The published flows: list them, and publish one — validated by the same validator as the CLI
 * (refused with 422 and the problems when it has errors), or, with four-eyes publishing on,
 * submitted for approval (202 with the request). Who may call what is in access-rules.ts.
 */
import { type Request, Router, text } from "express";
import type { Language } from "../core/index.ts";
import { AppError } from "../app/app-error.ts";
import type { FlowCatalog } from "../app/flows/flow-catalog.ts";
import type { Publishing } from "../app/flows/publishing.ts";
import { auditActor } from "./team-auth.ts";

export function language(request: Request): Language {
  return request.query.lang === "de" || request.acceptsLanguages("de", "en") === "de" ? "de" : "en";
}

export function adminRoutes(catalog: FlowCatalog, publishing: Publishing, maxFlowBytes: number): Router {
  const router = Router();

  router.get("/flows", async (_request, response) => {
    response.json({ flows: await catalog.list() });
  });

  // The flow's publications with date, author and source, newest first (the editor's history and rollback).
  router.get("/flows/:id/history", async (request, response) => {
    const id = String(request.params.id);
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) throw new AppError("bad-request", "A flow id uses lower-case letters, digits and single dashes.");
    response.json({ versions: await publishing.history(id) });
  });

  router.put(
    "/flows/:id",
    text({ type: ["text/yaml", "application/yaml", "application/x-yaml", "text/plain"], limit: maxFlowBytes }),
    async (request, response) => {
      if (typeof request.body !== "string") throw new AppError("bad-request", "Send the flow's YAML with Content-Type: text/yaml.");
      const outcome = await publishing.publish(String(request.params.id), request.body, language(request), auditActor(request, response));
      if (outcome.kind === "requested") {
        const { yaml: _, ...request_ } = outcome.request;
        response.status(202).json({ request: request_, warnings: outcome.warnings });
        return;
      }
      response.status(outcome.result.created ? 201 : 200).json(outcome.result);
    },
  );
  return router;
}
