/** The analytics of the published flows (docs/analytics.md): counts per version, small ones as "<5". */
import { FlowReportApi } from "./flow-report-api.ts";

export type ShownCount = number | "<5";

export interface VersionReport {
  version: string;
  totals: Record<string, ShownCount>;
  days: { day: string; counts: Record<string, ShownCount> }[];
}

export class AnalyticsApi extends FlowReportApi {
  async report(flow: string, from?: string, to?: string): Promise<VersionReport[]> {
    const query = new URLSearchParams({ ...(from ? { from } : {}), ...(to ? { to } : {}) }).toString();
    return (await this.http.call<{ versions: VersionReport[] }>("GET", `/admin/analytics/${encodeURIComponent(flow)}${query ? `?${query}` : ""}`)).versions;
  }
}
