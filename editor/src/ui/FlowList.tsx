/** The flows in `flows/`: open, create (blank or from an example), rename, duplicate, delete. */
import { useCallback, useEffect, useState } from "react";
import type { EditorApi, FileEntry } from "../api/editor-api.ts";
import { t } from "../i18n/messages.ts";
import type { UiLanguage } from "../i18n/ui-language.ts";
import { blankFlowText } from "../model/blank-flow.ts";

const idPattern = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export function FlowList({
  api,
  lang,
  canEdit,
  onOpen,
}: {
  api: EditorApi;
  lang: UiLanguage;
  canEdit: boolean;
  onOpen(id: string): void;
}) {
  const [files, setFiles] = useState<FileEntry[]>([]);
  const [examples, setExamples] = useState<{ id: string; title: string }[]>([]);
  const [example, setExample] = useState("");
  const [newId, setNewId] = useState("");
  const [error, setError] = useState<string | undefined>();

  const refresh = useCallback(async () => {
    try {
      setFiles(await api.files());
      setExamples(await api.examples());
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  }, [api]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const run = async (action: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await action();
      await refresh();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };

  const askId = (id: string) => {
    const answer = window.prompt(t(lang, "askNewId", { id }), `${id}-2`);
    return answer !== null && idPattern.test(answer) ? answer : undefined;
  };

  /** A click handler that asks for a new id and, when one is given, runs `action` with it. */
  const underNewId = (id: string, action: (to: string) => Promise<unknown>) => () => {
    const to = askId(id);
    if (to) void run(() => action(to));
  };

  return (
    <div className="flow-list">
      <h1>{t(lang, "flows")}</h1>
      {error && (
        <p className="notice error" role="alert">
          {error}
        </p>
      )}
      {files.length === 0 && <p>{t(lang, "noFlows")}</p>}
      <ul data-testid="flow-files">
        {files.map((file) => {
          const status =
            file.published === null
              ? "statusUnpublished"
              : file.published === file.hash
                ? "statusPublished"
                : "statusDraft";
          return (
            <li key={file.id} className="flow-file">
              <button type="button" className="link" onClick={() => onOpen(file.id)} data-testid={`open-${file.id}`}>
                {file.id}.yaml
              </button>
              <span className={`status status-${status}`}>{t(lang, status)}</span>
              <span className="spacer" />
              <button type="button" className="small" onClick={() => onOpen(file.id)}>
                {t(lang, "open")}
              </button>
              {canEdit && (
                <>
                  <button
                    type="button"
                    className="small"
                    onClick={underNewId(file.id, (to) => api.rename(file.id, to, file.hash))}
                  >
                    {t(lang, "rename")}
                  </button>
                  <button
                    type="button"
                    className="small"
                    onClick={underNewId(file.id, (to) => api.duplicate(file.id, to))}
                  >
                    {t(lang, "duplicate")}
                  </button>
                  <button
                    type="button"
                    className="small danger"
                    onClick={() => {
                      if (window.confirm(t(lang, "confirmDelete", { id: file.id })))
                        void run(() => api.remove(file.id, file.hash));
                    }}
                  >
                    {t(lang, "delete")}
                  </button>
                </>
              )}
            </li>
          );
        })}
      </ul>
      {canEdit && (
        <form
          className="new-flow"
          onSubmit={(event) => {
            event.preventDefault();
            if (!idPattern.test(newId)) {
              setError(t(lang, "askNewId", { id: newId }));
              return;
            }
            void run(async () => {
              if (example === "") await api.save(newId, blankFlowText(newId, lang), null);
              else await api.createFromExample(example, newId);
              onOpen(newId);
            });
          }}
        >
          <h2>{t(lang, "newFlow")}</h2>
          <label className="form-field">
            <span className="form-label">{t(lang, "newFlowId")}</span>
            <input
              data-testid="new-flow-id"
              value={newId}
              onChange={(event) => setNewId(event.target.value.trim())}
              pattern="[a-z0-9]+(-[a-z0-9]+)*"
              required
            />
          </label>
          <label className="form-field">
            <span className="form-label">{t(lang, "fromExample")}</span>
            <select data-testid="new-flow-example" value={example} onChange={(event) => setExample(event.target.value)}>
              <option value="">{lang === "de" ? "Leerer Flow" : "Blank flow"}</option>
              {examples.map((item) => (
                <option key={item.id} value={item.id}>
                  {item.title} ({item.id})
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="primary" data-testid="create-flow">
            {t(lang, "create")}
          </button>
        </form>
      )}
    </div>
  );
}
