/** A flow's results (docs/results.md): a view of the newest rows, and the export addresses (CSV, JSON). */
import { FlowReportApi } from "./flow-report-api.ts";

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

export class ResultsApi extends FlowReportApi {
  view(flow: string, filter: ResultsFilter): Promise<ResultsView> {
    return this.http.call<ResultsView>("GET", `/admin/results/${encodeURIComponent(flow)}${query(filter)}`);
  }

  /** Where the browser downloads the whole export (the session cookie goes along; every export is audited). */
  exportUrl(flow: string, filter: ResultsFilter, format: "csv" | "json"): string {
    return `/api/v1/admin/results/${encodeURIComponent(flow)}${query(filter, format === "csv" ? { format: "csv" } : { all: "true" })}`;
  }
}
