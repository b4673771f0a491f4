/**
 * The preview is the widget: the visitor's chat window (runtime/widget/src, the same code and
 * stylesheet), placed in the editor and answered by the real engine in the page instead of the
 * runtime. Consent with purpose and data, my-data with its download, links and the menu look
 * exactly as visitors see them. Beside it: what would happen in the background (webhooks not
 * called, handovers, questions kept for review), and a demo page of the published flow.
 */
import { useEffect, useRef, useState } from "react";
import { checkKnowledgeBaseSource, type Flow, type KnowledgeBase, knowledgeBasesOf, prepareFlow } from "../../../runtime/core/index.ts";
import { ChatWidget } from "../../../runtime/widget/src/chat-widget.ts";
import widgetCss from "../../../runtime/widget/src/widget.css?inline";
import { t } from "../i18n/messages.ts";
import type { UiLanguage } from "../i18n/ui-language.ts";
import { PreviewTransport } from "../model/preview-transport.ts";

/** The knowledge bases a flow's `faq` steps use, as they are saved now (the preview answers from those). */
async function loadKnowledgeBases(flow: Flow, load: (name: string) => Promise<string | undefined>): Promise<Record<string, KnowledgeBase>> {
  const loaded: Record<string, KnowledgeBase> = {};
  for (const name of knowledgeBasesOf(flow)) {
    const text = await load(name).catch(() => undefined);
    const knowledgeBase = text === undefined ? undefined : checkKnowledgeBaseSource(text).knowledgeBase;
    if (knowledgeBase) loaded[name] = knowledgeBase;
  }
  return loaded;
}

export function PreviewChat({
  flow,
  lang,
  loadKnowledgeBase,
  stepName,
  demoUrl,
}: {
  flow: Flow | undefined;
  lang: UiLanguage;
  loadKnowledgeBase?: (name: string) => Promise<string | undefined>;
  /** A step in words, for the notes. */
  stepName?: (id: string) => string;
  /** The demo page of the published flow, when there is one. */
  demoUrl?: string | undefined;
}) {
  const mount = useRef<HTMLDivElement>(null);
  const widget = useRef<ChatWidget | undefined>(undefined);
  const [notes, setNotes] = useState<string[]>([]);
  const named = useRef(stepName);
  named.current = stepName;

  useEffect(() => {
    if (!flow) return;
    let current = true;
    void (async () => {
      const knowledgeBases = loadKnowledgeBase ? await loadKnowledgeBases(flow, loadKnowledgeBase) : {};
      const host = mount.current;
      if (!current || !host) return;
      const transport = new PreviewTransport(prepareFlow(flow, "preview", knowledgeBases), (added) => setNotes((shown) => [...shown, ...added]), lang, (id) => named.current?.(id) ?? id);
      // The widget reads its settings from the snippet's element: the flow's id and language.
      const wrapper = document.createElement("div");
      wrapper.dataset.botschaft = flow.flow;
      wrapper.dataset.lang = flow.language;
      if (flow.title) wrapper.dataset.title = flow.title;
      setNotes([]);
      widget.current = new ChatWidget(wrapper, new URL("/widget/widget.js", location.href), { api: transport, css: widgetCss, mount: host });
      widget.current.open();
    })();
    return () => {
      current = false;
      widget.current?.destroy();
      widget.current = undefined;
    };
  }, [flow, lang, loadKnowledgeBase]);

  if (!flow) return <p className="notice">{t(lang, "previewUnavailable")}</p>;
  return (
    <div className="preview" data-testid="preview">
      <div className="preview-widget" ref={mount} data-testid="preview-widget" />
      <aside className="preview-side">
        <h2>{t(lang, "previewTitle")}</h2>
        <p className="form-help">{t(lang, "previewHelp")}</p>
        <p>
          <button
            type="button"
            className="small"
            onClick={() => {
              setNotes([]);
              widget.current?.restart();
            }}
          >
            {t(lang, "restart")}
          </button>{" "}
          {demoUrl && (
            <a className="button small" href={demoUrl} target="_blank" rel="noopener" data-testid="preview-demo">
              {t(lang, "embedDemo")}
            </a>
          )}
        </p>
        {notes.length > 0 && (
          <>
            <h3>{t(lang, "previewNotes")}</h3>
            <ul className="preview-notes" data-testid="preview-notes" aria-live="polite">
              {notes.map((note, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: notes only grow; position is identity
                <li key={index}>{note}</li>
              ))}
            </ul>
          </>
        )}
      </aside>
    </div>
  );
}
