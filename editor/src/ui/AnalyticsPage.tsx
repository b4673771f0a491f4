/**
 * A flow's analytics (docs/analytics.md), its versions side by side: started, completed and the
 * share that completed, handovers, consents per purpose, retries, and every step with how many
 * entered it — counts only, small ones as "<5". For everyone who may read the flows.
 */
import { useCallback, useEffect, useState } from "react";
import type { AnalyticsApi, ShownCount, VersionReport } from "../api/analytics-api.ts";
import { t } from "../i18n/messages.ts";
import type { UiLanguage } from "../i18n/ui-language.ts";
import { parsedFlow, versionLabel, versionsInWords, type VersionInWords } from "../model/flow-versions.ts";
import { stepName } from "../model/problem-places.ts";

/**
 * A counter key in words: `step:ask-name` → "Reached: Question “What is your name?”", … Steps
 * are named by what they say (`name` finds a step in the versions shown; its id otherwise).
 */
export function keyInWords(lang: UiLanguage, key: string, name: (step: string) => string = (step) => step): string {
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
      return t(lang, "statStep", { step: name(value) });
    case "branch": {
      const [from = "", to = ""] = value.split(">");
      return t(lang, "statBranch", { from: name(from), to: name(to) });
    }
    case "retry":
      return t(lang, "statRetry", { step: name(value) });
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
  const [published, setPublished] = useState<Map<string, VersionInWords>>(new Map());
  const [draft, setDraft] = useState<VersionInWords["flow"]>({});
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
  useEffect(() => {
    if (!flow) return;
    api.history(flow).then((history) => setPublished(versionsInWords(history, lang)), fail);
    // The draft names steps of a version published without the team's publish step (at start-up); not there for a flow outside the flows folder.
    api.draft(flow).then((text) => setDraft(parsedFlow(text)), () => setDraft({}));
  }, [api, flow, lang, fail]);
  /** A step by what it says, in the newest version that has it. */
  const name = (step: string) => {
    for (const version of versions ?? []) {
      const node = published.get(version.version)?.flow.nodes?.[step];
      if (node !== undefined) return stepName(step, node, lang);
    }
    const node = draft.nodes?.[step];
    return node === undefined ? step : stepName(step, node, lang);
  };
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
                  {versionLabel(published, version.version, lang)}
                  <br />
                  <span className="form-help">{index === 0 ? t(lang, "analyticsCurrent") : t(lang, "analyticsEarlier", { n: index })}</span>
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
                <td>{keyInWords(lang, key, name)}</td>
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
