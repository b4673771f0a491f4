/**
 * A flow's analytics (docs/analytics.md), its versions side by side: started, completed and the
 * share that completed, handovers, consents per purpose, retries, and every step with how many
 * entered it — counts only, small ones as "<5". For everyone who may read the flows.
 */
import { useCallback, useEffect, useState } from "react";
import type { AnalyticsApi, ShownCount, VersionReport } from "../api/analytics-api.ts";
import { t } from "../i18n/messages.ts";
import type { UiLanguage } from "../i18n/ui-language.ts";

/** A counter key in words: `step:ask-name` → "Step ask-name entered", … */
export function keyInWords(lang: UiLanguage, key: string): string {
  const [kind = "", ...rest] = key.split(":");
  const value = rest.join(":");
  switch (kind) {
    case "started":
      return t(lang, "statStarted");
    case "completed":
      return t(lang, "statCompleted");
    case "handover":
      return t(lang, "statHandover");
    case "step":
      return t(lang, "statStep", { step: value });
    case "branch": {
      const [from = "", to = ""] = value.split(">");
      return t(lang, "statBranch", { from, to });
    }
    case "retry":
      return t(lang, "statRetry", { step: value });
    case "consent": {
      const [decision = "", ...purpose] = rest;
      const label = decision === "accept" ? "statConsentGiven" : decision === "decline" ? "statConsentDeclined" : "statConsentWithdrawn";
      return t(lang, label, { purpose: purpose.join(":") });
    }
    default:
      return key;
  }
}

/** Order of the rows: the summary first, then consents, steps, branches and retries, each alphabetically. */
function rank(key: string): number {
  return ["started", "completed", "handover"].includes(key) ? 0 : key.startsWith("consent:") ? 1 : key.startsWith("step:") ? 2 : key.startsWith("branch:") ? 3 : 4;
}

function share(part: ShownCount | undefined, whole: ShownCount | undefined): string {
  if (typeof part !== "number" || typeof whole !== "number" || whole === 0) return "–";
  return `${Math.round((part / whole) * 100)} %`;
}

export function AnalyticsPage({ api, lang }: { api: AnalyticsApi; lang: UiLanguage }) {
  const [flows, setFlows] = useState<string[]>([]);
  const [flow, setFlow] = useState<string | undefined>();
  const [versions, setVersions] = useState<VersionReport[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const fail = useCallback((failure: unknown) => setError(t(lang, "actionFailed", { message: failure instanceof Error ? failure.message : String(failure) })), [lang]);
  useEffect(() => {
    api.flows().then((list) => {
      setFlows(list);
      setFlow((current) => current ?? list[0]);
    }, fail);
  }, [api, fail]);
  useEffect(() => {
    if (flow) api.report(flow).then(setVersions, fail);
  }, [api, flow, fail]);
  const keys = [...new Set((versions ?? []).flatMap((version) => Object.keys(version.totals)))].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));

  return (
    <section className="page" data-testid="analytics">
      <h1>{t(lang, "navAnalytics")}</h1>
      <p className="form-help">{t(lang, "analyticsHelp")}</p>
      {error && <div className="notice error">{error}</div>}
      <label>
        {t(lang, "analyticsFlow")}{" "}
        <select data-testid="analytics-flow" value={flow ?? ""} onChange={(event) => setFlow(event.target.value)}>
          {flows.map((id) => (
            <option key={id} value={id}>
              {id}
            </option>
          ))}
        </select>
      </label>
      {versions && versions.length === 0 && <p>{t(lang, "analyticsEmpty")}</p>}
      {versions && versions.length > 0 && (
        <table className="list" data-testid="analytics-table">
          <thead>
            <tr>
              <th />
              {versions.map((version, index) => (
                <th key={version.version} title={version.version}>
                  {index === 0 ? t(lang, "analyticsCurrent") : t(lang, "analyticsEarlier", { n: index })} · {version.version.slice(0, 15)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr className="stat-summary">
              <td>{t(lang, "statCompletionRate")}</td>
              {versions.map((version) => (
                <td key={version.version}>{share(version.totals.completed, version.totals.started)}</td>
              ))}
            </tr>
            {keys.map((key) => (
              <tr key={key}>
                <td>{keyInWords(lang, key)}</td>
                {versions.map((version) => (
                  <td key={version.version}>{version.totals[key] ?? 0}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
