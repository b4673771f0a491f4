/**
 * The flow's publications, newest first: when, by whom (and who submitted it, with four eyes), the
 * short version, what changed against the publication before in plain words (the YAML diff folded
 * away), and one click back to an earlier version — a publish like any other.
 */
import { useEffect, useState } from "react";
import type { EditorApi, PublishedVersion } from "../api/editor-api.ts";
import { t } from "../i18n/messages.ts";
import type { UiLanguage } from "../i18n/ui-language.ts";
import { describeChanges } from "../model/version-changes.ts";
import { DiffView } from "./DiffView.tsx";

export function formatWhen(iso: string, lang: UiLanguage): string {
  return new Date(iso).toLocaleString(lang === "de" ? "de-DE" : "en-GB", { dateStyle: "medium", timeStyle: "short" });
}

function Changes({ before, after, lang }: { before: string; after: string; lang: UiLanguage }) {
  const changes = describeChanges(before, after, lang);
  if (changes.length === 0) return <p className="form-help">{t(lang, "historyNoChange")}</p>;
  return (
    <ul className="history-changes" data-testid="history-changes">
      {changes.map((change) => (
        <li key={`${change.kind}:${change.where}`} className={`change-${change.kind}`}>
          <strong>{change.where}</strong> – {t(lang, change.kind === "added" ? "changeAdded" : change.kind === "removed" ? "changeRemoved" : "changeChanged")}
          {change.fields.length > 0 && (
            <ul>
              {change.fields.map((field) => (
                <li key={field.label}>
                  {field.label}: {field.before !== undefined && <del>{field.before}</del>}
                  {field.before !== undefined && field.after !== undefined && " → "}
                  {field.after !== undefined && <ins>{field.after}</ins>}
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ul>
  );
}

export function HistoryPanel({ api, id, lang, canRollBack, busy, serial, onRollback }: { api: EditorApi; id: string; lang: UiLanguage; canRollBack: boolean; busy: boolean; serial: unknown; onRollback(entry: PublishedVersion): void }) {
  const [versions, setVersions] = useState<PublishedVersion[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  // Loaded again after each publish (serial changes), so a rollback shows at once.
  useEffect(() => {
    let current = true;
    void serial;
    api.history(id).then(
      (loaded) => current && setVersions(loaded),
      (failure: unknown) => current && setError(failure instanceof Error ? failure.message : String(failure)),
    );
    return () => {
      current = false;
    };
  }, [api, id, serial]);
  if (error) return <p className="notice error">{t(lang, "loadFailed", { message: error })}</p>;
  if (!versions) return <p className="notice">…</p>;
  return (
    <section className="history" data-testid="history" aria-label={t(lang, "tabHistory")}>
      <p className="form-help">{t(lang, "historyHelp")}</p>
      {versions.length === 0 && <p>{t(lang, "historyEmpty")}</p>}
      <ol className="history-list">
        {versions.map((entry, index) => {
          const previous = versions[index + 1];
          return (
            <li key={`${entry.version}:${entry.at}`} className="history-entry" data-testid="history-entry">
              <h3>
                {formatWhen(entry.at, lang)} · {t(lang, "version", { version: entry.version.replace(/^sha256:/, "").slice(0, 8) })}{" "}
                {entry.live && <span className="status status-statusPublished">{t(lang, "historyLive")}</span>}
              </h3>
              <p className="form-help">
                {t(lang, "historyBy", { who: entry.by })}
                {entry.requestedBy && ` · ${t(lang, "historyRequestedBy", { who: entry.requestedBy })}`}
              </p>
              <h4>{t(lang, "historyChanges")}</h4>
              {previous ? <Changes before={previous.yaml} after={entry.yaml} lang={lang} /> : <p className="form-help">{t(lang, "historyFirst")}</p>}
              {previous && (
                <details>
                  <summary>{t(lang, "historyYaml")}</summary>
                  <DiffView before={previous.yaml} after={entry.yaml} />
                </details>
              )}
              {canRollBack && !entry.live && (
                <button type="button" className="small" data-testid="rollback" disabled={busy} onClick={() => onRollback(entry)}>
                  {t(lang, "historyRollback")}
                </button>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
