/**
 * The privacy desk's routes (docs/privacy.md#proof-ledger), for the data protection officer:
 *
 * - `GET /api/v1/privacy/ledger` — the proof ledger as JSON (an array) or, with `?format=csv`,
 *   as CSV for an auditor; `?person=` gives one person's entries. Streamed page by page;
 *   `?fromSeq=&limit=` gives one page as JSON (the editor's ledger page).
 * - `GET /api/v1/privacy/ledger/status` — head, checkpoint, whether the ledger is halted.
 * - `POST /api/v1/privacy/ledger/verify` — checks the chain now; a break halts the ledger.
 * - `POST /api/v1/privacy/ledger/acknowledge` (admin) — after a break: chain on.
 * - `GET /api/v1/privacy/paperwork/{flow}` (`?lang=de|en`) — for the published version: the
 *   policy passage, the Art. 30 record, the annex of technical and organisational measures, the
 *   deletion concept and a processing agreement template per processor, as Markdown.
 *
 * - `POST /api/v1/privacy/requests` `{ email }` or `{ phone }` — a request that arrived by e-mail
 *   or letter: every conversation that stored the address, with fields as labels, never values;
 *   `GET …/requests`, `GET …/requests/{id}`, `POST …/{id}/extend` `{ reason }`,
 *   `GET …/{id}/export` (one file), `POST …/{id}/erase` (every channel),
 *   `POST …/{id}/correct` `{ conversation, field, value }` (through the chat's own correction).
 *   `{ messenger: { channel, id } }` finds a messenger user's conversation by its user id.
 *
 * Every read, every request action and every acknowledgement is in the audit trail.
 */
import { Router } from "express";
import { AppError } from "../app/app-error.ts";
import type { AuditTrail } from "../app/audit/audit-trail.ts";
import { csvLine } from "../app/csv.ts";
import type { FlowCatalog } from "../app/flows/flow-catalog.ts";
import type { PrivacyDesk } from "../app/privacy/privacy-desk.ts";
import { describeBreak, ledgerColumns, type ProofLedger } from "../app/privacy/proof-ledger.ts";
import { type DeploymentFacts, deletionConceptText, privacyPolicyText, processingAgreementTexts, processingRecordText, tomAnnexText } from "../core/index.ts";
import { auditActor } from "./team-auth.ts";

function single(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value.length > 200) throw new AppError("bad-request", `\`${name}\` must be a single value.`);
  return value;
}

/** The configuration facts the paperwork names, for one flow (its messengers differ). */
export type DeploymentFactsOf = (flowId: string) => Omit<DeploymentFacts, "lang">;

