/**
 * A flow's results (docs/results.md): what the bot collected, one row per conversation, with the
 * fields under their labels; filters by the day the conversation started and by its outcome; the
 * whole export as CSV or JSON. For admins and the DPO (`results.read`), and for editors where the
 * flow allows it (`privacy.editorsSeeResults`); every view and export is
 * in the audit trail, which the page says.
 */
import { useCallback, useEffect, useState } from "react";
import { fieldLabel } from "../../../runtime/core/index.ts";
import type { Outcome, ResultsApi, ResultsFilter, ResultsView } from "../api/results-api.ts";
import { ApiError } from "../api/http.ts";
import type { UiLanguage } from "../i18n/ui-language.ts";
import { parsedFlow, versionLabel, versionsInWords, type VersionInWords } from "../model/flow-versions.ts";

const words = {
  de: {
    title: "Ergebnisse",
    help: "Was der Bot gesammelt hat: je Gespräch eine Zeile, nur Angaben mit gültiger Einwilligung. Jede Ansicht und jeder Export steht im Prüfprotokoll.",
    flow: "Ablauf",
    from: "Gestartet ab",
    to: "bis",
    outcome: "Ergebnis",
    any: "alle",
    completed: "abgeschlossen",
    handover: "an Mitarbeitende übergeben",
    open: "offen",
    started: "Gestartet",
    channel: "Kanal",
    version: "Version",
    csv: "Als CSV exportieren",
    json: "Als JSON exportieren",
    empty: "Keine Gespräche für diese Auswahl.",
    shown: (shown: number) => `Die neuesten ${shown} Gespräche; der Export enthält alle.`,
    failed: (message: string) => `Das hat nicht geklappt: ${message}`,
    web: "Website",
    notShared: "Dieser Ablauf gibt seine Ergebnisse nicht für Redakteure frei. Admins oder die oder der Datenschutzbeauftragte können sie sehen; in den Einstellungen des Ablaufs lässt es sich erlauben.",
  },
  en: {
    title: "Results",
    help: "What the bot collected: one row per conversation, only details under a valid consent. Every view and export is in the audit trail.",
    flow: "Flow",
    from: "Started from",
    to: "to",
    outcome: "Outcome",
    any: "all",
    completed: "completed",
    handover: "handed to an agent",
    open: "open",
    started: "Started",
    channel: "Channel",
    version: "Version",
    csv: "Export as CSV",
    json: "Export as JSON",
    empty: "No conversations for this selection.",
    shown: (shown: number) => `The newest ${shown} conversations; the export holds them all.`,
    failed: (message: string) => `That did not work: ${message}`,
    web: "Website",
    notShared: "This flow does not share its results with editors. Administrators or the data protection officer can see them; the flow's settings can allow it.",
  },
} as const;

const outcomes: readonly Outcome[] = ["completed", "handover", "open"];

export function ResultsPage({ api, lang }: { api: ResultsApi; lang: UiLanguage }) {
  const w = words[lang];
  const [flows, setFlows] = useState<string[]>([]);
  const [flow, setFlow] = useState<string | undefined>();
  const [filter, setFilter] = useState<ResultsFilter>({});
  const [view, setView] = useState<ResultsView | undefined>();
  const [versions, setVersions] = useState<Map<string, VersionInWords>>(new Map());
  const [draft, setDraft] = useState<VersionInWords["flow"]>({});
  const [error, setError] = useState<string | undefined>();
  const fail = useCallback(
    (failure: unknown) => setError(failure instanceof ApiError && failure.code === "results-not-shared" ? w.notShared : w.failed(failure instanceof Error ? failure.message : String(failure))),
    [w],
  );
  useEffect(() => {
    api.flows().then((list) => {
      setFlows(list);
      setFlow((current) => current ?? list[0]);
    }, fail);
  }, [api, fail]);
  useEffect(() => {
    if (!flow) return;
    setError(undefined);
    setView(undefined);
    api.view(flow, filter).then(setView, fail);
  }, [api, flow, filter, fail]);
  useEffect(() => {
    if (!flow) return;
    api.history(flow).then((history) => setVersions(versionsInWords(history, lang)), fail);
    api.draft(flow).then((text) => setDraft(parsedFlow(text)), () => setDraft({}));
  }, [api, flow, lang, fail]);

  const newest = [...versions.values()].at(-1)?.flow ?? draft;
  // Labels in the flow's own language, like the answers in the rows.
  const label = (field: string) => fieldLabel({ fields: (newest.fields ?? {}) as never, language: newest.language === "en" ? "en" : "de" }, field);
  const when = (iso: string) => new Date(iso).toLocaleString(lang === "de" ? "de-DE" : "en-GB", { dateStyle: "short", timeStyle: "short" });
  const change = (changes: ResultsFilter) => setFilter((current) => Object.fromEntries(Object.entries({ ...current, ...changes }).filter(([, value]) => value)) as ResultsFilter);

  return (
    <section className="page" data-testid="results">
      <h1>{w.title}</h1>
      <p className="form-help">{w.help}</p>
      {error && <div className="notice error">{error}</div>}
      <div className="row results-filters">
        <label>
          {w.flow}{" "}
          <select data-testid="results-flow" value={flow ?? ""} onChange={(event) => setFlow(event.target.value)}>
            {flows.map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </select>
        </label>
        <label>
          {w.from} <input data-testid="results-from" type="date" value={filter.from ?? ""} onChange={(event) => change({ from: event.target.value })} />
        </label>
        <label>
          {w.to} <input data-testid="results-to" type="date" value={filter.to ?? ""} onChange={(event) => change({ to: event.target.value })} />
        </label>
        <label>
          {w.outcome}{" "}
          <select data-testid="results-outcome" value={filter.outcome ?? ""} onChange={(event) => change({ outcome: (event.target.value || undefined) as Outcome | undefined })}>
            <option value="">{w.any}</option>
            {outcomes.map((outcome) => (
              <option key={outcome} value={outcome}>
                {w[outcome]}
              </option>
            ))}
          </select>
        </label>
      </div>
      {flow && view && (
        <p className="row">
          <a className="button" data-testid="results-csv" href={api.exportUrl(flow, filter, "csv")} download>
            {w.csv}
          </a>
          <a className="button" data-testid="results-json" href={api.exportUrl(flow, filter, "json")} download={`botschaft-results-${flow}.json`}>
            {w.json}
          </a>
        </p>
      )}
      {view && view.rows.length === 0 && <p data-testid="results-empty">{w.empty}</p>}
      {view && view.rows.length > 0 && (
        <>
          <p className="form-help">{w.shown(view.rows.length)}</p>
          <div className="results-scroll">
            <table className="list" data-testid="results-table">
              <thead>
                <tr>
                  <th>{w.started}</th>
                  <th>{w.outcome}</th>
                  <th>{w.channel}</th>
                  <th>{w.version}</th>
                  {view.columns.map((column) => (
                    <th key={column} title={column}>
                      {label(column)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {view.rows.map((row, index) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: rows carry no id on purpose (no conversation ids leave the server)
                  <tr key={index}>
                    <td>{when(row.startedAt)}</td>
                    <td>{w[row.outcome]}</td>
                    <td>{row.channel === "web" ? w.web : row.channel}</td>
                    <td title={row.version}>{versionLabel(versions, row.version, lang)}</td>
                    {view.columns.map((column) => (
                      <td key={column}>{row.fields[column] === undefined ? "" : String(row.fields[column])}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
