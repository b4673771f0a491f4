/**
 * "Embed on your website": the web widget's snippet for the open flow, from the runtime's
 * `GET /widget/snippet/:flow`, with a few theme options, a copy button and the CSP lines.
 * The snippet is shown as text only; it is never put into this page as HTML.
 */
import { type Dispatch, type SetStateAction, useEffect, useRef, useState } from "react";
import { cspLines, type EmbedOptions, type EmbedPosition, type EmbedSnippet, fetchSnippet, maxOptionLength } from "../embed/embed-snippet.ts";
import { t } from "../i18n/messages.ts";
import type { UiLanguage } from "../i18n/ui-language.ts";

export type PublishStatus = "statusPublished" | "statusDraft" | "statusUnpublished";

/** The widget's default accent (runtime/widget/src/theme.ts), shown until a colour is picked. */
const defaultColour = "#0b5cad";

function CopyBlock({ text, lang, testId, label }: { text: string; lang: UiLanguage; testId: string; label: string }) {
  const block = useRef<HTMLPreElement>(null);
  // Which text the last copy was for, so a re-fetched snippet does not claim to be copied.
  const [done, setDone] = useState<{ text: string; how: "copied" | "selected" } | undefined>();
  const state = done?.text === text ? done.how : undefined;

  const copy = async () => {
    try {
      if (!navigator.clipboard) throw new Error("no clipboard");
      await navigator.clipboard.writeText(text);
      setDone({ text, how: "copied" });
    } catch {
      // Without clipboard access (plain http, a denied permission) the text is selected instead.
      const selection = window.getSelection();
      if (block.current && selection) selection.selectAllChildren(block.current);
      setDone({ text, how: "selected" });
    }
  };

  return (
    <div className="copy-block">
      <div className="copy-head">
        <span className="form-label">{label}</span>
        <button type="button" className="small" data-testid={`${testId}-copy`} onClick={() => void copy()}>
          {t(lang, "copy")}
        </button>
        <span className="form-help" role="status" data-testid={`${testId}-copy-state`}>
          {state === "copied" ? t(lang, "copied") : state === "selected" ? t(lang, "copySelected") : ""}
        </span>
      </div>
      <pre ref={block} className="code-block" data-testid={testId}>
        <code>{text}</code>
      </pre>
    </div>
  );
}

const noOptions: EmbedOptions = {};

/** The theme choices; kept by the flow editor, so they survive a look at the canvas. */
export function useEmbedOptions() {
  return useState<EmbedOptions>(noOptions);
}

