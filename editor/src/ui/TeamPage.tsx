/** Team accounts for administrators: invite, change roles, disable or enable, send a password reset link. */
import { type FormEvent, useCallback, useEffect, useState } from "react";
import type { TeamRole } from "../api/session-api.ts";
import type { Account, IssuedLink, TeamApi } from "../api/team-api.ts";
import { type MessageKey, t } from "../i18n/messages.ts";
import { roleLabels } from "../i18n/role-labels.ts";
import type { UiLanguage } from "../i18n/ui-language.ts";
import { RoleChoice } from "./RoleChoice.tsx";

const statusLabels: Record<Account["status"], MessageKey> = { invited: "accountInvited", active: "accountActive", disabled: "accountDisabled" };

function LinkBox({ lang, link, label }: { lang: UiLanguage; link: IssuedLink; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="notice ok link-box" data-testid="issued-link">
      <p>{label}</p>
      <code>{link.url}</code>{" "}
      <button
        type="button"
        className="small"
        onClick={() => {
          void navigator.clipboard?.writeText(link.url).then(() => setCopied(true));
        }}
      >
        {t(lang, "copy")}
      </button>
      {copied && <span> {t(lang, "copied")}</span>}
      {link.mailed && <p>{t(lang, "linkMailed")}</p>}
    </div>
  );
}

function AccountRow({ api, lang, account, onChanged, onLink }: { api: TeamApi; lang: UiLanguage; account: Account; onChanged(): void; onLink(link: IssuedLink, label: string): void }) {
  const [roles, setRoles] = useState<TeamRole[]>(account.roles);
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const run = (work: () => Promise<unknown>) =>
    work().then(
      () => {
        setError(undefined);
        onChanged();
      },
      (failure: unknown) => setError(t(lang, "actionFailed", { message: failure instanceof Error ? failure.message : String(failure) })),
    );
  return (
    <tr data-testid={`account-${account.email}`}>
      <td>
        {account.email}
        {account.singleSignOn && <small> ({t(lang, "singleSignOnAccount")})</small>}
      </td>
      <td>
        {editing ? (
          <RoleChoice lang={lang} roles={roles} onChange={setRoles} idPrefix={`edit-${account.id}`} />
        ) : (
          account.roles.map((role) => t(lang, roleLabels[role])).join(", ")
        )}
        {error && <p className="notice error">{error}</p>}
      </td>
      <td>{t(lang, statusLabels[account.status])}</td>
      <td className="actions">
        {editing ? (
          <button type="button" className="small" onClick={() => void run(() => api.updateAccount(account.id, { roles })).then(() => setEditing(false))}>
            {t(lang, "saveRoles")}
          </button>
        ) : (
          <button type="button" className="small" onClick={() => setEditing(true)}>
            {t(lang, "editRoles")}
          </button>
        )}
        {account.status === "disabled" ? (
          <button type="button" className="small" onClick={() => void run(() => api.updateAccount(account.id, { status: "active" }))}>
            {t(lang, "enable")}
          </button>
        ) : (
          <>
            <button type="button" className="small" onClick={() => void run(async () => onLink(await api.reset(account.id), t(lang, "resetLink", { email: account.email })))}>
              {t(lang, "resetPassword")}
            </button>
            <button
              type="button"
              className="small danger"
              data-testid={`disable-${account.email}`}
              onClick={() => {
                if (window.confirm(t(lang, "confirmDisable", { email: account.email }))) void run(() => api.updateAccount(account.id, { status: "disabled" }));
              }}
            >
              {t(lang, "disable")}
            </button>
          </>
        )}
      </td>
    </tr>
  );
}

export function TeamPage({ api, lang }: { api: TeamApi; lang: UiLanguage }) {
  const [accounts, setAccounts] = useState<Account[]>([]);
  const [email, setEmail] = useState("");
  const [roles, setRoles] = useState<TeamRole[]>(["editor"]);
  const [issued, setIssued] = useState<{ link: IssuedLink; label: string } | undefined>();
  const [error, setError] = useState<string | undefined>();
  const load = useCallback(() => {
    api.accounts().then(setAccounts, (failure: unknown) => setError(String(failure)));
  }, [api]);
  useEffect(load, [load]);

  const invite = (event: FormEvent) => {
    event.preventDefault();
    if (roles.length === 0) {
      setError(t(lang, "pickRole"));
      return;
    }
    const address = email.trim();
    api.invite(address, roles).then(
      (link) => {
        setIssued({ link, label: t(lang, "inviteLink", { email: address }) });
        setEmail("");
        setError(undefined);
        load();
      },
      (failure: unknown) => setError(t(lang, "actionFailed", { message: failure instanceof Error ? failure.message : String(failure) })),
    );
  };

  return (
    <section className="page" data-testid="team">
      <h1>{t(lang, "teamTitle")}</h1>
      <p className="form-help">{t(lang, "teamHelp")}</p>
      {issued && <LinkBox lang={lang} link={issued.link} label={issued.label} />}
      <table className="list">
        <thead>
          <tr>
            <th>{t(lang, "colEmail")}</th>
            <th>{t(lang, "colRoles")}</th>
            <th>{t(lang, "colStatus")}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {accounts.map((account) => (
            <AccountRow key={`${account.id}-${account.roles.join()}-${account.status}`} api={api} lang={lang} account={account} onChanged={load} onLink={(link, label) => setIssued({ link, label })} />
          ))}
        </tbody>
      </table>
      <form className="invite" onSubmit={invite}>
        <h2>{t(lang, "inviteTitle")}</h2>
        <p className="form-help">{t(lang, "inviteHelp")}</p>
        <label className="form-field">
          <span className="form-label">{t(lang, "email")}</span>
          <input type="email" data-testid="invite-email" required value={email} onChange={(event) => setEmail(event.target.value)} />
        </label>
        <RoleChoice lang={lang} roles={roles} onChange={setRoles} idPrefix="invite" />
        {error && (
          <p className="notice error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" data-testid="invite">
          {t(lang, "invite")}
        </button>
      </form>
    </section>
  );
}
