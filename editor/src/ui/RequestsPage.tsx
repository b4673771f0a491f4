/**
 * "Anfragen" — the requests desk for the data protection officer (docs/privacy.md#the-dpos-pages):
 * a person who wrote by e-mail or letter is looked up by e-mail address, phone number or
 * messenger user id; the page shows what was found (flow, channel, start, the stored fields by
 * their labels — never values) or honestly that nothing is stored, and per request the deadline,
 * its extension with a reason, the one export file, correction of a field, erasure and what was
 * done. Open requests are listed by deadline, overdue ones marked.
 */
import { type FormEvent, useCallback, useEffect, useState } from "react";
import { ApiError } from "../api/http.ts";
import { type FoundConversation, type PrivacyApi, type PrivacyRequest, type RequestSubject, requestExportUrl } from "../api/privacy-api.ts";
import { t } from "../i18n/messages.ts";
import type { UiLanguage } from "../i18n/ui-language.ts";
import { channelName, date, dateTime, outcomeText } from "./privacy-words.ts";

type Kind = "email" | "phone" | "messenger";
const dayMs = 86_400_000;

function daysLeft(deadline: string, now: number): number {
  return Math.ceil((Date.parse(deadline) - now) / dayMs);
}

function Deadline({ lang, request, now }: { lang: UiLanguage; request: PrivacyRequest; now: number }) {
  if (request.status !== "open") return <span>{date(lang, request.deadline)}</span>;
  const left = daysLeft(request.deadline, now);
  return (
    <span className={left < 0 ? "deadline overdue" : request.reminder ? "deadline soon" : "deadline"}>
      {date(lang, request.deadline)} ·{" "}
      {left < 0 ? t(lang, "requestOverdue", { days: -left }) : left === 0 ? t(lang, "requestDueToday") : t(lang, "requestDaysLeft", { days: left })}
    </span>
  );
}

