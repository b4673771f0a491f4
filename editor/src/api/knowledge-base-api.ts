/**
 * The editor's calls for knowledge bases (`flows/<name>.faq.yaml`) and the review list of
 * unanswered questions (docs/faq.md#the-review-list).
 */
import { Http } from "./http.ts";

export interface KnowledgeBaseFile {
  id: string;
  hash: string;
}

export interface UnansweredQuestion {
  id: string;
  flow: string;
  knowledgeBase: string;
  question: string;
  candidates: { id: string; score: number }[];
  askedAt: string;
  status: "open" | "answered" | "added" | "dismissed";
  agentAnswer?: string;
}

export type Addition = { as: "entry"; entry: string; question: string; answer: string } | { as: "phrasing"; entry: string; question: string };

export class KnowledgeBaseApi {
  private readonly http: Http;

  constructor(csrfToken: string | undefined) {
    this.http = new Http(csrfToken);
  }

  async list(): Promise<KnowledgeBaseFile[]> {
    return (await this.http.call<{ knowledgeBases: KnowledgeBaseFile[] }>("GET", "/admin/knowledge-bases")).knowledgeBases;
  }

  open(id: string): Promise<KnowledgeBaseFile & { text: string }> {
    return this.http.call("GET", `/admin/knowledge-bases/${encodeURIComponent(id)}`);
  }

  /** Saves over the version with `hash`; `null` creates a new file. 409 when it changed meanwhile. */
  save(id: string, text: string, hash: string | null): Promise<{ hash: string }> {
    return this.http.call("PUT", `/admin/knowledge-bases/${encodeURIComponent(id)}`, {
      body: text,
      type: "text/yaml",
      headers: hash === null ? { "if-none-match": "*" } : { "if-match": hash },
    });
  }

  async unanswered(): Promise<UnansweredQuestion[]> {
    return (await this.http.call<{ questions: UnansweredQuestion[] }>("GET", "/admin/unanswered?status=open,answered")).questions;
  }

  add(question: string, addition: Addition): Promise<{ hash: string }> {
    return this.http.json("POST", `/admin/unanswered/${encodeURIComponent(question)}/add`, addition);
  }

  dismiss(question: string): Promise<void> {
    return this.http.call("POST", `/admin/unanswered/${encodeURIComponent(question)}/dismiss`);
  }
}
