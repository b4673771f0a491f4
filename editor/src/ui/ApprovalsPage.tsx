/**
 * Four-eyes publishing: the requests, and for one the review a data protection officer decides
 * on — the check's findings, the changes against the live version, and how the generated privacy
 * texts change — with approve, reject (with a reason) and, for the requester, withdraw.
 */
import { useCallback, useEffect, useState } from "react";
import { can, type SignedIn } from "../api/session-api.ts";
import type { PublishRequest, PublishReview, TeamApi } from "../api/team-api.ts";
import { type MessageKey, t } from "../i18n/messages.ts";
import type { UiLanguage } from "../i18n/ui-language.ts";
import { DiffView } from "./DiffView.tsx";

const statusLabels: Record<PublishRequest["status"], MessageKey> = {
  pending: "requestPending",
  approved: "requestApproved",
  rejected: "requestRejected",
  withdrawn: "requestWithdrawn",
};

function when(iso: string, lang: UiLanguage): string {
  return new Date(iso).toLocaleString(lang === "de" ? "de-DE" : "en-GB", { dateStyle: "medium", timeStyle: "short" });
}

function Review({ api, id, lang, session, onDecided }: { api: TeamApi; id: string; lang: UiLanguage; session: SignedIn; onDecided(): void }) {
  const [review, setReview] = useState<PublishReview | undefined>();
  const [reason, setReason] = useState("");
  const [notice, setNotice] = useState<{ kind: "ok" | "error"; text: string } | undefined>();
  useEffect(() => {
    api.review(id, lang).then(setReview, (error: unknown) => setNotice({ kind: "error", text: t(lang, "actionFailed", { message: String(error instanceof Error ? error.message : error) }) }));
  }, [api, id, lang]);
  if (!review) return notice ? <p className={`notice ${notice.kind}`}>{notice.text}</p> : null;
  const { request } = review;
  const own = request.requestedBy === session.name;
  const decide = (work: () => Promise<unknown>, done: MessageKey) =>
    work().then(
      () => {
        setNotice({ kind: "ok", text: t(lang, done) });
        onDecided();
      },
      (error: unknown) => setNotice({ kind: "error", text: t(lang, "actionFailed", { message: error instanceof Error ? error.message : String(error) }) }),
    );
  const textLang = lang;
  return (
    <section className="review" data-testid="review">
      <h2>
        {request.flow} · {t(lang, statusLabels[request.status])}
      </h2>
      <p className="form-help">
        {t(lang, "colRequestedBy")}: {request.requestedBy}, {when(request.requestedAt, lang)}
        {request.decidedBy && ` · ${t(lang, "decidedBy", { status: t(lang, statusLabels[request.status]), who: request.decidedBy, when: when(request.decidedAt ?? request.requestedAt, lang) })}`}
        {request.reason && ` · ${request.reason}`}
      </p>
      <h3>{t(lang, "reviewFindings")}</h3>
      {review.problems.length === 0 ? (
        <p>{t(lang, "noFindings")}</p>
      ) : (
        <ul className="findings">
          {review.problems.map((problem) => (
            <li key={`${problem.rule}-${problem.line}-${problem.column}`}>{problem.message}</li>
          ))}
        </ul>
      )}
      <h3>{t(lang, "reviewChanges")}</h3>
      {!review.live && <p className="form-help">{t(lang, "reviewFirst")}</p>}
      <DiffView before={review.live?.yaml ?? ""} after={request.yaml} />
      <h3>{t(lang, "reviewPrivacy")}</h3>
      {review.live?.privacy.policy[textLang] === review.proposed.privacy.policy[textLang] ? (
        <p>{t(lang, "unchanged")}</p>
      ) : (
        <DiffView before={review.live?.privacy.policy[textLang] ?? ""} after={review.proposed.privacy.policy[textLang]} />
      )}
      <h3>{t(lang, "reviewRecord")}</h3>
      {review.live?.privacy.record[textLang] === review.proposed.privacy.record[textLang] ? (
        <p>{t(lang, "unchanged")}</p>
      ) : (
        <DiffView before={review.live?.privacy.record[textLang] ?? ""} after={review.proposed.privacy.record[textLang]} />
      )}
      {notice && (
        <p className={`notice ${notice.kind}`} role="status" data-testid="review-notice">
          {notice.text}
        </p>
      )}
      {request.status === "pending" && (
        <div className="decision">
          {own ? (
            <>
              <p className="form-help">{t(lang, "ownRequest")}</p>
              <button type="button" data-testid="withdraw" onClick={() => void decide(() => api.withdraw(request.id), "requestWithdrawn")}>
                {t(lang, "withdraw")}
              </button>
            </>
          ) : (
            can(session, "publish.approve") && (
              <>
                <button type="button" className="primary" data-testid="approve" onClick={() => void decide(() => api.approve(request.id), "approvedNotice")}>
                  {t(lang, "approve")}
                </button>
                <label className="form-field">
                  <span className="form-label">{t(lang, "rejectReason")}</span>
                  <textarea data-testid="reject-reason" rows={2} value={reason} onChange={(event) => setReason(event.target.value)} />
                </label>
                <button
                  type="button"
                  className="danger"
                  data-testid="reject"
                  onClick={() => {
                    if (reason.trim() === "") setNotice({ kind: "error", text: t(lang, "rejectNeedsReason") });
                    else void decide(() => api.reject(request.id, reason.trim()), "rejectedNotice");
                  }}
                >
                  {t(lang, "reject")}
                </button>
              </>
            )
          )}
        </div>
      )}
    </section>
  );
}

export function ApprovalsPage({ api, lang, session }: { api: TeamApi; lang: UiLanguage; session: SignedIn }) {
  const [state, setState] = useState<{ approvalRequired: boolean; requests: PublishRequest[] } | undefined>();
  const [selected, setSelected] = useState<string | undefined>();
  const load = useCallback(() => {
    api.approvals().then(setState, () => setState({ approvalRequired: false, requests: [] }));
  }, [api]);
  useEffect(load, [load]);
  if (!state) return null;
  return (
    <section className="page" data-testid="approvals">
      <h1>{t(lang, "approvalsTitle")}</h1>
      <p className="form-help">{t(lang, state.approvalRequired ? "approvalsHelp" : "approvalsOff")}</p>
      {state.requests.length === 0 ? (
        <p>{t(lang, "approvalsEmpty")}</p>
      ) : (
        <table className="list">
          <thead>
            <tr>
              <th>{t(lang, "colFlow")}</th>
              <th>{t(lang, "colRequestedBy")}</th>
              <th>{t(lang, "colWhen")}</th>
              <th>{t(lang, "colStatus")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {state.requests.map((request) => (
              <tr key={request.id} data-testid={`request-${request.flow}`}>
                <td>{request.flow}</td>
                <td>{request.requestedBy}</td>
                <td>{when(request.requestedAt, lang)}</td>
                <td>
                  <span className={`status status-request-${request.status}`}>{t(lang, statusLabels[request.status])}</span>
                </td>
                <td>
                  <button type="button" className="small" data-testid={`review-${request.flow}`} onClick={() => setSelected(request.id)}>
                    {t(lang, "review")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {selected && <Review key={selected} api={api} id={selected} lang={lang} session={session} onDecided={load} />}
    </section>
  );
}
