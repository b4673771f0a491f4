/**
 * Team administration (admin only, see access-rules.ts): accounts — list, invite, change roles,
 * disable and enable, send a password reset — and API tokens for scripts — create (the token is
 * shown once), list, revoke. Invitation and reset links come back in the answer, so a server
 * without mail works; with SMTP configured they also go out by e-mail.
 */
import { Router } from "express";
import type { AccountService } from "../app/accounts/account-service.ts";
import { AppError } from "../app/app-error.ts";
import type { AccountRecord } from "../stores/ports/accounts.ts";
import type { ApiTokenRecord } from "../stores/ports/api-tokens.ts";
import { auditActor } from "./team-auth.ts";

/** What an administrator sees of an account: never the password hash. */
function publicAccount(account: AccountRecord) {
  return { id: account.id, email: account.email, roles: account.roles, status: account.status, singleSignOn: account.sso !== undefined, createdAt: account.createdAt, updatedAt: account.updatedAt };
}

function publicToken(token: ApiTokenRecord) {
  return { id: token.id, name: token.name, roles: token.roles, createdAt: token.createdAt, createdBy: token.createdBy };
}

function stringField(body: unknown, name: string): string {
  const value = typeof body === "object" && body !== null ? (body as Record<string, unknown>)[name] : undefined;
  if (typeof value !== "string") throw new AppError("bad-request", `Send \`${name}\` as a string.`);
  return value;
}

function rolesField(body: unknown): string[] {
  const value = typeof body === "object" && body !== null ? (body as Record<string, unknown>).roles : undefined;
  if (!Array.isArray(value) || !value.every((role) => typeof role === "string")) throw new AppError("bad-request", "Send `roles` as a list, e.g. [\"editor\"].");
  return value;
}

export function accountRoutes(accounts: AccountService): Router {
  const router = Router();

  const byId = async (id: string) => {
    const account = (await accounts.list()).find((candidate) => candidate.id === id);
    if (!account) throw new AppError("not-found", "There is no such account.");
    return account;
  };

  router.get("/accounts", async (_request, response) => {
    response.json({ accounts: (await accounts.list()).map(publicAccount) });
  });

  router.post("/accounts", async (request, response) => {
    const link = await accounts.invite(stringField(request.body, "email"), rolesField(request.body), auditActor(request, response));
    response.status(201).json({ invitation: link });
  });

  router.patch("/accounts/:id", async (request, response) => {
    let account = await byId(String(request.params.id));
    const body = request.body as { roles?: unknown; status?: unknown } | undefined;
    const by = auditActor(request, response);
    if (body?.roles !== undefined) account = await accounts.setRoles(account.email, rolesField(body), by);
    if (body?.status === "disabled") account = await accounts.disable(account.email, by);
    else if (body?.status === "active") account = await accounts.enable(account.email, by);
    else if (body?.status !== undefined) throw new AppError("bad-request", "`status` is `active` or `disabled`.");
    response.json({ account: publicAccount(account) });
  });

  router.post("/accounts/:id/reset", async (request, response) => {
    const account = await byId(String(request.params.id));
    response.json({ reset: await accounts.reset(account.email, auditActor(request, response)) });
  });

  router.get("/tokens", async (_request, response) => {
    response.json({ tokens: (await accounts.listTokens()).map(publicToken) });
  });

  router.post("/tokens", async (request, response) => {
    const { token, record } = await accounts.createToken(stringField(request.body, "name"), rolesField(request.body), auditActor(request, response));
    response.status(201).json({ token, ...publicToken(record) });
  });

  router.delete("/tokens/:id", async (request, response) => {
    await accounts.revokeToken(String(request.params.id), auditActor(request, response));
    response.status(204).end();
  });

  return router;
}
