/** Canned answers per flow for the live chat (docs/inbox.md#canned-answers), kept by editors; agents insert them into replies. */
import { useEffect, useState } from "react";
import type { EditorApi, FileEntry } from "../api/editor-api.ts";
import type { CannedAnswer, InboxApi } from "../api/inbox-api.ts";
import { t } from "../i18n/messages.ts";
import type { UiLanguage } from "../i18n/ui-language.ts";

export function CannedAnswersPage({ api, files, lang, canEdit }: { api: InboxApi; files: EditorApi; lang: UiLanguage; canEdit: boolean }) {
  const [flows, setFlows] = useState<FileEntry[]>([]);
  const [flow, setFlow] = useState<string | undefined>();
  const [answers, setAnswers] = useState<CannedAnswer[]>([]);
  const [notice, setNotice] = useState<{ kind: "ok" | "error"; text: string } | undefined>();

  useEffect(() => {
    void files.files().then((entries) => {
      setFlows(entries);
      setFlow((current) => current ?? entries[0]?.id);
    });
  }, [files]);

  useEffect(() => {
    setNotice(undefined);
    if (flow) void api.cannedForEditing(flow).then(setAnswers, (error: unknown) => setNotice({ kind: "error", text: error instanceof Error ? error.message : String(error) }));
  }, [api, flow]);

  const change = (index: number, key: keyof CannedAnswer, value: string) => setAnswers((current) => current.map((answer, at) => (at === index ? { ...answer, [key]: value } : answer)));

  return (
    <section className="page canned-page" data-testid="canned">
      <h1>{t(lang, "cannedTitle")}</h1>
      <p className="muted">{t(lang, "cannedHelp")}</p>
      <label>
        {t(lang, "cannedFlow")}{" "}
        <select data-testid="canned-flow" value={flow ?? ""} onChange={(event) => setFlow(event.target.value)}>
          {flows.map((entry) => (
            <option key={entry.id} value={entry.id}>
              {entry.title ? `${entry.title} (${entry.id})` : entry.id}
            </option>
          ))}
        </select>
      </label>
      {answers.length === 0 && <p className="muted">{t(lang, "cannedNone")}</p>}
      <ol className="canned-list">
        {answers.map((answer, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity of their own while being typed
          <li key={index} className="canned-row">
            <input aria-label={t(lang, "cannedAnswerTitle")} placeholder={t(lang, "cannedAnswerTitle")} value={answer.title} maxLength={80} disabled={!canEdit} onChange={(event) => change(index, "title", event.target.value)} />
            <textarea aria-label={t(lang, "cannedAnswerText")} placeholder={t(lang, "cannedAnswerText")} value={answer.text} maxLength={2000} rows={2} disabled={!canEdit} onChange={(event) => change(index, "text", event.target.value)} />
            {canEdit && (
              <button type="button" className="small danger" onClick={() => setAnswers((current) => current.filter((_, at) => at !== index))}>
                {t(lang, "cannedRemove")}
              </button>
            )}
          </li>
        ))}
      </ol>
      {canEdit && flow && (
        <div className="canned-actions">
          <button type="button" data-testid="canned-add" onClick={() => setAnswers((current) => [...current, { title: "", text: "" }])}>
            {t(lang, "cannedAdd")}
          </button>
          <button
            type="button"
            data-testid="canned-save"
            onClick={() =>
              void api.saveCanned(flow, answers).then(
                (saved) => {
                  setAnswers(saved);
                  setNotice({ kind: "ok", text: t(lang, "cannedSaved") });
                },
                (error: unknown) => setNotice({ kind: "error", text: error instanceof Error ? error.message : String(error) }),
              )
            }
          >
            {t(lang, "cannedSave")}
          </button>
        </div>
      )}
      {notice && (
        <p className={`notice ${notice.kind}`} role={notice.kind === "error" ? "alert" : "status"}>
          {notice.text}
        </p>
      )}
    </section>
  );
}
