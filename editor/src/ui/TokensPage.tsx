/** API tokens for scripts and CI (administrators): create with a name and roles — shown once — list, revoke. */
import { type FormEvent, useCallback, useEffect, useState } from "react";
import type { TeamRole } from "../api/session-api.ts";
import type { ApiToken, TeamApi } from "../api/team-api.ts";
import { t } from "../i18n/messages.ts";
import { roleLabels } from "../i18n/role-labels.ts";
import type { UiLanguage } from "../i18n/ui-language.ts";
import { RoleChoice } from "./RoleChoice.tsx";

export function TokensPage({ api, lang }: { api: TeamApi; lang: UiLanguage }) {
  const [tokens, setTokens] = useState<ApiToken[]>([]);
  const [name, setName] = useState("");
  const [roles, setRoles] = useState<TeamRole[]>(["editor"]);
  const [created, setCreated] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const load = useCallback(() => {
    api.tokens().then(setTokens, (failure: unknown) => setError(String(failure)));
  }, [api]);
  useEffect(load, [load]);
  const fail = (failure: unknown) => setError(t(lang, "actionFailed", { message: failure instanceof Error ? failure.message : String(failure) }));

  const create = (event: FormEvent) => {
    event.preventDefault();
    if (roles.length === 0) {
      setError(t(lang, "pickRole"));
      return;
    }
    api.createToken(name.trim(), roles).then((token) => {
      setCreated(token.token);
      setName("");
      setError(undefined);
      load();
    }, fail);
  };

  return (
    <section className="page" data-testid="tokens">
      <h1>{t(lang, "tokensTitle")}</h1>
      <p className="form-help">{t(lang, "tokensHelp")}</p>
      {created && (
        <div className="notice ok link-box" data-testid="created-token">
          <p>{t(lang, "tokenCreated")}</p>
          <code>{created}</code>
        </div>
      )}
      {tokens.length === 0 ? (
        <p>{t(lang, "tokensEmpty")}</p>
      ) : (
        <table className="list">
          <thead>
            <tr>
              <th>{t(lang, "tokenName")}</th>
              <th>{t(lang, "colRoles")}</th>
              <th>{t(lang, "colCreated")}</th>
              <th>{t(lang, "colCreatedBy")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {tokens.map((token) => (
              <tr key={token.id}>
                <td>{token.name}</td>
                <td>{token.roles.map((role) => t(lang, roleLabels[role])).join(", ")}</td>
                <td>{new Date(token.createdAt).toLocaleDateString(lang === "de" ? "de-DE" : "en-GB")}</td>
                <td>{token.createdBy}</td>
                <td>
                  <button
                    type="button"
                    className="small danger"
                    onClick={() => {
                      if (window.confirm(t(lang, "confirmRevoke", { name: token.name }))) api.revokeToken(token.id).then(load, fail);
                    }}
                  >
                    {t(lang, "revoke")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="invite" onSubmit={create}>
        <h2>{t(lang, "createToken")}</h2>
        <label className="form-field">
          <span className="form-label">{t(lang, "tokenName")}</span>
          <input type="text" required maxLength={80} value={name} onChange={(event) => setName(event.target.value)} />
        </label>
        <RoleChoice lang={lang} roles={roles} onChange={setRoles} idPrefix="token" />
        {error && (
          <p className="notice error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary">
          {t(lang, "createToken")}
        </button>
      </form>
    </section>
  );
}
