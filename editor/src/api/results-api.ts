/** A flow's results (docs/results.md): a view of the newest rows, and the export addresses (CSV, JSON). */
import type { PublishedVersion } from "./editor-api.ts";
import { Http } from "./http.ts";

export type Outcome = "completed" | "handover" | "open";

export interface ResultRow {
  startedAt: string;
  lastActivityAt: string;
  outcome: Outcome;
  channel: string;
  version: string;
  fields: Record<string, string | number | boolean>;
}

export interface ResultsView {
  flow: string;
  columns: string[];
  rows: ResultRow[];
}

export interface ResultsFilter {
  from?: string;
  to?: string;
  outcome?: Outcome;
}

function query(filter: ResultsFilter, extra: Record<string, string> = {}): string {
  const entries = Object.entries({ ...filter, ...extra }).filter(([, value]) => value !== undefined && value !== "") as [string, string][];
  const text = new URLSearchParams(entries).toString();
  return text ? `?${text}` : "";
}

export class ResultsApi {
  private readonly http: Http;

  constructor(csrfToken: string | undefined) {
    this.http = new Http(csrfToken);
  }

  async flows(): Promise<string[]> {
    return (await this.http.call<{ flows: { flow: string }[] }>("GET", "/admin/flows")).flows.map((entry) => entry.flow);
  }

  /** The flow's file as the team edits it: step texts and field labels when a version has no history. */
  async draft(flow: string): Promise<string> {
    return (await this.http.call<{ text: string }>("GET", `/admin/files/${encodeURIComponent(flow)}`)).text;
  }

  async history(flow: string): Promise<PublishedVersion[]> {
    return (await this.http.call<{ versions: PublishedVersion[] }>("GET", `/admin/flows/${encodeURIComponent(flow)}/history`)).versions;
  }

  view(flow: string, filter: ResultsFilter): Promise<ResultsView> {
    return this.http.call<ResultsView>("GET", `/admin/results/${encodeURIComponent(flow)}${query(filter)}`);
  }

  /** Where the browser downloads the whole export (the session cookie goes along; every export is audited). */
  exportUrl(flow: string, filter: ResultsFilter, format: "csv" | "json"): string {
    return `/api/v1/admin/results/${encodeURIComponent(flow)}${query(filter, format === "csv" ? { format: "csv" } : { all: "true" })}`;
  }
}
