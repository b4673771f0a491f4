/**
 * Knowledge bases (`flows/<name>.faq.yaml`): the YAML with live validation (errors marked where
 * they are, duplicate questions warned), a "try a question" box that runs the same matcher as the
 * bot — in the browser, on the text being edited — and the review list of questions the bot
 * could not answer, which an editor adds as a new entry or as a phrasing of an entry, or dismisses.
 */
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from "react";
import { checkKnowledgeBaseSource, explainQuestion, type FaqDecision, indexKnowledgeBase, type KnowledgeBase, matchQuestion, type Problem } from "../../../runtime/core/index.ts";
import { ApiError } from "../api/http.ts";
import type { KnowledgeBaseApi, KnowledgeBaseFile, UnansweredQuestion } from "../api/knowledge-base-api.ts";
import { type MessageKey, t } from "../i18n/messages.ts";
import type { UiLanguage } from "../i18n/ui-language.ts";

// CodeMirror is the editor's largest dependency: loaded only when a YAML view opens, as in the flow editor.
const YamlEditor = lazy(() => import("./YamlEditor.tsx").then((module) => ({ default: module.YamlEditor })));

interface Props {
  api: KnowledgeBaseApi;
  lang: UiLanguage;
  canEdit: boolean;
}

const decisionLabels: Record<FaqDecision, MessageKey> = { answer: "faqDecisionAnswer", suggest: "faqDecisionSuggest", fallback: "faqDecisionFallback" };

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A kebab-case id from a question: "Repariert ihr Handys?" → "repariert-ihr-handys". */
function slugOf(text: string): string {
  const slug = text
    .toLowerCase()
    .replace(/ä/g, "ae")
    .replace(/ö/g, "oe")
    .replace(/ü/g, "ue")
    .replace(/ß/g, "ss")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  return slug === "" ? "new-entry" : slug;
}

