/**
 * The privacy desk's calls for the data protection officer (docs/privacy.md#the-dpos-pages): the
 * proof ledger (a page, one person's entries, the export links, verification and an
 * administrator's acknowledgement), the requests desk and the generated paperwork.
 */
import { Http } from "./http.ts";

export interface LedgerEntry {
  seq: number;
  time: string;
  type: "consent" | "erasure" | "export" | "correction" | "request" | "acknowledgement";
  decision?: "given" | "declined" | "withdrawn";
  purpose?: string;
  flow?: string;
  flowVersion?: string;
  channel?: string;
  person?: string;
  textHash?: string;
  reason?: string;
  request?: string;
}

export interface LedgerStatus {
  head?: { seq: number; hash: string };
  checkpoint?: { seq: number; hash: string; at: string };
  halted?: { since: string; reason: string };
}

export interface VerifyResult {
  ok: boolean;
  entries: number;
  broken?: { seq: number; problem: "changed" | "removed" | "reordered" | "tail-removed" };
}

export interface FoundConversation {
  id: string;
  flow: string;
  channel: string;
  created: string;
  fields: string[];
  correctable: { field: string; label: string }[];
  person: string;
}

export interface PrivacyRequest {
  id: string;
  kind: "email" | "phone" | "messenger";
  createdAt: string;
  deadline: string;
  extension?: { reason: string; at: string };
  status: "open" | "done";
  outcomes: { outcome: string; at: string }[];
  conversations: FoundConversation[];
  reminder: boolean;
  duplicate?: boolean;
  reminded?: { week?: string; due?: string };
}

export type RequestSubject = { email: string } | { phone: string } | { messenger: { channel: string; id: string } };

export interface Paperwork {
  flow: string;
  version: string;
  lang: "de" | "en";
  policy: string;
  record: string;
  measures: string;
  deletion: string;
  agreements: string;
}

/** Where the ledger's export is downloaded from (a plain link: the browser sends the session cookie). */
export function ledgerExportUrl(format: "csv" | "json", person?: string): string {
  return `/api/v1/privacy/ledger?format=${format}${person ? `&person=${encodeURIComponent(person)}` : ""}`;
}

export function requestExportUrl(id: string): string {
  return `/api/v1/privacy/requests/${encodeURIComponent(id)}/export`;
}

export class PrivacyApi {
  private readonly http: Http;

  constructor(csrfToken: string | undefined) {
    this.http = new Http(csrfToken);
  }

  ledgerPage(fromSeq: number, limit: number, person?: string): Promise<LedgerEntry[]> {
    return this.http.call("GET", `/privacy/ledger?fromSeq=${fromSeq}&limit=${limit}${person ? `&person=${encodeURIComponent(person)}` : ""}`);
  }

  ledgerStatus(): Promise<LedgerStatus> {
    return this.http.call("GET", "/privacy/ledger/status");
  }

  verify(): Promise<VerifyResult> {
    return this.http.call("POST", "/privacy/ledger/verify");
  }

  acknowledge(): Promise<{ acknowledged: true; released: number }> {
    return this.http.call("POST", "/privacy/ledger/acknowledge");
  }

  requests(): Promise<PrivacyRequest[]> {
    return this.http.call("GET", "/privacy/requests");
  }

  request(id: string): Promise<PrivacyRequest> {
    return this.http.call("GET", `/privacy/requests/${encodeURIComponent(id)}`);
  }

  open(subject: RequestSubject): Promise<PrivacyRequest> {
    return this.http.json("POST", "/privacy/requests", subject);
  }

  extend(id: string, reason: string): Promise<PrivacyRequest> {
    return this.http.json("POST", `/privacy/requests/${encodeURIComponent(id)}/extend`, { reason });
  }

  erase(id: string): Promise<PrivacyRequest> {
    return this.http.call("POST", `/privacy/requests/${encodeURIComponent(id)}/erase`);
  }

  correct(id: string, conversation: string, field: string, value: string): Promise<PrivacyRequest> {
    return this.http.json("POST", `/privacy/requests/${encodeURIComponent(id)}/correct`, { conversation, field, value });
  }

  paperwork(flow: string, lang: "de" | "en"): Promise<Paperwork> {
    return this.http.call("GET", `/privacy/paperwork/${encodeURIComponent(flow)}?lang=${lang}`);
  }
}
