/**
 * The page behind a one-time link (`/invite/<token>`): the first administrator's set-up, an
 * invitation or a password reset. `GET` shows a form to choose a password (and, for set-up, the
 * e-mail address); `POST` to the same path with `password` (form-encoded or JSON) sets it and
 * answers 204 — or, for the form, sends the browser to the sign-in page. Plain HTML, no script,
 * under a strict Content-Security-Policy; German or English by the browser's language.
 */
import express, { type Request, type Response, Router } from "express";
import { type AccountService, PasswordRefusedError } from "../app/accounts/account-service.ts";
import { minimumPasswordLength } from "../app/accounts/password.ts";
import { AppError } from "../app/app-error.ts";
import { checkOrigin } from "./session-routes.ts";
import { clientAddress } from "./team-auth.ts";

type PageLanguage = "de" | "en";

const texts = {
  de: {
    title: { setup: "Botschaft einrichten", invite: "Willkommen bei Botschaft", reset: "Neues Passwort" },
    intro: {
      setup: "Legen Sie das erste Administrationskonto an. Danach laden Sie Ihr Team ein.",
      invite: "Sie wurden eingeladen. Wählen Sie Ihr Passwort für",
      reset: "Wählen Sie ein neues Passwort für",
    },
    email: "E-Mail-Adresse",
    password: "Passwort",
    passwordHelp: `Mindestens ${minimumPasswordLength} Zeichen. Ein ganzer Satz lässt sich gut merken.`,
    submit: "Passwort speichern",
    gone: "Dieser Link ist unbekannt, schon benutzt oder abgelaufen. Bitten Sie eine Administratorin oder einen Administrator um einen neuen.",
    done: "Ihr Passwort ist gespeichert. Sie können sich jetzt anmelden.",
    signIn: "Zur Anmeldung",
    errors: {
      "too-short": `Das Passwort braucht mindestens ${minimumPasswordLength} Zeichen.`,
      "too-long": "Das Passwort darf höchstens 256 Zeichen haben.",
      common: "Dieses Passwort gehört zu den häufigsten. Bitte wählen Sie ein anderes.",
      "like-email": "Das Passwort darf Ihre E-Mail-Adresse nicht enthalten.",
      email: "Bitte geben Sie eine gültige E-Mail-Adresse an.",
      other: "Das hat nicht geklappt:",
    },
  },
  en: {
    title: { setup: "Set up Botschaft", invite: "Welcome to Botschaft", reset: "New password" },
    intro: {
      setup: "Create the first administrator account. Then invite your team.",
      invite: "You have been invited. Choose your password for",
      reset: "Choose a new password for",
    },
    email: "E-mail address",
    password: "Password",
    passwordHelp: `At least ${minimumPasswordLength} characters. A whole sentence is easy to remember.`,
    submit: "Save password",
    gone: "This link is unknown, used or expired. Ask an administrator for a new one.",
    done: "Your password is saved. You can sign in now.",
    signIn: "Go to sign-in",
    errors: {
      "too-short": `The password needs at least ${minimumPasswordLength} characters.`,
      "too-long": "The password may have at most 256 characters.",
      common: "This password is among the most common ones. Please choose another.",
      "like-email": "The password must not contain your e-mail address.",
      email: "Please give a valid e-mail address.",
      other: "That did not work:",
    },
  },
} as const;

