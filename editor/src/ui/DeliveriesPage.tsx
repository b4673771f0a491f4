/**
 * Durable deliveries for editors and the DPO (docs/deliveries.md#when-a-delivery-fails): how
 * many wait, the ones being tried again (such as a notice to a processor that is down), the ones that finally failed — recipient, flow and step, when, how often tried and
 * why, in words — each with a button to send it again; for admins, the signing secret.
 */
import { useCallback, useEffect, useState } from "react";
import type { DeliveryApi, DeliveryOverview, FailedDelivery } from "../api/delivery-api.ts";
import { type MessageKey, t } from "../i18n/messages.ts";
import type { UiLanguage } from "../i18n/ui-language.ts";

const reasons: Record<string, MessageKey> = {
  timeout: "reasonTimeout",
  network: "reasonNetwork",
  "blocked-address": "reasonBlocked",
  "not-https": "reasonNotHttps",
  "too-many-redirects": "reasonRedirects",
  internal: "reasonInternal",
};

/** `http-status 503` → "answered with error 503"; a code this page does not know stays as it is. */
export function reasonInWords(lang: UiLanguage, error: string | undefined): string {
  if (!error) return "";
  const [code = "", status] = error.split(" ");
  if (code === "http-status" && status) return t(lang, "reasonStatus", { status });
  const key = reasons[code];
  return key ? t(lang, key) : error;
}

function kindInWords(lang: UiLanguage, kind: string): string {
  return kind === "webhook" ? t(lang, "deliveryKindWebhook") : kind === "notice" || kind === "recipient-notice" ? t(lang, "deliveryKindNotice") : kind;
}

export function DeliveriesPage({ api, lang, canSeeSecret }: { api: DeliveryApi; lang: UiLanguage; canSeeSecret: boolean }) {
  const [overview, setOverview] = useState<DeliveryOverview | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [secret, setSecret] = useState<string | undefined>();
  const fail = useCallback((failure: unknown) => setError(t(lang, "actionFailed", { message: failure instanceof Error ? failure.message : String(failure) })), [lang]);
  const load = useCallback(() => {
    api.overview().then(setOverview, fail);
  }, [api, fail]);
  useEffect(load, [load]);
  const time = (iso: string | undefined) => (iso ? new Date(iso).toLocaleString(lang === "de" ? "de-DE" : "en-GB") : "");

  const source = (delivery: FailedDelivery) =>
    `${kindInWords(lang, delivery.kind)}${delivery.flow ? ` · ${delivery.flow}${delivery.node ? ` › ${delivery.node}` : ""}` : ""}`;
  const retrying = overview?.pendingDeliveries ?? [];

  const retry = (delivery: FailedDelivery) => {
    api.retry(delivery.id).then(() => {
      setNotice(t(lang, "deliveryRetried"));
      setError(undefined);
      load();
    }, fail);
  };

  return (
    <section className="page" data-testid="deliveries">
      <h1>{t(lang, "deliveriesTitle")}</h1>
      <p className="form-help">{t(lang, "deliveriesHelp")}</p>
      {notice && <div className="notice ok">{notice}</div>}
      {error && <div className="notice error">{error}</div>}
      {overview && <p data-testid="deliveries-pending">{t(lang, "deliveriesPending", { count: overview.pending })}</p>}
      {retrying.length > 0 && (
        <>
          <h2>{t(lang, "deliveriesRetryingTitle")}</h2>
          <p className="form-help">{t(lang, "deliveriesRetryingHelp")}</p>
          <table className="list" data-testid="retrying-deliveries">
            <thead>
              <tr>
                <th>{t(lang, "colRecipient")}</th>
                <th>{t(lang, "colSource")}</th>
                <th>{t(lang, "colSince")}</th>
                <th>{t(lang, "colAttempts")}</th>
                <th>{t(lang, "colLastReason")}</th>
              </tr>
            </thead>
            <tbody>
              {retrying.map((delivery) => (
                <tr key={delivery.id}>
                  <td>{delivery.host}</td>
                  <td>{source(delivery)}</td>
                  <td>{time(delivery.createdAt)}</td>
                  <td>{delivery.attempts}</td>
                  <td>{reasonInWords(lang, delivery.lastError)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>{t(lang, "deliveriesFailedTitle")}</h2>
        </>
      )}
      {overview && overview.failedDeliveries.length === 0 && <p>{t(lang, "deliveriesNoneFailed")}</p>}
      {overview && overview.failedDeliveries.length > 0 && (
        <table className="list" data-testid="failed-deliveries">
          <thead>
            <tr>
              <th>{t(lang, "colRecipient")}</th>
              <th>{t(lang, "colSource")}</th>
              <th>{t(lang, "colFailedAt")}</th>
              <th>{t(lang, "colAttempts")}</th>
              <th>{t(lang, "colReason")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {overview.failedDeliveries.map((delivery) => (
              <tr key={delivery.id}>
                <td>{delivery.host}</td>
                <td>{source(delivery)}</td>
                <td>{time(delivery.failedAt)}</td>
                <td>{delivery.attempts}</td>
                <td>{reasonInWords(lang, delivery.lastError)}</td>
                <td>
                  <button type="button" className="small" data-testid="retry-delivery" onClick={() => retry(delivery)}>
                    {t(lang, "deliveryRetry")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canSeeSecret && (
        <>
          <h2>{t(lang, "deliverySecretTitle")}</h2>
          <p className="form-help">{t(lang, "deliverySecretHelp")}</p>
          {secret ? (
            <div className="notice ok link-box" data-testid="delivery-secret">
              <code>{secret}</code>
            </div>
          ) : (
            <button type="button" className="small" data-testid="show-delivery-secret" onClick={() => api.secret().then(setSecret, fail)}>
              {t(lang, "deliverySecretShow")}
            </button>
          )}
        </>
      )}
    </section>
  );
}
