/** The audit trail for administrators and data protection: filter by time, person and action; download as CSV. */
import { type FormEvent, useCallback, useEffect, useState } from "react";
import { type AuditEntry, type AuditFilter, auditQuery, type TeamApi } from "../api/team-api.ts";
import { type MessageKey, t } from "../i18n/messages.ts";
import type { UiLanguage } from "../i18n/ui-language.ts";

const outcomes: Record<AuditEntry["outcome"], MessageKey> = { ok: "outcomeOk", denied: "outcomeDenied", failed: "outcomeFailed" };

const knownActions = [
  "session.sign-in",
  "session.sign-out",
  "flow.publish",
  "flow.publish-request",
  "flow.publish-approve",
  "flow.publish-reject",
  "flow.publish-withdraw",
  "flow-file.save",
  "flow-file.create",
  "flow-file.delete",
  "flow-file.rename",
  "flow-file.duplicate",
  "account.invite",
  "account.activate",
  "account.password-reset",
  "account.reset",
  "account.roles",
  "account.disable",
  "account.enable",
  "token.create",
  "token.revoke",
  "audit.read",
  "live-chat.open",
  "live-chat.history",
  "live-chat.claim",
  "live-chat.reassign",
  "live-chat.release",
  "live-chat.close",
  "canned-answers.save",
  "privacy.request.open",
  "privacy.request.extend",
  "privacy.request.export",
  "privacy.request.correct",
  "privacy.request.erase",
  "privacy.ledger.read",
  "privacy.ledger.verify",
  "privacy.ledger.acknowledge",
] as const;

function actionLabel(lang: UiLanguage, action: string): string {
  const key = `action.${action}` as MessageKey;
  return (knownActions as readonly string[]).includes(action) ? t(lang, key) : action;
}

/** The trail names the server itself `system` and a failed sign-in's sender `anonymous`; people read these in their language. */
function actorLabel(lang: UiLanguage, actor: string): string {
  if (actor === "system") return t(lang, "actorSystem");
  if (actor === "anonymous") return t(lang, "actorAnonymous");
  return actor;
}

/** `YYYY-MM-DD` of a date input as the start or the end of that day, in ISO form. */
function dayBound(day: string, end: boolean): string | undefined {
  if (!day) return undefined;
  return new Date(`${day}T${end ? "23:59:59.999" : "00:00:00.000"}`).toISOString();
}

export function AuditPage({ api, lang }: { api: TeamApi; lang: UiLanguage }) {
  const [form, setForm] = useState({ from: "", to: "", actor: "", action: "" });
  const [filter, setFilter] = useState<AuditFilter>({});
  const [entries, setEntries] = useState<AuditEntry[] | undefined>();
  const [error, setError] = useState<string | undefined>();

  const load = useCallback(() => {
    api.audit(filter).then(
      (loaded) => setEntries(loaded.reverse()),
      (failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)),
    );
  }, [api, filter]);
  useEffect(load, [load]);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const next: AuditFilter = {};
    const from = dayBound(form.from, false);
    const to = dayBound(form.to, true);
    if (from) next.from = from;
    if (to) next.to = to;
    if (form.actor.trim()) next.actor = form.actor.trim();
    if (form.action) next.action = form.action;
    setFilter(next);
  };

  return (
    <section className="page" data-testid="audit">
      <h1>{t(lang, "auditTitle")}</h1>
      <p className="form-help">{t(lang, "auditHelp")}</p>
      <form className="filters" onSubmit={apply}>
        <label>
          {t(lang, "auditFrom")} <input type="date" value={form.from} onChange={(event) => setForm({ ...form, from: event.target.value })} />
        </label>
        <label>
          {t(lang, "auditTo")} <input type="date" value={form.to} onChange={(event) => setForm({ ...form, to: event.target.value })} />
        </label>
        <label>
          {t(lang, "auditPerson")} <input type="text" value={form.actor} onChange={(event) => setForm({ ...form, actor: event.target.value })} />
        </label>
        <label>
          {t(lang, "auditAction")}{" "}
          <select value={form.action} onChange={(event) => setForm({ ...form, action: event.target.value })}>
            <option value="">{t(lang, "auditAll")}</option>
            {knownActions.map((action) => (
              <option key={action} value={action}>
                {actionLabel(lang, action)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t(lang, "auditShow")}</button>
        <a className="button" href={auditQuery(filter, "csv")} download data-testid="audit-csv">
          {t(lang, "auditCsv")}
        </a>
      </form>
      {error && <p className="notice error">{t(lang, "actionFailed", { message: error })}</p>}
      {entries && entries.length === 0 && <p>{t(lang, "auditEmpty")}</p>}
      {entries && entries.length > 0 && (
        <table className="list" data-testid="audit-entries">
          <thead>
            <tr>
              <th>{t(lang, "colTime")}</th>
              <th>{t(lang, "colActor")}</th>
              <th>{t(lang, "colAction")}</th>
              <th>{t(lang, "colTarget")}</th>
              <th>{t(lang, "colOutcome")}</th>
              <th>{t(lang, "colAddress")}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.id} className={`outcome-${entry.outcome}`}>
                <td>{new Date(entry.time).toLocaleString(lang === "de" ? "de-DE" : "en-GB")}</td>
                <td>{actorLabel(lang, entry.actor)}</td>
                <td>{actionLabel(lang, entry.action)}</td>
                <td>{entry.target ?? ""}</td>
                <td>{t(lang, outcomes[entry.outcome])}</td>
                <td>{entry.address ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
