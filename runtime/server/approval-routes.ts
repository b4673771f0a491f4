/**
 * Four-eyes publishing: `GET /api/v1/approvals` lists publish requests (newest first, `?status=`
 * filters), `GET /api/v1/approvals/:id` is the review — validator findings, the live version and
 * both versions' generated privacy texts — and `POST …/approve`, `…/reject` (with a `reason`),
 * `…/withdraw` decide. Who may do which is in access-rules.ts.
 */
import { Router } from "express";
import type { Language } from "../core/index.ts";
import { AppError } from "../app/app-error.ts";
import type { Publishing } from "../app/flows/publishing.ts";
import type { PublishRequestRecord } from "../stores/ports/publish-requests.ts";
import { auditActor, requirePrincipal } from "./team-auth.ts";

const statuses: readonly PublishRequestRecord["status"][] = ["pending", "approved", "rejected", "withdrawn"];

export function approvalRoutes(publishing: Publishing): Router {
  const router = Router();

  router.get("/approvals", async (request, response) => {
    const status = request.query.status;
    if (status !== undefined && !statuses.includes(status as PublishRequestRecord["status"])) throw new AppError("bad-request", `\`status\` is one of ${statuses.join(", ")}.`);
    const requests = await publishing.list(status as PublishRequestRecord["status"] | undefined);
    // The list leaves the sources out; the review has them.
    response.json({ approvalRequired: publishing.approvalRequired, requests: requests.map(({ yaml: _, ...summary }) => summary) });
  });

  router.get("/approvals/:id", async (request, response) => {
    const lang: Language = request.query.lang === "de" ? "de" : "en";
    response.json(await publishing.review(String(request.params.id), lang));
  });

  router.post("/approvals/:id/approve", async (request, response) => {
    const result = await publishing.approve(String(request.params.id), requirePrincipal(response), auditActor(request, response));
    response.json(result);
  });

  router.post("/approvals/:id/reject", async (request, response) => {
    const reason = (request.body as { reason?: unknown } | undefined)?.reason;
    if (typeof reason !== "string") throw new AppError("bad-request", "Send the `reason` for the rejection.");
    response.json(await publishing.reject(String(request.params.id), reason, requirePrincipal(response), auditActor(request, response)));
  });

  router.post("/approvals/:id/withdraw", async (request, response) => {
    await publishing.withdraw(String(request.params.id), requirePrincipal(response), auditActor(request, response));
    response.status(204).end();
  });

  return router;
}