export function EmbedPanel({
  flow,
  status,
  version,
  lang,
  options,
  setOptions,
}: {
  flow: string;
  status: PublishStatus;
  version: string | null;
  lang: UiLanguage;
  options: EmbedOptions;
  setOptions: Dispatch<SetStateAction<EmbedOptions>>;
}) {
  // What was last asked for; the title waits until typing pauses.
  const [requested, setRequested] = useState<EmbedOptions>(options);
  const [snippet, setSnippet] = useState<EmbedSnippet | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [loading, setLoading] = useState(false);
  const live = status !== "statusUnpublished";

  useEffect(() => {
    const timer = setTimeout(() => setRequested(options), 350);
    return () => clearTimeout(timer);
  }, [options]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new published version fetches again
  useEffect(() => {
    if (!live) return;
    const abort = new AbortController();
    setLoading(true);
    fetchSnippet(flow, requested, abort.signal)
      .then((next) => {
        setSnippet(next);
        setError(undefined);
      })
      .catch((failure: unknown) => {
        if (abort.signal.aborted) return;
        setError(failure instanceof Error ? failure.message : String(failure));
      })
      .finally(() => {
        if (!abort.signal.aborted) setLoading(false);
      });
    return () => abort.abort();
  }, [flow, requested, live, version]);

  const set = (change: Partial<EmbedOptions>) => setOptions((current) => ({ ...current, ...change }));

  return (
    <section className="embed" data-testid="embed-panel" aria-labelledby="embed-title">
      <h2 id="embed-title">{t(lang, "embedTitle")}</h2>
      <p>{t(lang, "embedIntro")}</p>
      <p>
        {t(lang, "embedTwoClick")}{" "}
        <a href={`/demo?flow=${encodeURIComponent(flow)}`} target="_blank" rel="noopener" data-testid="embed-demo">
          {t(lang, "embedDemo")}
        </a>
      </p>
      {!live ? (
        <p className="notice" role="status" data-testid="embed-publish-first">
          {t(lang, "embedPublishFirst")}
        </p>
      ) : (
        <>
          {status === "statusDraft" && (
            <p className="notice" role="status" data-testid="embed-publish-first">
              {t(lang, "embedPublishDraft")}
            </p>
          )}
          <fieldset className="form-group embed-options">
            <legend>{t(lang, "embedAppearance")}</legend>
            <label className="form-field">
              <span className="form-label">{t(lang, "embedLanguage")}</span>
              <select data-testid="embed-lang" value={options.lang ?? ""} onChange={(event) => set({ lang: event.target.value === "de" || event.target.value === "en" ? event.target.value : undefined })}>
                <option value="">{t(lang, "embedAsFlow")}</option>
                <option value="de">Deutsch</option>
                <option value="en">English</option>
              </select>
            </label>
            <label className="form-field">
              <span className="form-label">{t(lang, "embedWindowTitle")}</span>
              <input
                data-testid="embed-title"
                value={options.title ?? ""}
                maxLength={maxOptionLength}
                placeholder={t(lang, "embedAsFlow")}
                onChange={(event) => set({ title: event.target.value })}
              />
            </label>
            <label className="form-field">
              <span className="form-label">{t(lang, "embedColour")}</span>
              <span className="row">
                <input type="color" className="colour" data-testid="embed-color" value={options.color ?? defaultColour} onChange={(event) => set({ color: event.target.value })} />
                <code>{options.color ?? defaultColour}</code>
              </span>
            </label>
            <label className="form-field">
              <span className="form-label">{t(lang, "embedPosition")}</span>
              <select data-testid="embed-position" value={options.position ?? "right"} onChange={(event) => set({ position: event.target.value as EmbedPosition })}>
                <option value="right">{t(lang, "embedPositionRight")}</option>
                <option value="left">{t(lang, "embedPositionLeft")}</option>
                <option value="inline">{t(lang, "embedPositionInline")}</option>
              </select>
            </label>
            <label className="form-field">
              <span className="form-label">{t(lang, "embedLauncher")}</span>
              <select data-testid="embed-launcher" value={options.launcher ?? "card"} onChange={(event) => set({ launcher: event.target.value === "compact" ? "compact" : undefined })}>
                <option value="card">{t(lang, "embedLauncherCard")}</option>
                <option value="compact">{t(lang, "embedLauncherCompact")}</option>
              </select>
            </label>
            <label className="form-field">
              <span className="form-label">{t(lang, "embedAvatar")}</span>
              <input data-testid="embed-avatar" type="url" value={options.avatar ?? ""} maxLength={maxOptionLength} placeholder="https://…" onChange={(event) => set({ avatar: event.target.value })} />
              <span className="form-help">{t(lang, "embedAvatarHelp")}</span>
            </label>
          </fieldset>
          {error && (
            <p className="notice error" role="alert" data-testid="embed-error">
              {t(lang, "embedFailed", { message: error })}
            </p>
          )}
          {!snippet && loading && <p className="notice">{t(lang, "embedLoading")}</p>}
          {snippet && (
            <div aria-busy={loading}>
              <CopyBlock text={snippet.html} lang={lang} testId="embed-snippet" label={t(lang, "embedSnippet")} />
              <p className="form-help">{t(lang, "embedPaste", { bytes: snippet.bytes })}</p>
              <CopyBlock text={cspLines(snippet.cspDirectives).join(";\n")} lang={lang} testId="embed-csp" label="Content-Security-Policy" />
              <p className="form-help">{t(lang, "embedCspHelp")}</p>
            </div>
          )}
        </>
      )}
    </section>
  );
}
