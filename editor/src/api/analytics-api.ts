/** The analytics of the published flows (docs/analytics.md): counts per version, small ones as "<5". */
import { Http } from "./http.ts";

export type ShownCount = number | "<5";

export interface VersionReport {
  version: string;
  totals: Record<string, ShownCount>;
  days: { day: string; counts: Record<string, ShownCount> }[];
}

export class AnalyticsApi {
  private readonly http: Http;

  constructor(csrfToken: string | undefined) {
    this.http = new Http(csrfToken);
  }

  async flows(): Promise<string[]> {
    return (await this.http.call<{ flows: { flow: string }[] }>("GET", "/admin/flows")).flows.map((entry) => entry.flow);
  }

  async report(flow: string, from?: string, to?: string): Promise<VersionReport[]> {
    const query = new URLSearchParams({ ...(from ? { from } : {}), ...(to ? { to } : {}) }).toString();
    return (await this.http.call<{ versions: VersionReport[] }>("GET", `/admin/analytics/${encodeURIComponent(flow)}${query ? `?${query}` : ""}`)).versions;
  }
}
