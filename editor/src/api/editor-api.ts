/**
 * The editor's calls to the runtime: the file API and publishing, with the admin token as
 * Bearer. The token lives only in memory (a reload asks again).
 */
import type { Problem } from "../../../runtime/core/index.ts";

export interface FileEntry {
  id: string;
  hash: string;
  published: string | null;
}

export interface OpenedFile extends FileEntry {
  text: string;
  /** The runtime's allow-listed webhook hosts, so the editor validates as publishing will. */
  webhookAllowHosts: string[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly problems: Problem[] = [],
  ) {
    super(message);
  }
}

export class EditorApi {
  constructor(private readonly token: string) {}

  private async call<T>(method: string, path: string, init: { body?: string; type?: string; headers?: Record<string, string> } = {}): Promise<T> {
    const response = await fetch(`/api/v1/admin${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(init.type ? { "content-type": init.type } : {}),
        ...init.headers,
      },
      ...(init.body === undefined ? {} : { body: init.body }),
    });
    if (response.status === 204) return undefined as T;
    const body = (await response.json().catch(() => ({}))) as { error?: { code: string; message: string; problems?: Problem[] } };
    if (!response.ok) throw new ApiError(response.status, body.error?.code ?? "internal", body.error?.message ?? response.statusText, body.error?.problems ?? []);
    return body as T;
  }

  async files(): Promise<FileEntry[]> {
    return (await this.call<{ files: FileEntry[] }>("GET", "/files")).files;
  }

  open(id: string): Promise<OpenedFile> {
    return this.call("GET", `/files/${encodeURIComponent(id)}`);
  }

  /** Saves over the version with `hash`; `null` creates a new file. 409 when it changed meanwhile. */
  save(id: string, text: string, hash: string | null): Promise<{ hash: string }> {
    return this.call("PUT", `/files/${encodeURIComponent(id)}`, {
      body: text,
      type: "text/yaml",
      headers: hash === null ? { "if-none-match": "*" } : { "if-match": hash },
    });
  }

  remove(id: string, hash: string): Promise<void> {
    return this.call("DELETE", `/files/${encodeURIComponent(id)}`, { headers: { "if-match": hash } });
  }

  rename(id: string, to: string, hash: string): Promise<{ id: string; hash: string }> {
    return this.call("POST", `/files/${encodeURIComponent(id)}/rename`, { body: JSON.stringify({ to }), type: "application/json", headers: { "if-match": hash } });
  }

  duplicate(id: string, to: string): Promise<{ id: string; hash: string }> {
    return this.call("POST", `/files/${encodeURIComponent(id)}/duplicate`, { body: JSON.stringify({ to }), type: "application/json" });
  }

  async examples(): Promise<{ id: string; title: string }[]> {
    return (await this.call<{ examples: { id: string; title: string }[] }>("GET", "/examples")).examples;
  }

  createFromExample(example: string, to: string): Promise<{ id: string; hash: string }> {
    return this.call("POST", `/examples/${encodeURIComponent(example)}/create`, { body: JSON.stringify({ to }), type: "application/json" });
  }

  publish(id: string, text: string, lang: string): Promise<{ flow: string; version: string; created: boolean; warnings: Problem[] }> {
    return this.call("PUT", `/flows/${encodeURIComponent(id)}?lang=${lang}`, { body: text, type: "text/yaml" });
  }
}
