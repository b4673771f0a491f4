/**
 * The editor's calls for flows: the file API over `flows/`, the examples, and publishing (which,
 * with four-eyes publishing on, submits a request instead). Signed in with the session cookie;
 * changes carry the session's CSRF token.
 */
import type { Problem } from "../../../runtime/core/index.ts";
import { Http } from "./http.ts";

export { ApiError } from "./http.ts";

export interface FileEntry {
  id: string;
  hash: string;
  published: string | null;
  /** The flow's title, when it has one. */
  title?: string;
}

export interface OpenedFile extends FileEntry {
  text: string;
  /** The runtime's allow-listed webhook hosts, so the editor validates as publishing will. */
  webhookAllowHosts: string[];
  /** What the integration presets' form offers: the mail provider, the names of the API keys set. */
  integrations?: EditorIntegrations;
}

export interface EditorIntegrations {
  mailProvider?: { name: string; country: string };
  secrets: string[];
}

/** An example flow for the templates gallery. */
export interface ExampleFlow {
  id: string;
  title: string;
  description?: string;
  language?: string;
  /** Its steps' types in file order (the preview picture). */
  steps: string[];
}

/** One publication of a flow (GET /admin/flows/:id/history). */
export interface PublishedVersion {
  version: string;
  at: string;
  by: string;
  requestedBy?: string;
  yaml: string;
  live: boolean;
}

export type PublishAnswer = { kind: "published"; version: string; warnings: Problem[] } | { kind: "requested"; requestId: string; warnings: Problem[] };

export class EditorApi {
  private readonly http: Http;

  constructor(csrfToken: string | undefined) {
    this.http = new Http(csrfToken);
  }

  async files(): Promise<FileEntry[]> {
    return (await this.http.call<{ files: FileEntry[] }>("GET", "/admin/files")).files;
  }

  open(id: string): Promise<OpenedFile> {
    return this.http.call("GET", `/admin/files/${encodeURIComponent(id)}`);
  }

  /** Saves over the version with `hash`; `null` creates a new file. 409 when it changed meanwhile. */
  save(id: string, text: string, hash: string | null): Promise<{ hash: string }> {
    return this.http.call("PUT", `/admin/files/${encodeURIComponent(id)}`, {
      body: text,
      type: "text/yaml",
      headers: hash === null ? { "if-none-match": "*" } : { "if-match": hash },
    });
  }

  remove(id: string, hash: string): Promise<void> {
    return this.http.call("DELETE", `/admin/files/${encodeURIComponent(id)}`, { headers: { "if-match": hash } });
  }

  rename(id: string, to: string, hash: string): Promise<{ id: string; hash: string }> {
    return this.http.call("POST", `/admin/files/${encodeURIComponent(id)}/rename`, { body: JSON.stringify({ to }), type: "application/json", headers: { "if-match": hash } });
  }

  duplicate(id: string, to: string): Promise<{ id: string; hash: string }> {
    return this.http.json("POST", `/admin/files/${encodeURIComponent(id)}/duplicate`, { to });
  }

  /** A knowledge base's saved text, for the preview of flows whose `faq` steps use it; undefined when there is none. */
  async knowledgeBase(name: string): Promise<string | undefined> {
    return (await this.http.call<{ text: string }>("GET", `/admin/knowledge-bases/${encodeURIComponent(name)}`)).text;
  }

  async examples(): Promise<ExampleFlow[]> {
    return (await this.http.call<{ examples: ExampleFlow[] }>("GET", "/admin/examples")).examples;
  }

  createFromExample(example: string, to: string): Promise<{ id: string; hash: string }> {
    return this.http.json("POST", `/admin/examples/${encodeURIComponent(example)}/create`, { to });
  }

  async history(id: string): Promise<PublishedVersion[]> {
    return (await this.http.call<{ versions: PublishedVersion[] }>("GET", `/admin/flows/${encodeURIComponent(id)}/history`)).versions;
  }

  async publish(id: string, text: string, lang: string): Promise<PublishAnswer> {
    const answer = await this.http.call<{ version?: string; warnings: Problem[]; request?: { id: string } }>("PUT", `/admin/flows/${encodeURIComponent(id)}?lang=${lang}`, { body: text, type: "text/yaml" });
    if (answer.request) return { kind: "requested", requestId: answer.request.id, warnings: answer.warnings };
    return { kind: "published", version: answer.version ?? "", warnings: answer.warnings };
  }
}
