/**
 * The editor's one way to call the runtime: same-origin requests with the session cookie (the
 * browser sends it; scripts never see it, it is HttpOnly) and, on every change, the session's
 * CSRF token. Errors come back as `ApiError` with the server's code, message and problems.
 */
import type { Problem } from "../../../runtime/core/index.ts";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly problems: Problem[] = [],
    /** Seconds to wait, when the server answered 429. */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

export interface CallOptions {
  body?: string;
  type?: string;
  headers?: Record<string, string>;
}

export class Http {
  constructor(private readonly csrfToken: string | undefined) {}

  async call<T>(method: string, path: string, init: CallOptions = {}): Promise<T> {
    const changes = method !== "GET" && method !== "HEAD";
    const response = await fetch(`/api/v1${path}`, {
      method,
      credentials: "same-origin",
      headers: {
        ...(changes && this.csrfToken ? { "x-csrf-token": this.csrfToken } : {}),
        ...(init.type ? { "content-type": init.type } : {}),
        ...init.headers,
      },
      ...(init.body === undefined ? {} : { body: init.body }),
    });
    if (response.status === 204) return undefined as T;
    const body = (await response.json().catch(() => ({}))) as { error?: { code: string; message: string; problems?: Problem[] } };
    if (!response.ok) {
      const wait = Number(response.headers.get("retry-after"));
      throw new ApiError(response.status, body.error?.code ?? "internal", body.error?.message ?? response.statusText, body.error?.problems ?? [], Number.isFinite(wait) && wait > 0 ? wait : undefined);
    }
    return body as T;
  }

  json<T>(method: string, path: string, value?: unknown): Promise<T> {
    return this.call(method, path, value === undefined ? {} : { body: JSON.stringify(value), type: "application/json" });
  }
}
