/**
 * Problems in plain words: live ones from the shared validator, or the server's answer to a
 * refused publish. Each names the step or setting it is about and says what to do; a click opens
 * that setting. consent-missing offers its path and a fix that asks for the purpose (never guessed).
 * The panel folds away and never takes more than a third of the height (styles.css).
 */
import { useId, useState } from "react";
import type { Problem, UnlocatedProblem } from "../../../runtime/core/index.ts";
import { t } from "../i18n/messages.ts";
import type { UiLanguage } from "../i18n/ui-language.ts";
import { placeOf, type ProblemPlace } from "../model/problem-places.ts";

export type ShownProblem = UnlocatedProblem & { line?: number; column?: number };

function ConsentPurposeForm({ lang, suggestions, onInsert, onCancel }: { lang: UiLanguage; suggestions: readonly string[]; onInsert(purpose: string): void; onCancel(): void }) {
  const [purpose, setPurpose] = useState("");
  const listId = useId();
  const inputId = useId();
  const trimmed = purpose.trim();
  return (
    <form
      className="consent-purpose"
      data-testid="consent-purpose-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (trimmed !== "") onInsert(trimmed);
      }}
    >
      <label htmlFor={inputId} className="form-label">
        {t(lang, "consentPurposeAsk")}
      </label>
      <div className="row">
        {/* biome-ignore lint/a11y/noAutofocus: the form opens on a click that asks for exactly this */}
        <input id={inputId} data-testid="consent-purpose" list={listId} value={purpose} autoFocus onChange={(event) => setPurpose(event.target.value)} />
        <button type="submit" className="small primary" data-testid="consent-purpose-insert" disabled={trimmed === ""}>
          {t(lang, "insertConsent")}
        </button>
        <button type="button" className="small" onClick={onCancel}>
          {t(lang, "cancel")}
        </button>
      </div>
      <datalist id={listId}>
        {suggestions.map((suggestion) => (
          <option key={suggestion} value={suggestion} />
        ))}
      </datalist>
      {suggestions.length > 0 && (
        <p className="form-help">
          {t(lang, "consentPurposeSuggestions")}:{" "}
          {suggestions.map((suggestion) => (
            <button type="button" key={suggestion} className="chip" onClick={() => setPurpose(suggestion)}>
              {suggestion}
            </button>
          ))}
        </p>
      )}
    </form>
  );
}

export function ProblemsPanel({
  problems,
  flow,
  lang,
  title,
  purposeSuggestions,
  onSelect,
  onShowPath,
  onFixConsent,
}: {
  problems: readonly (ShownProblem | Problem)[];
  /** The flow's plain value, to name steps and settings. */
  flow: unknown;
  lang: UiLanguage;
  title: string;
  purposeSuggestions: readonly string[];
  onSelect(problem: ShownProblem, place: ProblemPlace): void;
  onShowPath(problem: ShownProblem, place: ProblemPlace): void;
  onFixConsent(problem: ShownProblem, purpose: string): void;
}) {
  const [open, setOpen] = useState(true);
  const [asking, setAsking] = useState<number | undefined>();
  const errors = problems.filter((problem) => problem.severity === "error").length;
  const warnings = problems.length - errors;
  const listId = useId();
  return (
    <section className={`problems${open ? "" : " collapsed"}`} aria-label={title} data-testid="problems">
      <h2>
        <button type="button" className="small problems-toggle" aria-expanded={open} aria-controls={listId} data-testid="problems-toggle" onClick={() => setOpen(!open)}>
          {open ? "▾" : "▸"} {t(lang, open ? "hideProblems" : "showProblems")}
        </button>{" "}
        {title} · <span className={errors ? "count-error" : ""}>{t(lang, "errorsCount", { count: errors })}</span> · <span>{t(lang, "warningsCount", { count: warnings })}</span>
      </h2>
      {open && (
        <div id={listId}>
          {problems.length === 0 && <p className="ok">✓ {t(lang, "noProblems")}</p>}
          <ul>
            {problems.map((problem, index) => {
              const syntax = "line" in problem && problem.line !== undefined && problem.pointer === "" && problem.rule === "schema";
              const place = syntax ? { where: t(lang, "tabYaml"), message: problem.message, pointer: "" } : placeOf(problem, flow, lang);
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: problems have no identity beyond their position
                <li key={index} className={`problem problem-${problem.severity}`} data-rule={problem.rule} data-pointer={place.pointer}>
                  <button type="button" className="problem-text" onClick={() => onSelect(problem, place)}>
                    <span className="problem-rule">
                      <span aria-hidden="true">{problem.severity === "error" ? "✖" : "⚠"} </span>
                      <span className="visually-hidden">{t(lang, problem.severity === "error" ? "severityError" : "severityWarning")}: </span>
                      <span className="problem-node">{place.where}</span>
                    </span>
                    {problem.line !== undefined && problem.column !== undefined && (
                      <span className="problem-where"> · {t(lang, "lineColumn", { line: problem.line, column: problem.column })}</span>
                    )}
                    <span className="problem-message">{place.message}</span>
                  </button>
                  {problem.rule === "consent-missing" && (
                    <span className="problem-actions">
                      <button type="button" className="small" onClick={() => onShowPath(problem, place)}>
                        {t(lang, "showPath")}
                      </button>
                      {asking !== index && (
                        <button type="button" className="small primary" data-testid="fix-consent" onClick={() => setAsking(index)}>
                          {t(lang, "fixConsent")}
                        </button>
                      )}
                    </span>
                  )}
                  {problem.rule === "consent-missing" && asking === index && (
                    <ConsentPurposeForm
                      lang={lang}
                      suggestions={purposeSuggestions}
                      onCancel={() => setAsking(undefined)}
                      onInsert={(purpose) => {
                        setAsking(undefined);
                        onFixConsent(problem, purpose);
                      }}
                    />
                  )}
                </li>
              );
            })}
          </ul>
        </div>
      )}
    </section>
  );
}
