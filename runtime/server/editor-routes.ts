/**
 * The visual editor: its static files at `/editor` (the HTML shell is public; it holds no data)
 * and the file API it edits `flows/` with, plus the examples to start from — for team members
 * whose roles allow it (access-rules.ts). Every change to a flow file is in the audit trail.
 * Publishing uses `PUT /api/v1/admin/flows/:id`.
 */
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import express, { type Request, type Response, Router, text } from "express";
import { parseDocument } from "yaml";
import { AppError } from "../app/app-error.ts";
import type { FlowCatalog } from "../app/flows/flow-catalog.ts";
import { checkFileId, FlowFiles, fileIdPattern, withFlowId } from "../app/flows/flow-files.ts";
import type { AuditTrail } from "../app/audit/audit-trail.ts";
import { knowledgeBaseSuffix } from "../core/index.ts";
import { auditActor } from "./team-auth.ts";

export interface EditorSetup {
  /** The flows directory the editor edits (config `BOTSCHAFT_FLOWS_DIR`). */
  flowsDir: string;
  /** Example flows a new flow can start from. */
  examplesDir: string;
  /** The built editor (`editor/dist`). */
  distDir: string;
  /** What the integration presets' form offers (docs/deliveries.md#integrations): the configured mail provider, the names of the API keys set — never their values. */
  integrations?: EditorIntegrations;
}

export interface EditorIntegrations {
  mailProvider?: { name: string; country: string };
  secrets: string[];
}

const yamlTypes = ["text/yaml", "application/yaml", "application/x-yaml", "text/plain"];

function ifMatch(request: Request): string {
  const value = request.get("if-match")?.replace(/^"|"$/g, "");
  if (!value) throw new AppError("bad-request", "Send the hash of the version you edited in If-Match.");
  return value;
}

function bodyText(request: Request): string {
  if (typeof request.body !== "string") throw new AppError("bad-request", "Send the flow's YAML with Content-Type: text/yaml.");
  return request.body;
}

function targetId(request: Request): string {
  const body = request.body as { to?: unknown } | undefined;
  return checkFileId(typeof body?.to === "string" ? body.to : "");
}

/** The knowledge bases an example's `faq` steps name. */
function knowledgeBasesNamedIn(source: string): string[] {
  const nodes = parseDocument(source).toJS()?.nodes as Record<string, { type?: unknown; knowledgeBase?: unknown }> | undefined;
  const names = Object.values(nodes ?? {}).flatMap((node) => (node?.type === "faq" && typeof node.knowledgeBase === "string" && fileIdPattern.test(node.knowledgeBase) ? [node.knowledgeBase] : []));
  return [...new Set(names)];
}

/** What the templates gallery shows of an example: title, description, language and its steps' types in order (the preview picture). */
async function exampleSummary(path: string): Promise<{ title: string; description?: string; language?: string; steps: string[] }> {
  const value: unknown = parseDocument(await readFile(path, "utf8")).toJS();
  const flow = typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  const nodes = typeof flow.nodes === "object" && flow.nodes !== null ? Object.values(flow.nodes as Record<string, unknown>) : [];
  const steps = nodes.flatMap((node) => (typeof node === "object" && node !== null && typeof (node as { type?: unknown }).type === "string" ? [(node as { type: string }).type] : [])).slice(0, 16);
  return {
    title: typeof flow.title === "string" ? flow.title : "",
    ...(typeof flow.description === "string" ? { description: flow.description } : {}),
    ...(typeof flow.language === "string" ? { language: flow.language } : {}),
    steps,
  };
}

/** Static editor files; the SPA's HTML for every other path below `/editor`. */
export function editorStatic(distDir: string): Router {
  const router = Router();
  router.use((_request, response, next) => {
    // The editor only talks to its own origin; flow texts are shown as text, and this backs that up.
    // 'unsafe-eval' only because the shared validator's ajv compiles the schemas to functions.
    response.set("content-security-policy", "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'");
    response.set("x-content-type-options", "nosniff");
    next();
  });
  router.use(express.static(distDir, { index: "index.html", fallthrough: true }));
  router.use((_request, response) => {
    const index = join(distDir, "index.html");
    if (!existsSync(index)) throw new AppError("not-found", "The editor is not built: run `npm run build:editor` (npm start does it for you).");
    response.sendFile(index);
  });
  return router;
}

