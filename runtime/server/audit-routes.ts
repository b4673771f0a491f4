/**
 * `GET /api/v1/audit` (admin, dpo): the audit trail as JSON, or as CSV with `?format=csv` for a
 * spreadsheet (formula-like cells escaped). Filters: `from`, `to` (ISO times), `actor`,
 * `action`, `target`; paging with `after` (an entry id) and `limit`. Reading it is audited too.
 */
import { type Request, Router } from "express";
import { AppError } from "../app/app-error.ts";
import { type AuditQuery, type AuditTrail, auditColumns } from "../app/audit/audit-trail.ts";
import { csvLine } from "../app/csv.ts";
import { auditActor } from "./team-auth.ts";

const maxLimit = 10_000;

function query(request: Request): AuditQuery {
  const text = (name: string) => {
    const value = request.query[name];
    if (value === undefined) return undefined;
    if (typeof value !== "string" || value.length > 200) throw new AppError("bad-request", `\`${name}\` must be a single value.`);
    return value;
  };
  const time = (name: string) => {
    const value = text(name);
    if (value !== undefined && Number.isNaN(Date.parse(value))) throw new AppError("bad-request", `\`${name}\` must be an ISO 8601 time.`);
    return value;
  };
  const limitText = text("limit");
  const limit = limitText === undefined ? maxLimit : Number(limitText);
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > maxLimit) throw new AppError("bad-request", `\`limit\` is a whole number from 1 to ${maxLimit}.`);
  const result: AuditQuery = { limit };
  for (const name of ["actor", "action", "target", "after"] as const) {
    const value = text(name);
    if (value !== undefined) result[name] = value;
  }
  const from = time("from");
  const to = time("to");
  if (from !== undefined) result.from = from;
  if (to !== undefined) result.to = to;
  return result;
}

export function auditRoutes(audit: AuditTrail): Router {
  const router = Router();
  router.get("/audit", async (request, response) => {
    const wanted = query(request);
    const format = request.query.format === "csv" ? "csv" : "json";
    const entries = await audit.list(wanted);
    await audit.record(auditActor(request, response), { action: "audit.read", details: { format, entries: entries.length } });
    response.set("cache-control", "no-store");
    if (format === "json") {
      response.json(entries);
      return;
    }
    response.set({ "content-type": "text/csv; charset=utf-8", "content-disposition": 'attachment; filename="botschaft-audit.csv"' });
    response.write(csvLine(auditColumns));
    for (const entry of entries) response.write(csvLine(auditColumns.map((column) => entry[column])));
    response.end();
  });
  return router;
}
