/**
 * The flows in `flows/` by their titles: open, create (blank or from a template) under a name in
 * plain words (the id is derived, and developers may change it), rename (the title; the id only
 * on request), duplicate, delete. Every refusal says why.
 */
import { useCallback, useEffect, useState } from "react";
import type { EditorApi, ExampleFlow, FileEntry } from "../api/editor-api.ts";
import { t } from "../i18n/messages.ts";
import type { UiLanguage } from "../i18n/ui-language.ts";
import { blankFlowText } from "../model/blank-flow.ts";
import { copyForEdit } from "../model/copy-on-write.ts";
import { setFlowValue } from "../model/edit-operations.ts";
import { parseFlowText, serializeFlow } from "../model/flow-document.ts";
import { applyEdit, startHistory } from "../model/history.ts";
import { freshIdFromName, idFromName } from "../model/names.ts";
import { TemplateGallery } from "./TemplateGallery.tsx";

/** The text with its top-level title set; every other line stays as it was. */
export function withTitle(text: string, title: string): string {
  const parsed = parseFlowText(text);
  if (parsed.errors.length > 0) throw new Error("unreadable YAML");
  const edited = applyEdit(startHistory(copyForEdit(parsed.doc)), (doc) => setFlowValue(doc, ["title"], title)).present;
  return serializeFlow(text, parsed.doc, edited);
}

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
  const [examples, setExamples] = useState<ExampleFlow[]>([]);
  const [example, setExample] = useState("");
  const [newName, setNewName] = useState("");
  const [idEdited, setIdEdited] = useState<string | undefined>();
  const [editingId, setEditingId] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const taken = (id: string) => files.some((file) => file.id === id);
  const newId = idEdited ?? freshIdFromName(newName, taken);

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
      setError(t(lang, "actionFailed", { message: failure instanceof Error ? failure.message : String(failure) }));
    }
  };

  /** Renaming changes the title people see; the id (file name, embed code) stays. */
  const renameTitle = (file: FileEntry) => {
    const current = file.title ?? file.id;
    const answer = window.prompt(t(lang, "askNewName", { title: current }), current);
    if (answer === null || answer.trim() === current) return;
    if (idFromName(answer) === "") {
      setError(t(lang, "nameInvalid"));
      return;
    }
    void run(async () => {
      try {
        const opened = await api.open(file.id);
        await api.save(file.id, withTitle(opened.text, answer.trim()), opened.hash);
      } catch (failure) {
        throw new Error(t(lang, "renameFailed", { message: failure instanceof Error ? failure.message : String(failure) }));
      }
    });
  };

  const askId = (id: string) => {
    const answer = window.prompt(t(lang, "askNewId", { id }), `${id}-2`);
    if (answer === null) return undefined;
    const to = idPattern.test(answer.trim()) ? answer.trim() : idFromName(answer);
    if (to === "") setError(t(lang, "nameInvalid"));
    else if (taken(to)) setError(t(lang, "flowIdTaken", { id: to }));
    else return to;
    return undefined;
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
                {file.title ?? file.id}
              </button>
              <code className="flow-file-id">{file.id}</code>
              <span className={`status status-${status}`}>{t(lang, status)}</span>
              <span className="spacer" />
              <button type="button" className="small" onClick={() => onOpen(file.id)}>
                {t(lang, "open")}
              </button>
              {canEdit && (
                <>
                  <button type="button" className="small" data-testid={`rename-${file.id}`} onClick={() => renameTitle(file)}>
                    {t(lang, "rename")}
                  </button>
                  <button type="button" className="small" data-testid={`change-id-${file.id}`} onClick={underNewId(file.id, (to) => api.rename(file.id, to, file.hash))}>
                    {t(lang, "editId")}
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
            if (newName.trim() === "" || !idPattern.test(newId)) {
              setError(t(lang, "nameInvalid"));
              return;
            }
            if (taken(newId)) {
              setError(t(lang, "flowIdTaken", { id: newId }));
              return;
            }
            void run(async () => {
              if (example === "") await api.save(newId, blankFlowText(newId, lang, newName.trim()), null);
              else {
                const created = await api.createFromExample(example, newId);
                const opened = await api.open(newId);
                await api.save(newId, withTitle(opened.text, newName.trim()), created.hash);
              }
              onOpen(newId);
            });
          }}
        >
          <h2>{t(lang, "newFlow")}</h2>
          <label className="form-field">
            <span className="form-label">{t(lang, "newFlowName")}</span>
            <input data-testid="new-flow-name" value={newName} onChange={(event) => setNewName(event.target.value)} required />
          </label>
          {newId !== "" && !editingId && (
            <p className="form-help" data-testid="new-flow-derived-id">
              {t(lang, "newFlowIdHelp", { id: newId })}{" "}
              <button type="button" className="link small" onClick={() => setEditingId(true)}>
                {t(lang, "editId")}
              </button>
            </p>
          )}
          {editingId && (
            <label className="form-field">
              <span className="form-label">{t(lang, "technicalId")}</span>
              <input data-testid="new-flow-id" value={newId} onChange={(event) => setIdEdited(event.target.value.trim())} />
              <span className="form-help">{t(lang, "newFlowId")}</span>
            </label>
          )}
          <TemplateGallery examples={examples} value={example} lang={lang} onChange={setExample} />
          <button type="submit" className="primary" data-testid="create-flow">
            {t(lang, "create")}
          </button>
        </form>
      )}
    </div>
  );
}
