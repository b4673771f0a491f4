/**
 * A flow's results (docs/results.md): `GET /api/v1/admin/results/{flow}` — a view of the newest
 * rows as JSON, or the whole export (`format=csv`, or JSON with `all=true`) streamed page by
 * page with backpressure, so 100,000 rows cost a page of memory. Filters: `from`, `to` (days),
 * `outcome`. Every view and export is audited before the first row leaves. Access: admin and
 * dpo; editors reach the route (access-rules.ts) but only read flows that share their results.
 */
import { once } from "node:events";
import { Router, type Response } from "express";
import { AppError } from "../app/app-error.ts";
import { csvLine } from "../app/csv.ts";
import { checkFileId } from "../app/flows/flow-files.ts";
import { checkOutcome, type Results, type ResultsQuery } from "../app/results/results.ts";
import { auditActor, requirePrincipal } from "./team-auth.ts";

const viewLimit = 200;

function day(value: unknown, name: string): string | undefined {
  if (value === undefined || value === "") return undefined;
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new AppError("bad-request", `${name} takes a day as YYYY-MM-DD.`);
  return value;
}

async function write(response: Response, text: string): Promise<void> {
  if (!response.write(text)) await once(response, "drain");
}

/** Routes below `/api/v1/admin`. */
export function resultsRoutes(results: Results): Router {
  const router = Router();
  router.get("/results/:flow", async (request, response) => {
    const flow = checkFileId(String(request.params.flow));
    const format = request.query.format === "csv" ? "csv" : "json";
    const whole = format === "csv" || request.query.all === "true";
    const outcome = checkOutcome(request.query.outcome);
    const from = day(request.query.from, "from");
    const to = day(request.query.to, "to");
    const query: ResultsQuery = { flow, ...(from ? { from } : {}), ...(to ? { to } : {}), ...(outcome ? { outcome } : {}), ...(whole ? {} : { limit: viewLimit }) };
    const columns = await results.columns(flow);
    await results.checkReader(flow, requirePrincipal(response).roles);
    await results.audited(auditActor(request, response), query, whole ? "results.export" : "results.view", format);
    response.set("cache-control", "no-store");
    if (format === "csv") {
      response.set({ "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="botschaft-results-${flow}.csv"` });
      await write(response, csvLine(["startedAt", "lastActivityAt", "outcome", "channel", ...columns]));
      for await (const row of results.rows(query)) {
        await write(response, csvLine([row.startedAt, row.lastActivityAt, row.outcome, row.channel, ...columns.map((column) => row.fields[column])]));
      }
      response.end();
      return;
    }
    response.set("content-type", "application/json; charset=utf-8");
    await write(response, `{"flow":${JSON.stringify(flow)},"columns":${JSON.stringify(columns)},"rows":[`);
    let first = true;
    for await (const row of results.rows(query)) {
      await write(response, `${first ? "" : ","}${JSON.stringify(row)}`);
      first = false;
    }
    response.end("]}");
  });
  return router;
}
