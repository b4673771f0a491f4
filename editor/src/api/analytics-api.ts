/** The analytics of the published flows (docs/analytics.md): counts per version, small ones as "<5". */
import type { PublishedVersion } from "./editor-api.ts";
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

  /** The flow's publications with their YAML: version numbers, dates and step texts for the page. */
  /** The flow's file as the team edits it: step texts and field labels when a version has no history. */
  async draft(flow: string): Promise<string> {
    return (await this.http.call<{ text: string }>("GET", `/admin/files/${encodeURIComponent(flow)}`)).text;
  }

  async history(flow: string): Promise<PublishedVersion[]> {
    return (await this.http.call<{ versions: PublishedVersion[] }>("GET", `/admin/flows/${encodeURIComponent(flow)}/history`)).versions;
  }

  async report(flow: string, from?: string, to?: string): Promise<VersionReport[]> {
    const query = new URLSearchParams({ ...(from ? { from } : {}), ...(to ? { to } : {}) }).toString();
    return (await this.http.call<{ versions: VersionReport[] }>("GET", `/admin/analytics/${encodeURIComponent(flow)}${query ? `?${query}` : ""}`)).versions;
  }
}