export function privacyRoutes(ledger: ProofLedger, audit: AuditTrail, catalog: FlowCatalog, facts: DeploymentFactsOf, desk: PrivacyDesk): Router {
  const router = Router();

  router.post("/privacy/requests", async (request, response) => {
    const body = (request.body ?? {}) as { email?: unknown; phone?: unknown; messenger?: unknown };
    const opened = await desk.open(body);
    // The audit names the request and what kind of address, never the address.
    await audit.record(auditActor(request, response), { action: "privacy.request.open", target: opened.id, details: { kind: opened.kind, found: opened.conversations.length, duplicate: opened.duplicate === true } });
    response.status(opened.duplicate ? 200 : 201).json(opened);
  });

  router.get("/privacy/requests", async (_request, response) => {
    response.set("cache-control", "no-store");
    response.json(await desk.list());
  });

  router.get("/privacy/requests/:id", async (request, response) => {
    response.set("cache-control", "no-store");
    response.json(await desk.get(request.params.id as string));
  });

  router.post("/privacy/requests/:id/extend", async (request, response) => {
    const id = request.params.id as string;
    const extended = await desk.extend(id, (request.body as { reason?: unknown } | undefined)?.reason);
    await audit.record(auditActor(request, response), { action: "privacy.request.extend", target: id });
    response.json(extended);
  });

  router.get("/privacy/requests/:id/export", async (request, response) => {
    const id = request.params.id as string;
    const file = await desk.export(id);
    await audit.record(auditActor(request, response), { action: "privacy.request.export", target: id, details: { conversations: file.conversations.length } });
    response.set({ "cache-control": "no-store", "content-disposition": `attachment; filename="botschaft-request-${id}.json"` });
    response.json(file);
  });

  router.post("/privacy/requests/:id/correct", async (request, response) => {
    const id = request.params.id as string;
    const body = (request.body ?? {}) as { conversation?: unknown; field?: unknown; value?: unknown };
    const corrected = await desk.correct(id, body);
    // The audit names the field's id, never a value.
    await audit.record(auditActor(request, response), { action: "privacy.request.correct", target: id, details: { field: typeof body.field === "string" ? body.field.slice(0, 100) : "" } });
    response.json(corrected);
  });

  router.post("/privacy/requests/:id/erase", async (request, response) => {
    const id = request.params.id as string;
    const done = await desk.erase(id);
    await audit.record(auditActor(request, response), { action: "privacy.request.erase", target: id, details: { outcome: done.outcomes.at(-1)?.outcome ?? "" } });
    response.json(done);
  });

  router.get("/privacy/paperwork/:flow", async (request, response) => {
    const wanted = single(request.query.lang, "lang");
    if (wanted !== undefined && wanted !== "de" && wanted !== "en") throw new AppError("bad-request", "`lang` is `de` or `en`.");
    const { flow, version } = await catalog.latest(request.params.flow as string);
    const options: DeploymentFacts = { ...facts(flow.flow), lang: wanted ?? flow.language };
    response.set("cache-control", "no-store");
    response.json({
      flow: flow.flow,
      version,
      lang: options.lang,
      policy: privacyPolicyText([flow], options),
      record: processingRecordText([flow], options),
      measures: tomAnnexText(options),
      deletion: deletionConceptText([flow], options),
      agreements: processingAgreementTexts(flow, options),
    });
  });

  router.get("/privacy/ledger", async (request, response) => {
    const format = single(request.query.format, "format") ?? "json";
    if (format !== "json" && format !== "csv") throw new AppError("bad-request", "`format` is `json` or `csv`.");
    const person = single(request.query.person, "person");
    const limit = single(request.query.limit, "limit");
    const fromSeq = single(request.query.fromSeq, "fromSeq");
    if (limit !== undefined || fromSeq !== undefined) {
      // One page for the DPO's screen (JSON only): `limit` entries from `fromSeq` on, in chain order.
      const size = Number(limit ?? 50);
      const from = Number(fromSeq ?? 0);
      if (format !== "json" || !Number.isInteger(size) || size < 1 || size > 500 || !Number.isInteger(from) || from < 0) throw new AppError("bad-request", "A page is `limit` (1–500) entries `fromSeq` on, as JSON.");
      await audit.record(auditActor(request, response), { action: "privacy.ledger.read", details: { format: "page", ...(person ? { person: true } : {}) } });
      response.set("cache-control", "no-store");
      response.json(await ledger.page({ fromSeq: from, limit: size, ...(person ? { person } : {}) }));
      return;
    }
    await audit.record(auditActor(request, response), { action: "privacy.ledger.read", details: { format, ...(person ? { person: true } : {}) } });
    response.set("cache-control", "no-store");
    const entries = ledger.entries(person ? { person } : {});
    if (format === "csv") {
      response.set({ "content-type": "text/csv; charset=utf-8", "content-disposition": 'attachment; filename="botschaft-proof-ledger.csv"' });
      response.write(csvLine(ledgerColumns));
      for await (const entry of entries) response.write(csvLine(ledgerColumns.map((column) => entry[column])));
      response.end();
      return;
    }
    response.set("content-type", "application/json; charset=utf-8");
    let first = true;
    response.write("[");
    for await (const entry of entries) {
      response.write(`${first ? "" : ","}${JSON.stringify(entry)}`);
      first = false;
    }
    response.end("]");
  });

  router.get("/privacy/ledger/status", async (_request, response) => {
    response.set("cache-control", "no-store");
    response.json(await ledger.status());
  });

  router.post("/privacy/ledger/verify", async (request, response) => {
    const result = await ledger.check();
    await audit.record(auditActor(request, response), { action: "privacy.ledger.verify", outcome: result.ok ? "ok" : "failed", details: { entries: result.entries } });
    response.json({ ...result, ...(result.broken ? { message: describeBreak(result.broken) } : {}) });
  });

  router.post("/privacy/ledger/acknowledge", async (request, response) => {
    const actor = auditActor(request, response);
    const entries = await ledger.acknowledge(actor.actor);
    await audit.record(actor, { action: "privacy.ledger.acknowledge", details: { released: entries.length - 1 } });
    response.json({ acknowledged: true, released: entries.length - 1 });
  });

  return router;
}
