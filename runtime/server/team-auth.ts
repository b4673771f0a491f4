/**
 * Who is calling a team route: an `Authorization: Bearer` API token, or the session cookie of a
 * signed-in person. A state-changing request that relies on the cookie must carry the session's
 * CSRF token in `X-CSRF-Token` (a page of another site can make the browser send the cookie, but
 * cannot read the token); token requests need none, since no browser adds them by itself. The
 * web chat API and the widget never see any of this: they stay cookie-free.
 */
import type { NextFunction, Request, Response } from "express";
import type { AccountService } from "../app/accounts/account-service.ts";
import type { Principal } from "../app/accounts/principal.ts";
import { AppError } from "../app/app-error.ts";
import type { AuditActor } from "../app/audit/audit-trail.ts";
import { bearerTokenOf } from "./bearer-token-of.ts";

export interface SessionCookie {
  name: string;
  /** Set behind TLS (a `https:` public URL); the name then carries the `__Host-` prefix. */
  secure: boolean;
}

export function sessionCookie(publicUrl: string | undefined): SessionCookie {
  const secure = publicUrl?.startsWith("https:") ?? false;
  return { name: secure ? "__Host-botschaft-session" : "botschaft-session", secure };
}

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

/** The value of one cookie of the request (no cookie parser needed for one name). */
export function cookieOf(request: Request, name: string): string | undefined {
  for (const part of (request.get("cookie") ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return undefined;
}

export function principalOf(response: Response): Principal | undefined {
  return response.locals.principal as Principal | undefined;
}

/** The signed-in caller; routes behind a rule other than `public` always have one. */
export function requirePrincipal(response: Response): Principal {
  const principal = principalOf(response);
  if (!principal) throw new AppError("unauthorized", "Please sign in (or send an API token).");
  return principal;
}

/** The client's address as Express sees it (the proxy's view when `trust proxy` is set). */
export function clientAddress(request: Request): string | undefined {
  return request.ip ?? request.socket.remoteAddress;
}

/** How the audit trail names the caller of this request. */
export function auditActor(request: Request, response: Response): AuditActor {
  const address = clientAddress(request);
  return { actor: principalOf(response)?.name ?? "anonymous", ...(address ? { address } : {}) };
}

export function authenticate(accounts: AccountService, cookie: SessionCookie) {
  return async (request: Request, response: Response, next: NextFunction): Promise<void> => {
    const token = bearerTokenOf(request);
    if (token !== undefined) {
      const principal = await accounts.principalForToken(token);
      if (!principal) throw new AppError("unauthorized", "The API token is unknown or revoked.");
      response.locals.principal = principal;
      return next();
    }
    const session = cookieOf(request, cookie.name);
    // Signing in needs no CSRF token (it checks Origin instead), whatever cookie the browser still has.
    const signingIn = request.method === "POST" && request.baseUrl + request.path === "/api/v1/session";
    if (session === undefined || signingIn) return next();
    const principal = await accounts.principalForSession(session);
    // An ended session is treated as none; the route's rule decides whether that is enough.
    if (!principal) return next();
    if (!safeMethods.has(request.method)) {
      const csrf = request.get("x-csrf-token");
      if (!csrf || !accounts.csrfTokenMatches(session, csrf)) throw new AppError("forbidden", "The CSRF token is missing or wrong; reload the page.");
    }
    response.locals.principal = principal;
    response.locals.session = session;
    next();
  };
}
