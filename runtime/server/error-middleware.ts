import type { ErrorRequestHandler } from "express";
import type { Logger } from "pino";
import { StoreError } from "../stores/ports/store-error.ts";
import { AppError, type AppErrorCode } from "../app/app-error.ts";

const statusByCode: Record<AppErrorCode, number> = {
  "bad-request": 400,
  unauthorized: 401,
  forbidden: 403,
  "results-not-shared": 403,
  "not-found": 404,
  conflict: 409,
  gone: 410,
  "reply-window-closed": 409,
  "payload-too-large": 413,
  "rate-limited": 429,
  "flow-invalid": 422,
};

/** body-parser's own error types, so malformed and oversized bodies get clear answers. */
function fromBodyParser(error: unknown): AppError | undefined {
  const type = typeof error === "object" && error !== null && "type" in error ? String(error.type) : "";
  if (type === "entity.too.large") return new AppError("payload-too-large", "The request body is too large.");
  if (type === "entity.parse.failed") return new AppError("bad-request", "The request body is not valid JSON.");
  if (type.startsWith("encoding.") || type === "charset.unsupported") return new AppError("bad-request", "The request body's encoding is not supported.");
  return undefined;
}

/** The one place that picks HTTP status codes. Bugs answer 500 without details, and are logged. */
export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (error: unknown, request, response, _next) => {
    if (error instanceof StoreError && (error.code === "store-failed" || error.code === "store-closed")) {
      // The store refuses work until the process restarts and recovers from disk; nothing was lost.
      logger.error({ code: error.code }, "store unavailable");
      response.status(503).json({ error: { code: "unavailable", message: "The service is restarting; please try again in a moment." } });
      return;
    }
    const known = error instanceof AppError ? error : fromBodyParser(error);
    if (known) {
      response.status(statusByCode[known.code]).json({
        error: { code: known.code, message: known.message, ...(known.problems ? { problems: known.problems } : {}) },
      });
      return;
    }
    // Only the error's name, message and stack: never the request body, which may hold personal data.
    logger.error({ err: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error), path: request.path }, "request failed");
    response.status(500).json({ error: { code: "internal", message: "Something went wrong on our side." } });
  };
}
