/**
 * "Unterlagen" — the generated paperwork for the data protection officer
 * (docs/privacy.md#the-dpos-pages): per published flow the privacy-policy passage, the Art. 30
 * record, the technical and organisational measures, the deletion concept and the processing
 * agreement templates, in German or English, each downloadable as Markdown; and when a publish
 * of the flow waits for approval, how it would change the passage and the record (the same
 * comparison the four-eyes review shows).
 */
import { useEffect, useState } from "react";
import type { EditorApi, FileEntry } from "../api/editor-api.ts";
import type { Paperwork, PrivacyApi } from "../api/privacy-api.ts";
import type { PublishReview, TeamApi } from "../api/team-api.ts";
import { type MessageKey, t } from "../i18n/messages.ts";
import type { UiLanguage } from "../i18n/ui-language.ts";
import { DiffView } from "./DiffView.tsx";
import { MarkdownView } from "./MarkdownView.tsx";
import { dateTime } from "./privacy-words.ts";

type Part = "policy" | "record" | "measures" | "deletion" | "agreements";
const parts: { part: Part; label: MessageKey; file: Record<"de" | "en", string> }[] = [
  { part: "policy", label: "paperworkPolicy", file: { de: "datenschutzhinweis", en: "privacy-notice" } },
  { part: "record", label: "paperworkRecord", file: { de: "verarbeitungsverzeichnis", en: "record-of-processing" } },
  { part: "measures", label: "paperworkMeasures", file: { de: "tom", en: "technical-organisational-measures" } },
  { part: "deletion", label: "paperworkDeletion", file: { de: "loeschkonzept", en: "deletion-concept" } },
  { part: "agreements", label: "paperworkAgreements", file: { de: "av-vertrag-vorlage", en: "processing-agreement-template" } },
];

/** A Markdown text as a download, made in the browser. */
function markdownHref(text: string): string {
  return `data:text/markdown;charset=utf-8,${encodeURIComponent(text)}`;
}

export function PaperworkPage({ api, files, team, lang }: { api: PrivacyApi; files: EditorApi; team: TeamApi; lang: UiLanguage }) {
  const [flows, setFlows] = useState<FileEntry[] | undefined>();
  const [flow, setFlow] = useState<string | undefined>();
  const [textLang, setTextLang] = useState<"de" | "en">(lang);
  const [part, setPart] = useState<Part>("policy");
  const [paperwork, setPaperwork] = useState<Paperwork | undefined>();
  const [pending, setPending] = useState<PublishReview[]>([]);
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    files.files().then(
      (list) => {
        const published = list.filter((file) => file.published);
        setFlows(published);
        setFlow((current) => current ?? published[0]?.id);
      },
      (failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)),
    );
  }, [files]);

  useEffect(() => {
    if (!flow) return;
    setPaperwork(undefined);
    setError(undefined);
    api.paperwork(flow, textLang).then(setPaperwork, (failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)));
  }, [api, flow, textLang]);

  useEffect(() => {
    if (!flow) return;
    // A publish waiting for approval: the reviewer's comparison of the generated texts.
    team
      .approvals()
      .then(async ({ requests }) => Promise.all(requests.filter((request) => request.status === "pending" && request.flow === flow).map((request) => team.review(request.id, textLang))))
      .then(setPending, () => setPending([]));
  }, [team, flow, textLang]);

  const text = paperwork ? paperwork[part] : "";
  const current = parts.find((entry) => entry.part === part) ?? parts[0];

  return (
    <section className="page" data-testid="paperwork">
      <h1>{t(lang, "paperworkTitle")}</h1>
      <p className="form-help">{t(lang, "paperworkHelp")}</p>
      {flows && flows.length === 0 && <p>{t(lang, "paperworkNoFlows")}</p>}
      {flows && flows.length > 0 && (
        <div className="filters">
          <label>
            {t(lang, "paperworkFlow")}{" "}
            <select value={flow ?? ""} onChange={(event) => setFlow(event.target.value)} data-testid="paperwork-flow">
              {flows.map((file) => (
                <option key={file.id} value={file.id}>
                  {file.title ? `${file.title} (${file.id})` : file.id}
                </option>
              ))}
            </select>
          </label>
          <fieldset className="segmented">
            <legend>{t(lang, "paperworkLanguage")}</legend>
            {(["de", "en"] as const).map((code) => (
              <button key={code} type="button" aria-pressed={textLang === code} className={textLang === code ? "current" : ""} onClick={() => setTextLang(code)} data-testid={`paperwork-lang-${code}`}>
                {code === "de" ? "Deutsch" : "English"}
              </button>
            ))}
          </fieldset>
        </div>
      )}
      {error && <p className="notice error">{t(lang, "actionFailed", { message: error })}</p>}

      {pending.map((review) => (
        <details key={review.request.id} className="notice pending-publish" data-testid="paperwork-pending">
          <summary>
            <strong>{t(lang, "paperworkPending", { who: review.request.requestedBy, time: dateTime(lang, review.request.requestedAt) })}</strong> {t(lang, "paperworkPendingShow")}
          </summary>
          <p>{t(lang, "paperworkPendingHelp")}</p>
          <h3>{t(lang, "paperworkPolicy")}</h3>
          {review.live?.privacy.policy[textLang] === review.proposed.privacy.policy[textLang] ? (
            <p>{t(lang, "paperworkUnchanged")}</p>
          ) : (
            <DiffView before={review.live?.privacy.policy[textLang] ?? ""} after={review.proposed.privacy.policy[textLang]} />
          )}
          <h3>{t(lang, "paperworkRecord")}</h3>
          {review.live?.privacy.record[textLang] === review.proposed.privacy.record[textLang] ? (
            <p>{t(lang, "paperworkUnchanged")}</p>
          ) : (
            <DiffView before={review.live?.privacy.record[textLang] ?? ""} after={review.proposed.privacy.record[textLang]} />
          )}
        </details>
      ))}

      {paperwork && (
        <>
          <div className="tabs paperwork-tabs" role="tablist">
            {parts.map((entry) => (
              <button key={entry.part} type="button" role="tab" aria-selected={part === entry.part} onClick={() => setPart(entry.part)} data-testid={`paperwork-tab-${entry.part}`}>
                {t(lang, entry.label)}
              </button>
            ))}
          </div>
          <p className="form-help">
            {t(lang, "paperworkVersion", { version: paperwork.version.slice(0, 19) })}{" "}
            <a className="button" href={markdownHref(text)} download={`${paperwork.flow}-${current?.file[textLang] ?? part}.md`} data-testid="paperwork-download">
              {t(lang, "paperworkDownload")}
            </a>
          </p>
          {text.trim() ? <MarkdownView markdown={text} testId="paperwork-text" /> : <p data-testid="paperwork-text">{t(lang, part === "agreements" ? "paperworkNoAgreements" : "paperworkEmpty")}</p>}
        </>
      )}
    </section>
  );
}