function TryQuestion({ knowledgeBase, lang }: { knowledgeBase: KnowledgeBase | undefined; lang: UiLanguage }) {
  const [question, setQuestion] = useState("");
  const index = useMemo(() => (knowledgeBase ? indexKnowledgeBase(knowledgeBase) : undefined), [knowledgeBase]);
  const titles = useMemo(() => new Map((knowledgeBase?.entries ?? []).map((entry) => [entry.id, entry.title ?? entry.questions[0]])), [knowledgeBase]);
  const match = index && question.trim() !== "" ? matchQuestion(index, question) : undefined;
  const words = index && question.trim() !== "" ? explainQuestion(index, question) : [];
  return (
    <section className="faq-try" data-testid="faq-try">
      <h2>{t(lang, "faqTry")}</h2>
      <input data-testid="faq-try-input" value={question} placeholder={t(lang, "faqTryPlaceholder")} onChange={(event) => setQuestion(event.target.value)} disabled={!index} />
      {!index && <p className="form-help">{t(lang, "faqTryNeedsValid")}</p>}
      {match && (
        <div data-testid="faq-try-result">
          <p>
            <span className={`status decision-${match.decision}`} data-testid="faq-try-decision">
              {t(lang, decisionLabels[match.decision])}
            </span>
          </p>
          {match.candidates.length > 0 ? (
            <table className="faq-candidates">
              <thead>
                <tr>
                  <th>{t(lang, "faqEntry")}</th>
                  <th>{t(lang, "faqScore")}</th>
                </tr>
              </thead>
              <tbody>
                {match.candidates.map((candidate) => (
                  <tr key={candidate.id}>
                    <td translate="no">
                      <code>{candidate.id}</code> {titles.get(candidate.id)}
                    </td>
                    <td>{candidate.score.toFixed(2)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="form-help">{t(lang, "faqNoCandidates")}</p>
          )}
          <p className="form-help">
            {t(lang, "faqUnderstood")}{" "}
            {words.map((word) => (
              <span key={word.word} className={word.terms.some((term) => term.term !== undefined) ? "faq-word known" : "faq-word unknown"}>
                {word.word}
              </span>
            ))}
          </p>
        </div>
      )}
    </section>
  );
}

function ReviewItem({ item, knowledgeBase, lang, canEdit, blocked, onDecided, api }: { item: UnansweredQuestion; knowledgeBase: KnowledgeBase | undefined; lang: UiLanguage; canEdit: boolean; blocked: boolean; onDecided(): void; api: KnowledgeBaseApi }) {
  const entries = knowledgeBase?.entries ?? [];
  const [mode, setMode] = useState<"none" | "entry" | "phrasing">("none");
  const [question, setQuestion] = useState(item.question);
  const [entryId, setEntryId] = useState(slugOf(item.question));
  const [answer, setAnswer] = useState(item.agentAnswer ?? "");
  const [target, setTarget] = useState(item.candidates[0]?.id ?? entries[0]?.id ?? "");
  const [error, setError] = useState<string | undefined>();
  const run = async (work: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await work();
      onDecided();
    } catch (failure) {
      setError(failure instanceof ApiError && failure.problems.length > 0 ? `${failure.message} ${failure.problems.map((problem) => problem.message).join(" ")}` : message(failure));
    }
  };
  return (
    <li className="review-item" data-testid="review-item">
      <p className="review-question">„{item.question}“</p>
      <p className="form-help">
        {t(lang, "faqAskedAt", { time: new Date(item.askedAt).toLocaleString(lang), flow: item.flow })}
        {item.candidates.length > 0 && ` · ${t(lang, "faqClosest")} ${item.candidates.map((candidate) => `${candidate.id} (${candidate.score.toFixed(2)})`).join(", ")}`}
      </p>
      {item.agentAnswer && (
        <p className="review-suggestion" data-testid="review-suggestion">
          <strong>{t(lang, "faqAgentAnswered")}</strong> {item.agentAnswer}
        </p>
      )}
      {canEdit && (
        <div className="row">
          <button type="button" data-testid="review-as-entry" disabled={blocked} onClick={() => setMode(mode === "entry" ? "none" : "entry")}>
            {t(lang, "faqAddAsEntry")}
          </button>
          <button type="button" data-testid="review-as-phrasing" disabled={blocked || entries.length === 0} onClick={() => setMode(mode === "phrasing" ? "none" : "phrasing")}>
            {t(lang, "faqAddAsPhrasing")}
          </button>
          <button type="button" className="danger" data-testid="review-dismiss" disabled={blocked} onClick={() => void run(() => api.dismiss(item.id))}>
            {t(lang, "faqDismiss")}
          </button>
        </div>
      )}
      {blocked && canEdit && <p className="form-help">{t(lang, "faqSaveFirst")}</p>}
      {mode !== "none" && (
        <div className="review-form">
          <label className="form-field">
            <span className="form-label">{t(lang, "faqQuestionLabel")}</span>
            <input data-testid="review-question" value={question} onChange={(event) => setQuestion(event.target.value)} />
            <span className="form-help">{t(lang, "faqQuestionHelp")}</span>
          </label>
          {mode === "entry" ? (
            <>
              <label className="form-field">
                <span className="form-label">{t(lang, "faqEntryId")}</span>
                <input data-testid="review-entry-id" value={entryId} onChange={(event) => setEntryId(event.target.value)} />
              </label>
              <label className="form-field">
                <span className="form-label">{t(lang, "faqAnswerLabel")}</span>
                <textarea data-testid="review-answer" rows={3} value={answer} onChange={(event) => setAnswer(event.target.value)} />
              </label>
            </>
          ) : (
            <label className="form-field">
              <span className="form-label">{t(lang, "faqPhrasingOf")}</span>
              <select data-testid="review-target" value={target} onChange={(event) => setTarget(event.target.value)}>
                {entries.map((entry) => (
                  <option key={entry.id} value={entry.id}>
                    {entry.id} – {entry.title ?? entry.questions[0]}
                  </option>
                ))}
              </select>
            </label>
          )}
          <button
            type="button"
            className="primary"
            data-testid="review-approve"
            onClick={() => void run(() => api.add(item.id, mode === "entry" ? { as: "entry", entry: entryId, question, answer } : { as: "phrasing", entry: target, question }))}
          >
            {t(lang, "faqApprove")}
          </button>
        </div>
      )}
      {error && <p className="form-error">{error}</p>}
    </li>
  );
}

function KnowledgeBaseEditor({ api, id, lang, canEdit, onReload }: { api: KnowledgeBaseApi; id: string; lang: UiLanguage; canEdit: boolean; onReload(): void }) {
  const [file, setFile] = useState<{ text: string; hash: string; version: number } | undefined>();
  const [text, setText] = useState("");
  const [notice, setNotice] = useState<{ kind: "ok" | "error"; text: string } | undefined>();
  const [questions, setQuestions] = useState<UnansweredQuestion[]>([]);

  const load = useCallback(async () => {
    const opened = await api.open(id);
    setFile((previous) => ({ text: opened.text, hash: opened.hash, version: (previous?.version ?? 0) + 1 }));
    setText(opened.text);
    if (canEdit) setQuestions((await api.unanswered()).filter((question) => question.knowledgeBase === id));
  }, [api, id, canEdit]);

  useEffect(() => {
    void load().catch((error: unknown) => setNotice({ kind: "error", text: message(error) }));
  }, [load]);

  const checked = useMemo(() => checkKnowledgeBaseSource(text, { lang }), [text, lang]);
  const errors = checked.problems.filter((problem) => problem.severity === "error");
  const valid = errors.length === 0 ? checked.knowledgeBase : undefined;
  const dirty = file !== undefined && text !== file.text;

  const save = async () => {
    if (!file) return;
    try {
      const saved = await api.save(id, text, file.hash);
      setFile({ text, hash: saved.hash, version: file.version });
      setNotice({ kind: "ok", text: t(lang, "faqSaved") });
      onReload();
    } catch (error) {
      setNotice({ kind: "error", text: error instanceof ApiError && error.status === 409 ? t(lang, "conflict") : message(error) });
    }
  };

  if (!file) return <p className="page">{notice?.text ?? "…"}</p>;
  return (
    <div className="kb-editor" data-testid="kb-editor">
      <div className="editor-bar">
        {/* The knowledge base's own title, in its language (translate="no"). */}
        <h1 translate="no">
          {checked.knowledgeBase?.title ?? id} <code>{id}.faq.yaml</code>
        </h1>
        {dirty && <span className="dirty">{t(lang, "unsaved")}</span>}
        <span className="spacer" />
        <span className="status" data-testid="kb-summary">
          {t(lang, "faqEntries", { count: checked.knowledgeBase?.entries.length ?? 0 })} · {t(lang, "errorsCount", { count: errors.length })}
        </span>
        {canEdit && (
          <button type="button" className="primary" data-testid="kb-save" disabled={!dirty} onClick={() => void save()}>
            {t(lang, "save")}
          </button>
        )}
      </div>
      {notice && <p className={`notice ${notice.kind}`}>{notice.text}</p>}
      <div className="kb-main">
        <div className="kb-source">
          <Suspense fallback={<p className="notice">…</p>}>
            <YamlEditor key={`${id}:${file.version}`} initialText={file.text} errors={errors} onChange={setText} />
          </Suspense>
          <ul className="kb-problems" data-testid="kb-problems">
            {checked.problems.map((problem: Problem) => (
              <li key={`${problem.line}:${problem.column}:${problem.message}`} className={problem.severity}>
                {problem.line}:{problem.column} {problem.severity === "error" ? t(lang, "severityError") : t(lang, "severityWarning")}: {problem.message}
              </li>
            ))}
          </ul>
        </div>
        <aside className="kb-side">
          <TryQuestion knowledgeBase={valid} lang={lang} />
          {canEdit && (
            <section className="review" data-testid="review-list">
              <h2>{t(lang, "faqReview", { count: questions.length })}</h2>
              <p className="form-help">{t(lang, "faqReviewHelp")}</p>
              {questions.length === 0 ? (
                <p>{t(lang, "faqReviewEmpty")}</p>
              ) : (
                <ul>
                  {questions.map((item) => (
                    <ReviewItem key={item.id} item={item} knowledgeBase={valid} lang={lang} canEdit={canEdit} blocked={dirty} api={api} onDecided={() => void load()} />
                  ))}
                </ul>
              )}
            </section>
          )}
        </aside>
      </div>
    </div>
  );
}

export function KnowledgeBasePage({ api, lang, canEdit }: Props) {
  const [files, setFiles] = useState<KnowledgeBaseFile[] | undefined>();
  const [open, setOpen] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const reload = useCallback(() => {
    void api
      .list()
      .then((list) => {
        setFiles(list);
        setOpen((current) => current ?? list[0]?.id);
      })
      .catch((failure: unknown) => setError(message(failure)));
  }, [api]);
  useEffect(reload, [reload]);
  return (
    <div className="kb-page" data-testid="knowledge-bases">
      <nav className="kb-list" aria-label={t(lang, "navKnowledge")}>
        <h2>{t(lang, "navKnowledge")}</h2>
        {error && <p className="form-error">{error}</p>}
        {files?.length === 0 && <p>{t(lang, "faqNone")}</p>}
        <ul>
          {(files ?? []).map((file) => (
            <li key={file.id}>
              <button type="button" className={open === file.id ? "nav-item current" : "nav-item"} aria-current={open === file.id ? "page" : undefined} onClick={() => setOpen(file.id)}>
                {file.id}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      {open && <KnowledgeBaseEditor key={open} api={api} id={open} lang={lang} canEdit={canEdit} onReload={reload} />}
    </div>
  );
}
