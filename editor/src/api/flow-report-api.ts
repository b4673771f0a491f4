/** What the pages that report on a published flow (analytics, results) read besides their own figures. */
import type { PublishedVersion } from "./editor-api.ts";
import { Http } from "./http.ts";

export class FlowReportApi {
  protected readonly http: Http;

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

  /** The flow's publications with their YAML: version numbers, dates and step texts for the page. */
  async history(flow: string): Promise<PublishedVersion[]> {
    return (await this.http.call<{ versions: PublishedVersion[] }>("GET", `/admin/flows/${encodeURIComponent(flow)}/history`)).versions;
  }
}
