/**
 * The editor's side of knowledge bases (docs/faq.md): the `*.faq.yaml` files beside the flows
 * (list, read, save with If-Match, like flow files) and the review list of unanswered questions,
 * where an editor adds a question as a new entry or as a phrasing of an entry, or dismisses it.
 * Access rules in access-rules.ts; every change is in the audit trail.
 */
import express, { type Request, Router, text } from "express";
import { AppError } from "../app/app-error.ts";
import type { AddQuestion, FaqReview } from "../app/faq/faq-review.ts";
import { checkFileId, FlowFiles } from "../app/flows/flow-files.ts";
import type { AuditTrail } from "../app/audit/audit-trail.ts";
import { knowledgeBaseSuffix } from "../core/index.ts";
import type { UnansweredStatus } from "../stores/ports/unanswered-questions.ts";
import { auditActor } from "./team-auth.ts";

const yamlTypes = ["text/yaml", "application/yaml", "application/x-yaml", "text/plain"];
const statuses: readonly UnansweredStatus[] = ["open", "answered", "added", "dismissed"];

function ifMatch(request: Request): string {
  const value = request.get("if-match")?.replace(/^"|"$/g, "");
  if (!value) throw new AppError("bad-request", "Send the hash of the version you edited in If-Match.");
  return value;
}

function text500(value: unknown, what: string, max = 500): string {
  if (typeof value !== "string" || value.trim() === "" || value.length > max) throw new AppError("bad-request", `${what} needs 1 to ${max} characters.`);
  return value;
}

/** The body of an approval: `{ as: "entry", entry, question, answer, title? }` or `{ as: "phrasing", entry, question }`. */
function additionOf(body: unknown): AddQuestion {
  const value = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  const entry = checkFileId(typeof value.entry === "string" ? value.entry : "");
  const question = text500(value.question, "The question");
  if (value.as === "phrasing") return { as: "phrasing", entry, question };
  if (value.as !== "entry") throw new AppError("bad-request", "Say whether to add the question as a new `entry` or as a `phrasing` of an entry.");
  const title = value.title === undefined || value.title === "" ? undefined : text500(value.title, "The title", 80);
  return { as: "entry", entry, question, answer: text500(value.answer, "The answer", 8000), ...(title ? { title } : {}) };
}

/** Routes below `/api/v1/admin`; the file routes only where the runtime edits a flows directory. */
export function faqRoutes(review: FaqReview, audit: AuditTrail, flowsDir: string | undefined, maxBytes: number): Router {
  const router = Router();
  router.use(express.json({ limit: "32kb" }));

  router.get("/unanswered", async (request, response) => {
    const wanted = typeof request.query.status === "string" ? request.query.status.split(",").filter((status) => status !== "") : [];
    const unknown = wanted.find((status) => !(statuses as readonly string[]).includes(status));
    if (unknown !== undefined) throw new AppError("bad-request", `status takes ${statuses.join(", ")}, not '${unknown}'.`);
    response.json({ questions: await review.list(wanted.length > 0 ? (wanted as UnansweredStatus[]) : undefined) });
  });

  router.post("/unanswered/:id/add", async (request, response) => {
    response.json(await review.add(String(request.params.id), additionOf(request.body), auditActor(request, response)));
  });

  router.post("/unanswered/:id/dismiss", async (request, response) => {
    await review.dismiss(String(request.params.id), auditActor(request, response));
    response.status(204).end();
  });

  if (flowsDir === undefined) return router;
  const files = new FlowFiles(flowsDir, knowledgeBaseSuffix);

  router.get("/knowledge-bases", async (_request, response) => {
    response.json({ knowledgeBases: await files.list() });
  });

  router.get("/knowledge-bases/:id", async (request, response) => {
    const id = checkFileId(String(request.params.id));
    response.json({ id, ...(await files.read(id)) });
  });

  router.put("/knowledge-bases/:id", text({ type: yamlTypes, limit: maxBytes }), async (request, response) => {
    const id = checkFileId(String(request.params.id));
    if (typeof request.body !== "string") throw new AppError("bad-request", "Send the knowledge base's YAML with Content-Type: text/yaml.");
    const created = request.get("if-none-match") === "*";
    const result = await files.save(id, request.body, created ? null : ifMatch(request));
    await audit.record(auditActor(request, response), { action: created ? "knowledge-base.create" : "knowledge-base.save", target: id, details: { hash: result.hash } });
    response.status(created ? 201 : 200).json({ id, ...result });
  });
  return router;
}
