/**
 * Problems in plain words: live ones from the shared validator, or the server's answer to a
 * refused publish. A click selects the node; consent-missing offers its path and the one-click fix.
 */
import type { Problem, UnlocatedProblem } from "../../../runtime/core/index.ts";
import { t } from "../i18n/messages.ts";
import type { UiLanguage } from "../i18n/ui-language.ts";

export type ShownProblem = UnlocatedProblem & { line?: number; column?: number };

export function ProblemsPanel({
  problems,
  lang,
  title,
  onSelect,
  onShowPath,
  onFixConsent,
}: {
  problems: readonly (ShownProblem | Problem)[];
  lang: UiLanguage;
  title: string;
  onSelect(problem: ShownProblem): void;
  onShowPath(problem: ShownProblem): void;
  onFixConsent(problem: ShownProblem): void;
}) {
  const errors = problems.filter((problem) => problem.severity === "error").length;
  const warnings = problems.length - errors;
  return (
    <section className="problems" aria-label={title} data-testid="problems">
      <h2>
        {title} · <span className={errors ? "count-error" : ""}>{t(lang, "errorsCount", { count: errors })}</span> ·{" "}
        <span>{t(lang, "warningsCount", { count: warnings })}</span>
      </h2>
      {problems.length === 0 && <p className="ok">✓ {t(lang, "noProblems")}</p>}
      <ul>
        {problems.map((problem, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: problems have no identity beyond their position
          <li key={index} className={`problem problem-${problem.severity}`} data-rule={problem.rule}>
            <button type="button" className="problem-text" onClick={() => onSelect(problem)}>
              <span className="problem-rule">{problem.severity === "error" ? "✖" : "⚠"} {problem.rule}</span>
              {problem.node && <span className="problem-node"> · {problem.node}</span>}
              {problem.line !== undefined && problem.column !== undefined && (
                <span className="problem-where"> · {t(lang, "lineColumn", { line: problem.line, column: problem.column })}</span>
              )}
              <span className="problem-message">{problem.message}</span>
            </button>
            {problem.rule === "consent-missing" && (
              <span className="problem-actions">
                <button type="button" className="small" onClick={() => onShowPath(problem)}>
                  {t(lang, "showPath")}
                </button>
                <button type="button" className="small primary" data-testid="fix-consent" onClick={() => onFixConsent(problem)}>
                  {t(lang, "fixConsent")}
                </button>
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
