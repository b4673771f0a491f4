/** The team's calls about durable deliveries (docs/deliveries.md): failed ones and their retry, the signing secret. */
import { Http } from "./http.ts";

/** A delivery that finally failed: where, why, when — never what it carries. */
export interface FailedDelivery {
  id: string;
  kind: string;
  host: string;
  flow?: string;
  node?: string;
  createdAt: string;
  failedAt?: string;
  attempts: number;
  lastError?: string;
}

export interface DeliveryOverview {
  pending: number;
  failed: number;
  failedDeliveries: FailedDelivery[];
  /** Pending ones whose receiver refused or missed an attempt, oldest first (e.g. a notice to a processor that is down). */
  pendingDeliveries?: FailedDelivery[];
}

export class DeliveryApi {
  private readonly http: Http;

  constructor(csrfToken: string | undefined) {
    this.http = new Http(csrfToken);
  }

  overview(): Promise<DeliveryOverview> {
    return this.http.call("GET", "/admin/deliveries");
  }

  retry(id: string): Promise<void> {
    return this.http.call("POST", `/admin/deliveries/${encodeURIComponent(id)}/retry`);
  }

  async secret(): Promise<string> {
    return (await this.http.call<{ secret: string }>("GET", "/admin/delivery-secret")).secret;
  }
}
