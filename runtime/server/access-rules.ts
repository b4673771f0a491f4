/**
 * Who may call which team route: one rule per route, deny by default. The `authorize`
 * middleware runs before every team route: a request no rule matches is answered 404 — a route
 * added without a rule cannot be reached at all — and one whose rule the caller's roles do not
 * grant gets 403 (401 when nobody signed in). `access-rules.test.ts` walks the Express app and
 * checks every route has a rule, and calls each route with each role.
 */
import type { NextFunction, Request, Response } from "express";
import { match } from "path-to-regexp";
import { allows, type Permission } from "../core/index.ts";
import { AppError } from "../app/app-error.ts";
import { principalOf } from "./team-auth.ts";

/** `public`: anyone; `signed-in`: any team member or token; otherwise the permission needed. */
export type Access = "public" | "signed-in" | Permission;

export interface AccessRule {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Full path in Express syntax (`:id` parameters). */
  path: string;
  access: Access;
}

export const accessRules: readonly AccessRule[] = [
  { method: "POST", path: "/api/v1/session", access: "public" },
  { method: "GET", path: "/api/v1/session/options", access: "public" },
  { method: "GET", path: "/api/v1/session", access: "signed-in" },
  { method: "DELETE", path: "/api/v1/session", access: "signed-in" },

  { method: "GET", path: "/api/v1/admin/flows", access: "flows.read" },
  { method: "GET", path: "/api/v1/admin/flows/:id/history", access: "flows.read" },
  { method: "PUT", path: "/api/v1/admin/flows/:id", access: "flows.publish" },
  { method: "GET", path: "/api/v1/admin/files", access: "flows.read" },
  { method: "GET", path: "/api/v1/admin/files/:id", access: "flows.read" },
  { method: "PUT", path: "/api/v1/admin/files/:id", access: "flows.edit" },
  { method: "DELETE", path: "/api/v1/admin/files/:id", access: "flows.edit" },
  { method: "POST", path: "/api/v1/admin/files/:id/rename", access: "flows.edit" },
  { method: "POST", path: "/api/v1/admin/files/:id/duplicate", access: "flows.edit" },
  { method: "GET", path: "/api/v1/admin/examples", access: "flows.read" },
  { method: "POST", path: "/api/v1/admin/examples/:id/create", access: "flows.edit" },
  { method: "GET", path: "/api/v1/admin/knowledge-bases", access: "flows.read" },
  { method: "GET", path: "/api/v1/admin/knowledge-bases/:id", access: "flows.read" },
  { method: "PUT", path: "/api/v1/admin/knowledge-bases/:id", access: "flows.edit" },
  // Unanswered questions are masked, but still what visitors wrote: editors and admins only.
  { method: "GET", path: "/api/v1/admin/unanswered", access: "flows.edit" },
  { method: "POST", path: "/api/v1/admin/unanswered/:id/add", access: "flows.edit" },
  { method: "POST", path: "/api/v1/admin/unanswered/:id/dismiss", access: "flows.edit" },

  // Failed deliveries show where and why, never what: editors and the DPO see them and send them again.
  // What visitors left, decrypted, every view audited: admins and the DPO; editors pass this rule,
  // but the route lets them read only the flows that say privacy.editorsSeeResults.
  { method: "GET", path: "/api/v1/admin/results/:flow", access: "flows.read" },
  // Counts only, no personal data: whoever may read the flows.
  { method: "GET", path: "/api/v1/admin/analytics/:flow", access: "flows.read" },
  { method: "GET", path: "/api/v1/admin/deliveries", access: "deliveries.manage" },
  { method: "POST", path: "/api/v1/admin/deliveries/:id/retry", access: "deliveries.manage" },
  // The signing secret is an integration credential, like API tokens: admins only.
  { method: "GET", path: "/api/v1/admin/delivery-secret", access: "tokens.manage" },
  { method: "POST", path: "/api/v1/admin/delivery-secret/rotate", access: "tokens.manage" },

  { method: "GET", path: "/api/v1/approvals", access: "flows.read" },
  { method: "GET", path: "/api/v1/approvals/:id", access: "flows.read" },
  { method: "POST", path: "/api/v1/approvals/:id/approve", access: "publish.approve" },
  { method: "POST", path: "/api/v1/approvals/:id/reject", access: "publish.approve" },
  { method: "POST", path: "/api/v1/approvals/:id/withdraw", access: "flows.publish" },

  { method: "GET", path: "/api/v1/audit", access: "audit.read" },

  // The live chat: agents (and admins, who may also take a conversation another agent has).
  { method: "GET", path: "/api/v1/inbox", access: "inbox.use" },
  { method: "GET", path: "/api/v1/inbox/events", access: "inbox.use" },
  { method: "GET", path: "/api/v1/inbox/:conversation", access: "inbox.use" },
  { method: "POST", path: "/api/v1/inbox/:conversation/claim", access: "inbox.use" },
  { method: "POST", path: "/api/v1/inbox/:conversation/messages", access: "inbox.use" },
  { method: "POST", path: "/api/v1/inbox/:conversation/typing", access: "inbox.use" },
  { method: "POST", path: "/api/v1/inbox/:conversation/release", access: "inbox.use" },
  { method: "POST", path: "/api/v1/inbox/:conversation/close", access: "inbox.use" },
  { method: "GET", path: "/api/v1/inbox/canned/:flow", access: "inbox.use" },
  { method: "GET", path: "/api/v1/admin/canned-answers/:flow", access: "flows.read" },
  { method: "PUT", path: "/api/v1/admin/canned-answers/:flow", access: "flows.edit" },

  { method: "GET", path: "/api/v1/privacy/ledger", access: "privacy.use" },
  { method: "GET", path: "/api/v1/privacy/ledger/status", access: "privacy.use" },
  { method: "POST", path: "/api/v1/privacy/ledger/verify", access: "privacy.use" },
  { method: "GET", path: "/api/v1/privacy/paperwork/:flow", access: "privacy.use" },
  { method: "POST", path: "/api/v1/privacy/requests", access: "privacy.use" },
  { method: "GET", path: "/api/v1/privacy/requests", access: "privacy.use" },
  { method: "GET", path: "/api/v1/privacy/requests/:id", access: "privacy.use" },
  { method: "POST", path: "/api/v1/privacy/requests/:id/extend", access: "privacy.use" },
  { method: "GET", path: "/api/v1/privacy/requests/:id/export", access: "privacy.use" },
  { method: "POST", path: "/api/v1/privacy/requests/:id/erase", access: "privacy.use" },
  { method: "POST", path: "/api/v1/privacy/requests/:id/correct", access: "privacy.use" },
  // Chaining on after a break is an administrator's decision, not the one who reads the ledger.
  { method: "POST", path: "/api/v1/privacy/ledger/acknowledge", access: "ledger.acknowledge" },

  { method: "GET", path: "/api/v1/accounts", access: "accounts.manage" },
  { method: "POST", path: "/api/v1/accounts", access: "accounts.manage" },
  { method: "PATCH", path: "/api/v1/accounts/:id", access: "accounts.manage" },
  { method: "POST", path: "/api/v1/accounts/:id/reset", access: "accounts.manage" },

  { method: "GET", path: "/api/v1/tokens", access: "tokens.manage" },
  { method: "POST", path: "/api/v1/tokens", access: "tokens.manage" },
  { method: "DELETE", path: "/api/v1/tokens/:id", access: "tokens.manage" },
];

const compiled = accessRules.map((rule) => ({ rule, matches: match(rule.path, { decode: false }) }));

export function ruleFor(method: string, path: string): AccessRule | undefined {
  // HEAD is answered by the GET route.
  const wanted = method === "HEAD" ? "GET" : method;
  return compiled.find(({ rule, matches }) => rule.method === wanted && matches(path) !== false)?.rule;
}

/** Deny by default: only what a rule allows reaches a team route. */
export function authorize(request: Request, response: Response, next: NextFunction): void {
  const rule = ruleFor(request.method, request.baseUrl + request.path);
  if (!rule) throw new AppError("not-found", "There is nothing here.");
  if (rule.access !== "public") {
    const principal = principalOf(response);
    if (!principal) throw new AppError("unauthorized", "Please sign in (or send an API token).");
    if (rule.access !== "signed-in" && !allows(principal.roles, rule.access)) throw new AppError("forbidden", "Your role does not allow this.");
  }
  next();
}
