/**
 * The widget's side of the web chat API (`runtime/server/openapi.yaml`). Requests go only to
 * the runtime the widget was loaded from, without cookies or referrer.
 */
import type { DataExport, OutgoingMessage } from "../../core/index.ts";

export interface MenuItem {
  id: string;
  label: string;
}

export interface Turn {
  id: string;
  messages: OutgoingMessage[];
  menu: MenuItem[];
  status: "reply" | "webhook" | "handover" | "ended" | "erased";
}

export type UserEvent = { text: string } | { choice: string } | { menu: string };

export class ApiError extends Error {
  constructor(
    /** HTTP status, or 0 when the runtime could not be reached. */
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export class ChatApi {
  constructor(private readonly base: URL) {}

  start(flow: string): Promise<Turn & { token: string }> {
    return this.call("POST", "conversations", undefined, { flow });
  }

  send(id: string, token: string, event: UserEvent): Promise<Turn> {
    return this.call("POST", `conversations/${encodeURIComponent(id)}/messages`, token, event);
  }

  data(id: string, token: string): Promise<DataExport> {
    return this.call("GET", `conversations/${encodeURIComponent(id)}/data`, token);
  }

  private async call<T>(method: string, path: string, token?: string, body?: object): Promise<T> {
    const headers: Record<string, string> = {};
    if (body) headers["content-type"] = "application/json";
    if (token) headers.authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await fetch(new URL(path, this.base), {
        method,
        headers,
        ...(body ? { body: JSON.stringify(body) } : {}),
        mode: "cors",
        credentials: "omit",
        cache: "no-store",
        referrerPolicy: "no-referrer",
      });
    } catch {
      throw new ApiError(0, "unreachable");
    }
    const json = (await response.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
    if (!response.ok) throw new ApiError(response.status, json?.error?.message ?? response.statusText);
    return json as T;
  }
}
