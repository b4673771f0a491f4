/**
 * "Nachweise" — the proof ledger for the data protection officer (docs/privacy.md#the-dpos-pages):
 * the entries newest first, a page at a time; one person's entries by their pseudonym; the
 * export for an auditor as CSV or JSON; the chain's verification, and — after a break — the
 * administrator's acknowledgement that lets new entries chain on.
 */
import { type FormEvent, useCallback, useEffect, useState } from "react";
import { type LedgerEntry, type LedgerStatus, ledgerExportUrl, type PrivacyApi, type VerifyResult } from "../api/privacy-api.ts";
import { t } from "../i18n/messages.ts";
import type { UiLanguage } from "../i18n/ui-language.ts";
import { breakText, brokenEntryText, channelName, dateTime, ledgerDetail, ledgerType, shortPseudonym } from "./privacy-words.ts";

const pageSize = 50;

function messageOf(failure: unknown): string {
  return failure instanceof Error ? failure.message : String(failure);
}

export function LedgerPage({ api, lang, canAcknowledge, person: initialPerson }: { api: PrivacyApi; lang: UiLanguage; canAcknowledge: boolean; person?: string }) {
  const [status, setStatus] = useState<LedgerStatus | undefined>();
  const [entries, setEntries] = useState<LedgerEntry[] | undefined>();
  const [page, setPage] = useState(0);
  const [person, setPerson] = useState(initialPerson ?? "");
  const [personInput, setPersonInput] = useState(initialPerson ?? "");
  const [verified, setVerified] = useState<VerifyResult | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const entriesFor = useCallback(
    async (current: LedgerStatus): Promise<LedgerEntry[]> => {
      if (person) return (await api.ledgerPage(0, 500, person)).reverse();
      const head = current.head?.seq ?? 0;
      const first = (current.checkpoint?.seq ?? 0) + 1;
      const to = head - page * pageSize;
      if (to < first) return [];
      const from = Math.max(first, to - pageSize + 1);
      return (await api.ledgerPage(from, to - from + 1)).reverse();
    },
    [api, page, person],
  );

  const load = useCallback(async () => {
    try {
      // Status and entries are shown together, so the count never describes rows not yet loaded.
      const current = await api.ledgerStatus();
      setEntries(await entriesFor(current));
      setStatus(current);
    } catch (failure) {
      setError(messageOf(failure));
    }
  }, [api, entriesFor]);
  useEffect(() => void load(), [load]);

  const head = status?.head?.seq ?? 0;
  const first = (status?.checkpoint?.seq ?? 0) + 1;
  const olderExists = !person && head - (page + 1) * pageSize >= first;

  const lookUp = (event: FormEvent) => {
    event.preventDefault();
    setPage(0);
    setPerson(personInput.trim());
  };

  const verify = async () => {
    setBusy(true);
    try {
      setVerified(await api.verify());
      await load();
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };

  const acknowledge = async () => {
    if (!window.confirm(t(lang, "ledgerAcknowledgeConfirm"))) return;
    setBusy(true);
    try {
      await api.acknowledge();
      setVerified(undefined);
      await load();
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="page" data-testid="ledger">
      <h1>{t(lang, "ledgerTitle")}</h1>
      <p className="form-help">{t(lang, "ledgerHelp")}</p>

      <div className={status?.halted ? "notice error" : "notice"} data-testid="ledger-status">
        {status?.halted ? (
          <>
            <strong>{t(lang, "ledgerHalted", { what: breakText(lang, status.halted.reason), since: dateTime(lang, status.halted.since) })}</strong>{" "}
            {canAcknowledge ? t(lang, "ledgerHaltedAdmin") : t(lang, "ledgerHaltedAskAdmin")}
          </>
        ) : verified ? (
          verified.ok ? (
            t(lang, "ledgerIntact", { count: verified.entries })
          ) : (
            t(lang, "ledgerBroken", { what: verified.broken ? brokenEntryText(lang, verified.broken) : "" })
          )
        ) : (
          t(lang, "ledgerCount", { count: Math.max(0, head - first + 1) })
        )}{" "}
        <button type="button" className="small" onClick={() => void verify()} disabled={busy} data-testid="ledger-verify">
          {t(lang, "ledgerVerify")}
        </button>
        {status?.halted && canAcknowledge && (
          <button type="button" className="small danger" onClick={() => void acknowledge()} disabled={busy} data-testid="ledger-acknowledge">
            {t(lang, "ledgerAcknowledge")}
          </button>
        )}
      </div>

      <form className="filters" onSubmit={lookUp}>
        <label>
          {t(lang, "ledgerPerson")} <input type="text" value={personInput} size={48} onChange={(event) => setPersonInput(event.target.value)} data-testid="ledger-person" />
        </label>
        <button type="submit" data-testid="ledger-look-up">
          {t(lang, "ledgerLookUp")}
        </button>
        {person && (
          <button
            type="button"
            onClick={() => {
              setPersonInput("");
              setPerson("");
            }}
          >
            {t(lang, "ledgerShowAll")}
          </button>
        )}
        <span className="spacer" />
        <a className="button" href={ledgerExportUrl("csv", person || undefined)} download data-testid="ledger-csv">
          {t(lang, "ledgerExportCsv")}
        </a>
        <a className="button" href={ledgerExportUrl("json", person || undefined)} download data-testid="ledger-json">
          {t(lang, "ledgerExportJson")}
        </a>
      </form>
      <p className="form-help">{person ? t(lang, "ledgerPersonShown") : t(lang, "ledgerPersonHelp")}</p>

      {error && <p className="notice error">{t(lang, "actionFailed", { message: error })}</p>}
      {entries && entries.length === 0 && <p>{person ? t(lang, "ledgerPersonEmpty") : t(lang, "ledgerEmpty")}</p>}
      {entries && entries.length > 0 && (
        <table className="list" data-testid="ledger-entries">
          <thead>
            <tr>
              <th>{t(lang, "ledgerColNumber")}</th>
              <th>{t(lang, "colTime")}</th>
              <th>{t(lang, "ledgerColType")}</th>
              <th>{t(lang, "ledgerColDecision")}</th>
              <th>{t(lang, "ledgerColPurpose")}</th>
              <th>{t(lang, "ledgerColFlow")}</th>
              <th>{t(lang, "ledgerColChannel")}</th>
              <th>{t(lang, "ledgerColPerson")}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.seq} data-type={entry.type}>
                <td>{entry.seq}</td>
                <td>{dateTime(lang, entry.time)}</td>
                <td>{ledgerType(lang, entry.type)}</td>
                <td>{ledgerDetail(lang, entry)}</td>
                <td>{entry.purpose ?? ""}</td>
                <td>{entry.flow ?? ""}</td>
                <td>{channelName(lang, entry.channel)}</td>
                <td>
                  {entry.person && (
                    <button
                      type="button"
                      className="link"
                      title={entry.person}
                      onClick={() => {
                        setPersonInput(entry.person ?? "");
                        setPerson(entry.person ?? "");
                      }}
                    >
                      {shortPseudonym(entry.person)}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {!person && (page > 0 || olderExists) && (
        <div className="pager">
          <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)} data-testid="ledger-newer">
            {t(lang, "ledgerNewer")}
          </button>
          <span>{t(lang, "ledgerPageOf", { page: page + 1, pages: Math.max(1, Math.ceil((head - first + 1) / pageSize)) })}</span>
          <button type="button" disabled={!olderExists} onClick={() => setPage(page + 1)} data-testid="ledger-older">
            {t(lang, "ledgerOlder")}
          </button>
        </div>
      )}
    </section>
  );
}
