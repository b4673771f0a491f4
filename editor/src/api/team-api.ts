/** The operator side's calls: publish approvals, the audit trail, team accounts and API tokens. */
import type { Problem } from "../../../runtime/core/index.ts";
import { Http } from "./http.ts";
import type { TeamRole } from "./session-api.ts";

export interface PublishRequest {
  id: string;
  flow: string;
  version: string;
  requestedBy: string;
  requestedAt: string;
  status: "pending" | "approved" | "rejected" | "withdrawn";
  decidedBy?: string;
  decidedAt?: string;
  reason?: string;
}

export interface PrivacyTexts {
  policy: { de: string; en: string };
  record: { de: string; en: string };
}

export interface PublishReview {
  request: PublishRequest & { yaml: string };
  problems: Problem[];
  live?: { version: string; yaml: string; publishedAt: string; privacy: PrivacyTexts };
  proposed: { privacy: PrivacyTexts };
}

export interface AuditEntry {
  id: string;
  time: string;
  actor: string;
  action: string;
  target?: string;
  outcome: "ok" | "denied" | "failed";
  address?: string;
  details?: Record<string, string | number | boolean>;
}

export interface AuditFilter {
  from?: string;
  to?: string;
  actor?: string;
  action?: string;
}

export interface Account {
  id: string;
  email: string;
  roles: TeamRole[];
  status: "invited" | "active" | "disabled";
  singleSignOn: boolean;
}

export interface IssuedLink {
  url: string;
  expiresAt: string;
  mailed: boolean;
}

export interface ApiToken {
  id: string;
  name: string;
  roles: TeamRole[];
  createdAt: string;
  createdBy: string;
}

export function auditQuery(filter: AuditFilter, format?: "csv"): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value) params.set(key, value);
  if (format) params.set("format", format);
  const text = params.toString();
  return `/api/v1/audit${text ? `?${text}` : ""}`;
}

export class TeamApi {
  private readonly http: Http;

  constructor(csrfToken: string | undefined) {
    this.http = new Http(csrfToken);
  }

  approvals(): Promise<{ approvalRequired: boolean; requests: PublishRequest[] }> {
    return this.http.call("GET", "/approvals");
  }

  review(id: string, lang: string): Promise<PublishReview> {
    return this.http.call("GET", `/approvals/${encodeURIComponent(id)}?lang=${lang}`);
  }

  approve(id: string): Promise<{ version: string }> {
    return this.http.call("POST", `/approvals/${encodeURIComponent(id)}/approve`);
  }

  reject(id: string, reason: string): Promise<PublishRequest> {
    return this.http.json("POST", `/approvals/${encodeURIComponent(id)}/reject`, { reason });
  }

  withdraw(id: string): Promise<void> {
    return this.http.call("POST", `/approvals/${encodeURIComponent(id)}/withdraw`);
  }

  audit(filter: AuditFilter): Promise<AuditEntry[]> {
    return this.http.call("GET", auditQuery({ ...filter }).slice("/api/v1".length));
  }

  async accounts(): Promise<Account[]> {
    return (await this.http.call<{ accounts: Account[] }>("GET", "/accounts")).accounts;
  }

  async invite(email: string, roles: TeamRole[]): Promise<IssuedLink> {
    return (await this.http.json<{ invitation: IssuedLink }>("POST", "/accounts", { email, roles })).invitation;
  }

  updateAccount(id: string, change: { roles?: TeamRole[]; status?: "active" | "disabled" }): Promise<{ account: Account }> {
    return this.http.json("PATCH", `/accounts/${encodeURIComponent(id)}`, change);
  }

  async reset(id: string): Promise<IssuedLink> {
    return (await this.http.call<{ reset: IssuedLink }>("POST", `/accounts/${encodeURIComponent(id)}/reset`)).reset;
  }

  async tokens(): Promise<ApiToken[]> {
    return (await this.http.call<{ tokens: ApiToken[] }>("GET", "/tokens")).tokens;
  }

  createToken(name: string, roles: TeamRole[]): Promise<ApiToken & { token: string }> {
    return this.http.json("POST", "/tokens", { name, roles });
  }

  revokeToken(id: string): Promise<void> {
    return this.http.call("DELETE", `/tokens/${encodeURIComponent(id)}`);
  }
}
