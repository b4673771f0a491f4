/**
 * CORS for the web chat API: the widget runs on the site owner's pages, another origin than the
 * runtime. Authorisation is a bearer token and the runtime sets no cookies, so credentials are
 * never allowed and `*` is a safe default; `BOTSCHAFT_WIDGET_ORIGINS` narrows it to a list.
 */
import type { RequestHandler } from "express";

/** `"*"` or exact origins such as `https://www.muster.example`. */
export type AllowedOrigins = "*" | readonly string[];

/** Browsers cache a preflight at most this long (Chromium caps it at two hours). */
const preflightMaxAgeSeconds = 7200;

export function webChatCors(allowed: AllowedOrigins): RequestHandler {
  return (request, response, next) => {
    const origin = request.get("origin");
    if (allowed !== "*") response.vary("Origin");
    const permitted = origin === undefined ? undefined : allowed === "*" ? "*" : allowed.includes(origin) ? origin : undefined;
    if (!permitted) {
      // No CORS headers: the browser refuses the response (and, for JSON requests, never sends them).
      next();
      return;
    }
    response.set("Access-Control-Allow-Origin", permitted);
    if (request.method !== "OPTIONS") {
      next();
      return;
    }
    response.set({
      "Access-Control-Allow-Methods": "GET, POST, DELETE",
      // last-event-id: a live chat's event stream resumes after it (docs/inbox.md#real-time).
      "Access-Control-Allow-Headers": "authorization, content-type, last-event-id",
      "Access-Control-Max-Age": String(preflightMaxAgeSeconds),
    });
    response.status(204).end();
  };
}
