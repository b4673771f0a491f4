/**
 * The analytics of a flow (docs/analytics.md): counts per version and day, small counts shown as
 * "<5". Counts only — no conversation, no text, no time finer than a day — so whoever may read
 * the flows may read them. Access rules in access-rules.ts.
 */
import { Router } from "express";
import type { Analytics } from "../app/analytics/analytics.ts";
import { AppError } from "../app/app-error.ts";
import { checkFileId } from "../app/flows/flow-files.ts";

function day(value: unknown, name: string): string | undefined {
  if (value === undefined || value === "") return undefined;
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new AppError("bad-request", `${name} takes a day as YYYY-MM-DD.`);
  return value;
}

/** Routes below `/api/v1/admin`. */
export function analyticsRoutes(analytics: Analytics): Router {
  const router = Router();
  router.get("/analytics/:flow", async (request, response) => {
    const flow = checkFileId(String(request.params.flow));
    response.json(await analytics.report(flow, day(request.query.from, "from"), day(request.query.to, "to")));
  });
  return router;
}