function languageOf(request: Request): PageLanguage {
  return request.acceptsLanguages("de", "en") === "en" ? "en" : "de";
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

const style =
  "body{font-family:system-ui,sans-serif;background:#f5f6f8;color:#1f2937;margin:0}main{max-width:440px;margin:48px auto;background:#fff;padding:28px;border-radius:10px;box-shadow:0 1px 4px #0002}" +
  "label{display:block;margin:14px 0 4px;font-weight:600}input{width:100%;box-sizing:border-box;font:inherit;padding:6px 8px;border:1px solid #9ca3af;border-radius:6px}" +
  "small{color:#4b5563}button,a.button{margin-top:18px;background:#2f6fdf;color:#fff;border:0;border-radius:6px;padding:8px 14px;font:inherit;cursor:pointer;text-decoration:none;display:inline-block}" +
  ".error{background:#fee2e2;color:#7f1d1d;padding:8px 10px;border-radius:6px}";

function page(response: Response, lang: PageLanguage, title: string, body: string, status = 200): void {
  response
    .status(status)
    .set({
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
      "cache-control": "no-store",
      "referrer-policy": "no-referrer",
      "x-content-type-options": "nosniff",
    })
    .send(`<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>${style}</style></head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`);
}

function form(lang: PageLanguage, purpose: "setup" | "invite" | "reset", email: string | undefined, error?: string): string {
  const t = texts[lang];
  const intro = purpose === "setup" ? `<p>${t.intro.setup}</p>` : `<p>${t.intro[purpose]} <strong>${escapeHtml(email ?? "")}</strong>.</p>`;
  const emailField =
    purpose === "setup" ? `<label for="email">${t.email}</label><input id="email" name="email" type="email" autocomplete="username" required value="${escapeHtml(email ?? "")}">` : "";
  return (
    `${intro}${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ""}<form method="post">${emailField}` +
    `<label for="password">${t.password}</label><input id="password" name="password" type="password" autocomplete="new-password" minlength="${minimumPasswordLength}" required aria-describedby="password-help">` +
    `<small id="password-help">${t.passwordHelp}</small><br><button type="submit">${t.submit}</button></form>`
  );
}

function errorText(lang: PageLanguage, error: unknown): string | undefined {
  const t = texts[lang].errors;
  if (error instanceof PasswordRefusedError) return t[error.problem];
  if (error instanceof AppError && error.code === "bad-request" && /e-mail/i.test(error.message)) return t.email;
  if (error instanceof AppError && error.code !== "not-found") return `${t.other} ${error.message}`;
  return undefined;
}

export function invitePage(accounts: AccountService, publicUrl: string | undefined): Router {
  const router = Router();
  router.use(express.urlencoded({ extended: false, limit: "8kb" }), express.json({ limit: "8kb" }));

  router.get("/invite/:token", async (request, response) => {
    const lang = languageOf(request);
    try {
      const link = await accounts.describeLink(String(request.params.token));
      page(response, lang, texts[lang].title[link.purpose], form(lang, link.purpose, link.email));
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== "not-found") throw error;
      page(response, lang, texts[lang].title.invite, `<p class="error" role="alert">${texts[lang].gone}</p>`, 404);
    }
  });

  router.post("/invite/:token", async (request, response) => {
    const lang = languageOf(request);
    const isForm = request.is("application/x-www-form-urlencoded") !== false;
    const body = (request.body ?? {}) as { password?: unknown; email?: unknown };
    const token = String(request.params.token);
    try {
      checkOrigin(request, publicUrl);
      if (typeof body.password !== "string") throw new AppError("bad-request", "Send `password`.");
      await accounts.acceptLink(token, body.password, typeof body.email === "string" ? body.email : undefined, clientAddress(request));
    } catch (error) {
      if (!isForm) throw error;
      const message = errorText(lang, error);
      if (message === undefined) {
        if (error instanceof AppError) return page(response, lang, texts[lang].title.invite, `<p class="error" role="alert">${texts[lang].gone}</p>`, 404);
        throw error;
      }
      const link = await accounts.describeLink(token).catch(() => undefined);
      const purpose = link?.purpose ?? "invite";
      return page(response, lang, texts[lang].title[purpose], form(lang, purpose, link?.email ?? (typeof body.email === "string" ? body.email : undefined), message), 400);
    }
    if (isForm) return response.redirect(303, "/editor/");
    response.status(204).end();
  });
  return router;
}
