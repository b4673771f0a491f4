/**
 * Signing in and out: `POST /api/v1/session` with `{ email, password }` sets the session cookie
 * (HttpOnly, SameSite=Strict, Secure behind TLS) and answers 204; a wrong password and an
 * unknown address get the same 401. `GET` tells who is signed in, with the CSRF token the editor
 * sends on every change; `DELETE` ends the session on the server.
 */
import { type Request, type Response, Router } from "express";
import { type AccountService, ThrottledError } from "../app/accounts/account-service.ts";
import { permissionsOf } from "../core/index.ts";
import { AppError } from "../app/app-error.ts";
import { auditActor, clientAddress, requirePrincipal, type SessionCookie } from "./team-auth.ts";

export interface SessionRouteOptions {
  cookie: SessionCookie;
  /** The public URL's origin, accepted as `Origin` besides the request's own. */
  publicUrl?: string;
  /** Whether publishing needs a DPO's approval, for the editor to say so. */
  approvalRequired: boolean;
  /** Whether single sign-on is configured (the sign-in page then offers it). */
  singleSignOn: boolean;
}

function ownOrigins(request: Request, publicUrl: string | undefined): string[] {
  const origins = [`${request.protocol}://${request.get("host") ?? ""}`];
  if (publicUrl) origins.push(new URL(publicUrl).origin);
  return origins;
}

/** A browser always sends `Origin` on a cross-site POST: refuse any but our own, so no other site can sign someone in. */
export function checkOrigin(request: Request, publicUrl: string | undefined): void {
  const origin = request.get("origin");
  if (origin !== undefined && !ownOrigins(request, publicUrl).includes(origin)) throw new AppError("forbidden", "Sign-in is only possible from this site.");
}

export function setSessionCookie(response: Response, cookie: SessionCookie, value: string, maxAgeSeconds: number): void {
  const attributes = [`${cookie.name}=${value}`, "Path=/", "HttpOnly", "SameSite=Strict", `Max-Age=${maxAgeSeconds}`, ...(cookie.secure ? ["Secure"] : [])];
  response.append("set-cookie", attributes.join("; "));
}

function clearSessionCookie(response: Response, cookie: SessionCookie): void {
  setSessionCookie(response, cookie, "", 0);
}

function field(body: unknown, name: string): string {
  const value = typeof body === "object" && body !== null ? (body as Record<string, unknown>)[name] : undefined;
  if (typeof value !== "string" || value.length > 1000) throw new AppError("bad-request", `Send \`${name}\` as a string.`);
  return value;
}

export function sessionRoutes(accounts: AccountService, options: SessionRouteOptions): Router {
  const router = Router();

  router.post("/session", async (request, response) => {
    checkOrigin(request, options.publicUrl);
    try {
      const session = await accounts.signIn(field(request.body, "email"), field(request.body, "password"), clientAddress(request));
      setSessionCookie(response, options.cookie, session.cookie, Math.floor(accounts.policy.sessionMaxMs / 1000));
      response.status(204).end();
    } catch (error) {
      if (error instanceof ThrottledError) response.set("retry-after", String(error.retryAfterSeconds));
      throw error;
    }
  });

  router.get("/session/options", (_request, response) => {
    response.json({ singleSignOn: options.singleSignOn });
  });

  router.get("/session", (_request, response) => {
    const principal = requirePrincipal(response);
    const session = response.locals.session as string | undefined;
    response.set("cache-control", "no-store");
    response.json({
      email: principal.kind === "account" ? principal.name : undefined,
      name: principal.name,
      kind: principal.kind,
      roles: principal.roles,
      permissions: permissionsOf(principal.roles),
      ...(session ? { csrfToken: accounts.csrfToken(session) } : {}),
      approvalRequired: options.approvalRequired,
      singleSignOn: options.singleSignOn,
    });
  });

  router.delete("/session", async (request, response) => {
    const session = response.locals.session as string | undefined;
    if (session) await accounts.signOut(session, auditActor(request, response));
    clearSessionCookie(response, options.cookie);
    response.status(204).end();
  });

  return router;
}
