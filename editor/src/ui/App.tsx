/** The editor shell: log in with the admin token, pick a flow, edit it; UI language switch. */
import { useEffect, useState } from "react";
import { checkFlowValue } from "../../../runtime/core/index.ts";
import { EditorApi } from "../api/editor-api.ts";
import { t } from "../i18n/messages.ts";
import { defaultUiLanguage, type UiLanguage } from "../i18n/ui-language.ts";
import { FlowEditor } from "./FlowEditor.tsx";
import { FlowList } from "./FlowList.tsx";

function Login({ lang, onLogin }: { lang: UiLanguage; onLogin(api: EditorApi): void }) {
  const [token, setToken] = useState("");
  const [failed, setFailed] = useState(false);
  return (
    <form
      className="login"
      onSubmit={(event) => {
        event.preventDefault();
        const api = new EditorApi(token.trim());
        api.files().then(
          () => onLogin(api),
          () => setFailed(true),
        );
      }}
    >
      <h1>{t(lang, "loginTitle")}</h1>
      <p className="form-help">{t(lang, "loginHelp")}</p>
      <label className="form-field">
        <span className="form-label">{t(lang, "adminToken")}</span>
        <input data-testid="token" type="password" autoComplete="off" value={token} onChange={(event) => setToken(event.target.value)} />
      </label>
      {failed && (
        <p className="notice error" role="alert">
          {t(lang, "loginFailed")}
        </p>
      )}
      <button type="submit" className="primary" data-testid="login">
        {t(lang, "logIn")}
      </button>
    </form>
  );
}

export function App() {
  const [lang, setLang] = useState<UiLanguage>(() => defaultUiLanguage(navigator.languages ?? [navigator.language]));
  // The token stays in memory only: a reload asks for it again.
  const [api, setApi] = useState<EditorApi | undefined>();
  const [open, setOpen] = useState<string | undefined>();
  useEffect(() => {
    // The validator compiles its schemas on first use; doing that now keeps it out of opening a flow.
    const warm = setTimeout(() => checkFlowValue({ flow: "warm-up", nodes: { a: { type: "end" } } }), 0);
    return () => clearTimeout(warm);
  }, []);
  return (
    <div className="app" lang={lang}>
      <header className="app-bar">
        <span className="brand">✉ {t(lang, "appTitle")}</span>
        <span className="spacer" />
        <label>
          {t(lang, "language")}{" "}
          <select data-testid="ui-language" value={lang} onChange={(event) => setLang(event.target.value === "de" ? "de" : "en")}>
            <option value="de">Deutsch</option>
            <option value="en">English</option>
          </select>
        </label>
        {api && (
          <button
            type="button"
            className="small"
            onClick={() => {
              setApi(undefined);
              setOpen(undefined);
            }}
          >
            {t(lang, "logOut")}
          </button>
        )}
      </header>
      {!api ? (
        <Login lang={lang} onLogin={setApi} />
      ) : open ? (
        <FlowEditor key={open} api={api} id={open} lang={lang} onBack={() => setOpen(undefined)} />
      ) : (
        <FlowList api={api} lang={lang} onOpen={setOpen} />
      )}
    </div>
  );
}
