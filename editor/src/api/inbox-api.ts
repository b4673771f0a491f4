/** The editor's calls for the live-chat inbox (docs/inbox.md#the-inbox). */
import { Http } from "./http.ts";

export type LiveChatState = "waiting" | "claimed" | "ended";

export interface InboxEntry {
  id: string;
  flow: string;
  channel: string;
  state: LiveChatState;
  node: string;
  text: string;
  waitingSince: string;
  unattended: boolean;
  timedOut: boolean;
  claimedBy?: string;
  claimedByName?: string;
  mine: boolean;
}

/** A message object as in the chat API; the inbox shows texts, choices (with their options) and status changes. */
export interface ChatMessage {
  type: string;
  text?: string;
  status?: string;
  options?: { label: string; value: string }[];
}

export interface InboxMessage {
  seq: number;
  from: "visitor" | "agent" | "bot";
  at: string;
  message: ChatMessage;
}

export interface InboxView extends InboxEntry {
  ended?: "released" | "closed" | "withdrawn" | "erased";
  shares: Record<string, string | number | boolean>;
  /** The conversation before the handover, when the step shows it (`history: true`); only in the full view. */
  history?: { from: "visitor" | "bot"; at: string; message: InboxMessage["message"] }[];
  /** Each shared field's label in the flow's language. */
  labels?: Record<string, string>;
  messages: InboxMessage[];
  replyWindowEnd?: string;
}

export interface CannedAnswer {
  title: string;
  text: string;
}

export class InboxApi {
  private readonly http: Http;

  constructor(csrfToken: string | undefined) {
    this.http = new Http(csrfToken);
  }

  /** The queue, and the server's time (waiting times count by it). */
  list(): Promise<{ conversations: InboxEntry[]; now: string }> {
    return this.http.call("GET", "/inbox");
  }

  /** Opening is audited; `after` reads what came since without a new audit entry. */
  view(id: string, after?: number): Promise<InboxView> {
    return this.http.call("GET", `/inbox/${encodeURIComponent(id)}${after === undefined ? "" : `?after=${after}`}`);
  }

  claim(id: string): Promise<InboxEntry> {
    return this.http.json("POST", `/inbox/${encodeURIComponent(id)}/claim`);
  }

  reply(id: string, text: string): Promise<InboxMessage> {
    return this.http.json("POST", `/inbox/${encodeURIComponent(id)}/messages`, { text });
  }

  typing(id: string): Promise<void> {
    return this.http.json("POST", `/inbox/${encodeURIComponent(id)}/typing`);
  }

  release(id: string): Promise<void> {
    return this.http.json("POST", `/inbox/${encodeURIComponent(id)}/release`);
  }

  close(id: string): Promise<void> {
    return this.http.json("POST", `/inbox/${encodeURIComponent(id)}/close`);
  }

  async canned(flow: string): Promise<CannedAnswer[]> {
    return (await this.http.call<{ answers: CannedAnswer[] }>("GET", `/inbox/canned/${encodeURIComponent(flow)}`)).answers;
  }

  /** Editors: the canned answers of a flow, and saving them. */
  async cannedForEditing(flow: string): Promise<CannedAnswer[]> {
    return (await this.http.call<{ answers: CannedAnswer[] }>("GET", `/admin/canned-answers/${encodeURIComponent(flow)}`)).answers;
  }

  async saveCanned(flow: string, answers: CannedAnswer[]): Promise<CannedAnswer[]> {
    return (await this.http.json<{ answers: CannedAnswer[] }>("PUT", `/admin/canned-answers/${encodeURIComponent(flow)}`, { answers })).answers;
  }

  /** The nudges of `GET /inbox/events`; the browser reconnects by itself. */
  events(onEvent: (kind: string, data: { conversation: string; from?: string }) => void): () => void {
    const source = new EventSource("/api/v1/inbox/events");
    for (const kind of ["queue", "message", "typing"]) {
      source.addEventListener(kind, (event) => {
        try {
          onEvent(kind, JSON.parse((event as MessageEvent<string>).data) as { conversation: string; from?: string });
        } catch {
          // A malformed nudge is ignored; the next one reloads anyway.
        }
      });
    }
    return () => source.close();
  }
}