export function editorRoutes(setup: EditorSetup, catalog: FlowCatalog, audit: AuditTrail, maxFlowBytes: number): Router {
  const files = new FlowFiles(setup.flowsDir);
  const knowledgeBaseFiles = new FlowFiles(setup.flowsDir, knowledgeBaseSuffix);
  const router = Router();
  router.use(express.json({ limit: "16kb" }));
  const recorded = (request: Request, response: Response, action: string, target: string, details?: Record<string, string>) =>
    audit.record(auditActor(request, response), { action, target, ...(details ? { details } : {}) });

  router.get("/files", async (_request, response) => {
    const published = new Map((await catalog.list()).map((entry) => [entry.flow, entry.version]));
    const list = await files.list();
    response.json({
      files: list.map((file) => ({ ...file, published: published.get(file.id) ?? null })),
    });
  });

  router.get("/files/:id", async (request, response) => {
    const id = checkFileId(String(request.params.id));
    const file = await files.read(id);
    const published = (await catalog.list()).find((entry) => entry.flow === id)?.version ?? null;
    // The editor validates as publishing will, which lets the allow-listed webhook hosts through.
    response.json({ id, ...file, published, webhookAllowHosts: catalog.webhookAllowHosts, integrations: setup.integrations ?? { secrets: [] } });
  });

  router.put("/files/:id", text({ type: yamlTypes, limit: maxFlowBytes }), async (request, response) => {
    const id = checkFileId(String(request.params.id));
    const created = request.get("if-none-match") === "*";
    const result = await files.save(id, bodyText(request), created ? null : ifMatch(request));
    await recorded(request, response, created ? "flow-file.create" : "flow-file.save", id, { hash: result.hash });
    response.status(created ? 201 : 200).json({ id, ...result });
  });

  router.delete("/files/:id", async (request, response) => {
    const id = checkFileId(String(request.params.id));
    await files.remove(id, ifMatch(request));
    await recorded(request, response, "flow-file.delete", id);
    response.status(204).end();
  });

  router.post("/files/:id/rename", async (request, response) => {
    const to = targetId(request);
    const from = checkFileId(String(request.params.id));
    const result = await files.rename(from, to, ifMatch(request));
    await recorded(request, response, "flow-file.rename", from, { to });
    response.json({ id: to, ...result });
  });

  router.post("/files/:id/duplicate", async (request, response) => {
    const to = targetId(request);
    const from = checkFileId(String(request.params.id));
    const result = await files.copy(from, to);
    await recorded(request, response, "flow-file.duplicate", from, { to });
    response.status(201).json({ id: to, ...result });
  });

  router.get("/examples", async (_request, response) => {
    const names = existsSync(setup.examplesDir) ? (await readdir(setup.examplesDir)).filter((name) => name.endsWith(".yaml")).sort() : [];
    const examples = await Promise.all(
      names.map(async (name) => ({ id: name.slice(0, -5), ...(await exampleSummary(join(setup.examplesDir, name)).catch(() => ({ title: "", steps: [] }))) })),
    );
    response.json({ examples: examples.filter((example) => fileIdPattern.test(example.id)) });
  });

  /** Creates `flows/<to>.yaml` from an example (its `flow:` id set to the new id). */
  router.post("/examples/:id/create", async (request, response) => {
    const example = checkFileId(String(request.params.id));
    const to = targetId(request);
    let source: string;
    try {
      source = await readFile(join(setup.examplesDir, `${example}.yaml`), "utf8");
    } catch {
      throw new AppError("not-found", `There is no example '${example}'.`);
    }
    const result = await files.save(to, withFlowId(source, to), null);
    await recorded(request, response, "flow-file.create", to, { example });
    // An example's faq steps need their knowledge bases beside the new flow; one that is there already stays as it is.
    for (const name of knowledgeBasesNamedIn(source)) {
      const text = await readFile(join(setup.examplesDir, `${name}${knowledgeBaseSuffix}`), "utf8").catch(() => undefined);
      if (text === undefined || (await knowledgeBaseFiles.list()).some((file) => file.id === name)) continue;
      const created = await knowledgeBaseFiles.save(name, text, null);
      await recorded(request, response, "knowledge-base.create", name, { example, hash: created.hash });
    }
    response.status(201).json({ id: to, ...result });
  });
  return router;
}
