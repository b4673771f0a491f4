/** The sign-in page: e-mail and password, or the company account when single sign-on is set up. */
import { useEffect, useState } from "react";
import { ApiError } from "../api/http.ts";
import { signIn, signInOptions } from "../api/session-api.ts";
import { t } from "../i18n/messages.ts";
import type { UiLanguage } from "../i18n/ui-language.ts";

export function SignIn({ lang, onSignedIn }: { lang: UiLanguage; onSignedIn(): void }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [singleSignOn, setSingleSignOn] = useState(false);
  useEffect(() => {
    signInOptions().then(
      (options) => setSingleSignOn(options.singleSignOn),
      () => setSingleSignOn(false),
    );
  }, []);
  return (
    <form
      className="login"
      onSubmit={(event) => {
        event.preventDefault();
        setBusy(true);
        setError(undefined);
        signIn(email.trim(), password).then(
          () => onSignedIn(),
          (failure: unknown) => {
            setBusy(false);
            if (failure instanceof ApiError && failure.status === 429) setError(t(lang, "signInThrottled", { minutes: Math.max(1, Math.ceil((failure.retryAfter ?? 60) / 60)) }));
            else if (failure instanceof ApiError && failure.status === 401) setError(t(lang, "signInFailed"));
            else setError(t(lang, "actionFailed", { message: failure instanceof Error ? failure.message : String(failure) }));
          },
        );
      }}
    >
      <h1>{t(lang, "signInTitle")}</h1>
      <p className="form-help">{t(lang, "signInHelp")}</p>
      <label className="form-field">
        <span className="form-label">{t(lang, "email")}</span>
        <input data-testid="email" type="email" autoComplete="username" required value={email} onChange={(event) => setEmail(event.target.value)} />
      </label>
      <label className="form-field">
        <span className="form-label">{t(lang, "password")}</span>
        <input data-testid="password" type="password" autoComplete="current-password" required value={password} onChange={(event) => setPassword(event.target.value)} />
      </label>
      {error && (
        <p className="notice error" role="alert" data-testid="sign-in-error">
          {error}
        </p>
      )}
      <button type="submit" className="primary" data-testid="sign-in" disabled={busy}>
        {t(lang, "signIn")}
      </button>
      {singleSignOn && (
        <p className="sso">
          {t(lang, "signInOr")}{" "}
          <a className="button" href="/auth/oidc/login" data-testid="sign-in-sso">
            {t(lang, "signInSso")}
          </a>
        </p>
      )}
    </form>
  );
}