function Correction({ lang, conversation, onCorrect }: { lang: UiLanguage; conversation: FoundConversation; onCorrect: (field: string, value: string) => Promise<boolean> }) {
  const [field, setField] = useState(conversation.correctable[0]?.field ?? "");
  const [value, setValue] = useState("");
  if (conversation.correctable.length === 0) return null;
  return (
    <form
      className="inline-form"
      onSubmit={(event) => {
        event.preventDefault();
        void onCorrect(field, value).then((done) => done && setValue(""));
      }}
    >
      <label>
        {t(lang, "requestCorrectField")}{" "}
        <select value={field} onChange={(event) => setField(event.target.value)} data-testid={`correct-field-${conversation.id}`}>
          {conversation.correctable.map((item) => (
            <option key={item.field} value={item.field}>
              {item.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t(lang, "requestCorrectValue")} <input type="text" value={value} onChange={(event) => setValue(event.target.value)} required data-testid={`correct-value-${conversation.id}`} />
      </label>
      <button type="submit" data-testid={`correct-${conversation.id}`}>
        {t(lang, "requestCorrect")}
      </button>
    </form>
  );
}

export function RequestsPage({ api, lang, onShowLedger }: { api: PrivacyApi; lang: UiLanguage; onShowLedger: (person: string) => void }) {
  const [kind, setKind] = useState<Kind>("email");
  const [channel, setChannel] = useState("telegram");
  const [value, setValue] = useState("");
  const [requests, setRequests] = useState<PrivacyRequest[]>([]);
  const [selected, setSelected] = useState<PrivacyRequest | undefined>();
  const [reason, setReason] = useState("");
  const [notice, setNotice] = useState<{ text: string; error?: boolean } | undefined>();
  const [busy, setBusy] = useState(false);
  const now = Date.now();

  const failed = (failure: unknown) => {
    const text = failure instanceof ApiError && failure.status === 400 ? t(lang, "requestBadInput") : failure instanceof Error ? failure.message : String(failure);
    setNotice({ text: t(lang, "actionFailed", { message: text }), error: true });
  };

  const reload = useCallback(async () => {
    try {
      setRequests(await api.requests());
    } catch (failure) {
      setNotice({ text: failure instanceof Error ? failure.message : String(failure), error: true });
    }
  }, [api]);
  useEffect(() => void reload(), [reload]);

  const act = async (work: () => Promise<PrivacyRequest>, done?: string): Promise<boolean> => {
    setBusy(true);
    setNotice(undefined);
    try {
      const next = await work();
      setSelected(next);
      if (done) setNotice({ text: done });
      await reload();
      return true;
    } catch (failure) {
      failed(failure);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const search = (event: FormEvent) => {
    event.preventDefault();
    const subject: RequestSubject = kind === "email" ? { email: value } : kind === "phone" ? { phone: value } : { messenger: { channel, id: value } };
    void act(async () => {
      const opened = await api.open(subject);
      setValue("");
      if (opened.duplicate) setNotice({ text: t(lang, "requestDuplicate") });
      return opened;
    });
  };

  const open = requests.filter((request) => request.status === "open").sort((a, b) => Date.parse(a.deadline) - Date.parse(b.deadline));
  const closed = requests.filter((request) => request.status !== "open").reverse();

  const row = (request: PrivacyRequest) => (
    <tr key={request.id} className={selected?.id === request.id ? "selected" : request.status === "open" && daysLeft(request.deadline, now) < 0 ? "overdue-row" : undefined} data-testid={`request-${request.id}`}>
      <td>{request.id}</td>
      <td>{dateTime(lang, request.createdAt)}</td>
      <td>{t(lang, request.kind === "email" ? "requestKindEmail" : request.kind === "phone" ? "requestKindPhone" : "requestKindMessenger")}</td>
      <td>
        <Deadline lang={lang} request={request} now={now} />
      </td>
      <td>{request.outcomes.length > 0 ? outcomeText(lang, request.outcomes.at(-1)?.outcome ?? "") : t(lang, "requestNoOutcome")}</td>
      <td className="actions">
        <button type="button" className="small" onClick={() => setSelected(request)} data-testid={`show-request-${request.id}`}>
          {t(lang, "requestShow")}
        </button>
      </td>
    </tr>
  );

  const table = (list: PrivacyRequest[], testId: string) => (
    <table className="list" data-testid={testId}>
      <thead>
        <tr>
          <th>{t(lang, "requestColId")}</th>
          <th>{t(lang, "requestColCreated")}</th>
          <th>{t(lang, "requestColKind")}</th>
          <th>{t(lang, "requestColDeadline")}</th>
          <th>{t(lang, "requestColLast")}</th>
          <th />
        </tr>
      </thead>
      <tbody>{list.map(row)}</tbody>
    </table>
  );

  return (
    <section className="page" data-testid="requests">
      <h1>{t(lang, "requestsTitle")}</h1>
      <p className="form-help">{t(lang, "requestsHelp")}</p>
      <form className="filters" onSubmit={search}>
        <label>
          {t(lang, "requestSearchBy")}{" "}
          <select value={kind} onChange={(event) => setKind(event.target.value as Kind)} data-testid="request-kind">
            <option value="email">{t(lang, "requestKindEmail")}</option>
            <option value="phone">{t(lang, "requestKindPhone")}</option>
            <option value="messenger">{t(lang, "requestKindMessenger")}</option>
          </select>
        </label>
        {kind === "messenger" && (
          <label>
            {t(lang, "requestChannel")}{" "}
            <select value={channel} onChange={(event) => setChannel(event.target.value)} data-testid="request-channel">
              <option value="telegram">Telegram</option>
              <option value="whatsapp">WhatsApp</option>
              <option value="messenger">Facebook Messenger</option>
            </select>
          </label>
        )}
        <label>
          {t(lang, kind === "email" ? "requestValueEmail" : kind === "phone" ? "requestValuePhone" : "requestValueMessenger")}{" "}
          <input type={kind === "email" ? "email" : "text"} value={value} size={32} required onChange={(event) => setValue(event.target.value)} data-testid="request-value" />
        </label>
        <button type="submit" disabled={busy} data-testid="request-search">
          {t(lang, "requestSearch")}
        </button>
      </form>
      <p className="form-help">{t(lang, "requestSearchHelp")}</p>
      {notice && (
        <p className={notice.error ? "notice error" : "notice"} data-testid="request-notice">
          {notice.text}
        </p>
      )}

      {selected && (
        <div className="request-detail" data-testid="request-detail">
          <h2>{t(lang, "requestDetailTitle", { id: selected.id })}</h2>
          <p>
            {t(lang, "requestOpenedAt", { time: dateTime(lang, selected.createdAt) })} · {t(lang, "requestColDeadline")}: <Deadline lang={lang} request={selected} now={now} /> ·{" "}
            {selected.status === "open" ? t(lang, "requestStatusOpen") : t(lang, "requestStatusDone")}
          </p>
          {selected.extension && <p>{t(lang, "requestExtendedBecause", { reason: selected.extension.reason })}</p>}
          {selected.status === "open" && selected.conversations.length === 0 && (
            <p className="notice" data-testid="request-nothing">
              <strong>{t(lang, "requestNothingStored")}</strong> {t(lang, "requestNothingStoredHelp")}
            </p>
          )}
          {selected.conversations.length > 0 && (
            <table className="list" data-testid="request-conversations">
              <thead>
                <tr>
                  <th>{t(lang, "ledgerColFlow")}</th>
                  <th>{t(lang, "ledgerColChannel")}</th>
                  <th>{t(lang, "requestColStarted")}</th>
                  <th>{t(lang, "requestColFields")}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {selected.conversations.map((conversation) => (
                  <tr key={conversation.id}>
                    <td>{conversation.flow}</td>
                    <td>{channelName(lang, conversation.channel)}</td>
                    <td>{dateTime(lang, conversation.created)}</td>
                    <td>
                      {conversation.fields.length > 0 ? conversation.fields.join(", ") : t(lang, "requestNoFields")}
                      {selected.status === "open" && (
                        <Correction lang={lang} conversation={conversation} onCorrect={(field, newValue) => act(() => api.correct(selected.id, conversation.id, field, newValue), t(lang, "requestCorrected"))} />
                      )}
                    </td>
                    <td className="actions">
                      <button type="button" className="small" onClick={() => onShowLedger(conversation.person)}>
                        {t(lang, "requestShowProof")}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {selected.status === "open" && (
            <div className="request-actions">
              {selected.conversations.length > 0 && (
                <a className="button" href={requestExportUrl(selected.id)} download onClick={() => setTimeout(() => void reload(), 1000)} data-testid="request-export">
                  {t(lang, "requestExport")}
                </a>
              )}
              {selected.conversations.length > 0 && (
                <button
                  type="button"
                  className="danger"
                  disabled={busy}
                  data-testid="request-erase"
                  onClick={() => {
                    if (window.confirm(t(lang, "requestEraseConfirm", { count: selected.conversations.length }))) void act(() => api.erase(selected.id), t(lang, "requestErased"));
                  }}
                >
                  {t(lang, "requestErase", { count: selected.conversations.length })}
                </button>
              )}
              {selected.conversations.length === 0 && (
                <button type="button" disabled={busy} data-testid="request-close" onClick={() => void act(() => api.erase(selected.id), t(lang, "requestClosed"))}>
                  {t(lang, "requestClose")}
                </button>
              )}
              {!selected.extension && (
                <form
                  className="inline-form"
                  onSubmit={(event) => {
                    event.preventDefault();
                    void act(() => api.extend(selected.id, reason), t(lang, "requestExtended")).then((done) => done && setReason(""));
                  }}
                >
                  <label>
                    {t(lang, "requestExtendReason")} <input type="text" value={reason} size={36} required onChange={(event) => setReason(event.target.value)} data-testid="request-extend-reason" />
                  </label>
                  <button type="submit" disabled={busy} data-testid="request-extend">
                    {t(lang, "requestExtend")}
                  </button>
                </form>
              )}
            </div>
          )}
          <h3>{t(lang, "requestHistory")}</h3>
          <ul className="request-history" data-testid="request-history">
            <li>
              {dateTime(lang, selected.createdAt)}: {t(lang, "requestHistoryOpened")}
            </li>
            {selected.outcomes.map((outcome) => (
              <li key={`${outcome.at}-${outcome.outcome}`}>
                {dateTime(lang, outcome.at)}: {outcomeText(lang, outcome.outcome)}
              </li>
            ))}
            {selected.reminded?.week && <li>{t(lang, "requestRemindedWeek", { time: dateTime(lang, selected.reminded.week) })}</li>}
            {selected.reminded?.due && <li>{t(lang, "requestRemindedDue", { time: dateTime(lang, selected.reminded.due) })}</li>}
          </ul>
        </div>
      )}

      <h2>{t(lang, "requestsOpen", { count: open.length })}</h2>
      {open.length === 0 ? <p>{t(lang, "requestsNoneOpen")}</p> : table(open, "open-requests")}
      {closed.length > 0 && (
        <details>
          <summary>{t(lang, "requestsDone", { count: closed.length })}</summary>
          {table(closed, "done-requests")}
        </details>
      )}
    </section>
  );
}
