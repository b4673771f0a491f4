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

  /** Tells the agent that the visitor types; failures do not matter. */
  typing(id: string, token: string): void {
    void this.call("POST", `conversations/${encodeURIComponent(id)}/typing`, token).catch(() => undefined);
  }

  /**
   * Reads the live chat's event stream (Server-Sent Events over `fetch`: the token goes in the
   * header, no cookies) until it ends or `signal` aborts; resolves with the last event id seen.
   */
  async events(id: string, token: string, after: number, signal: AbortSignal, onEvent: (event: { id?: number; event: string; data: unknown }) => void): Promise<number> {
    let last = after;
    // `?after=` rather than a Last-Event-ID header: one header less for the cross-origin preflight.
    const response = await fetch(new URL(`conversations/${encodeURIComponent(id)}/events?after=${after}`, this.base), {
      headers: { authorization: `Bearer ${token}`, accept: "text/event-stream" },
      mode: "cors",
      credentials: "omit",
      cache: "no-store",
      referrerPolicy: "no-referrer",
      signal,
    });
    if (!response.ok || !response.body) throw new ApiError(response.status, response.statusText);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return last;
      buffer += decoder.decode(value, { stream: true });
      for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let eventId: number | undefined;
        let event = "message";
        let data: string | undefined;
        for (const line of block.split("\n")) {
          if (line.startsWith("id: ")) eventId = Number(line.slice(4));
          else if (line.startsWith("event: ")) event = line.slice(7);
          else if (line.startsWith("data: ")) data = line.slice(6);
        }
        if (data === undefined) continue;
        if (eventId !== undefined && Number.isSafeInteger(eventId)) {
          if (eventId <= last) continue;
          last = eventId;
        }
        try {
          onEvent({ ...(eventId === undefined ? {} : { id: eventId }), event, data: JSON.parse(data) });
        } catch {
          // A malformed event is skipped; the next one may be fine.
        }
      }
    }
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
