/**
 * The preview: the flow runs in the browser on the real engine (`startConversation`/`step`),
 * with the menu, consent buttons, my-data and unsubscribe. Nothing is stored or sent: webhooks
 * answer as failed (their `error` branch is what the preview shows), a handover is only noted.
 */
import { type FormEvent, useCallback, useEffect, useRef, useState } from "react";
import {
  type ConversationState,
  driveTurn,
  type EngineEvent,
  checkKnowledgeBaseSource,
  type Flow,
  type KnowledgeBase,
  knowledgeBasesOf,
  menuOf,
  type OutgoingMessage,
  prepareFlow,
  type RunnableFlow,
  type StepResult,
  startConversation,
  step,
  type TurnHandlers,
} from "../../../runtime/core/index.ts";
import { t } from "../i18n/messages.ts";
import type { UiLanguage } from "../i18n/ui-language.ts";
import { previewHashText } from "../model/preview-hash.ts";

type Line = { from: "bot"; message: OutgoingMessage } | { from: "user"; text: string } | { from: "note"; text: string };

const context = () => ({ now: new Date().toISOString(), hashText: previewHashText });

/** Nothing leaves the preview: every webhook answers as failed, so its `error` branch is what shows. */
const previewHandlers: TurnHandlers = { callWebhook: () => ({ ok: false }) };

/** A turn's lines in order: each step's messages, then notes for what the edges would do. */
function linesOf(steps: readonly StepResult[], lang: UiLanguage): Line[] {
  const lines: Line[] = [];
  steps.forEach((result, index) => {
    for (const message of result.messages) lines.push({ from: "bot", message });
    for (const effect of result.effects) {
      if (effect.type === "request-handover") lines.push({ from: "note", text: t(lang, "previewHandover") });
      if (effect.type === "erase-conversation") lines.push({ from: "note", text: t(lang, "previewErased") });
      if (effect.type === "keep-unanswered") lines.push({ from: "note", text: t(lang, "previewKeptQuestion", { question: effect.question }) });
    }
    const webhook = result.effects.find((effect) => effect.type === "call-webhook");
    // A call is answered only when a later step took its outcome (the loop stops after a bound).
    if (webhook?.type === "call-webhook" && index < steps.length - 1) lines.push({ from: "note", text: t(lang, "webhookSimulated", { node: webhook.node }) });
  });
  return lines;
}

function safeUrl(url: string): string | undefined {
  return /^https:\/\//i.test(url) ? url : undefined;
}

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

export function PreviewChat({ flow, lang, loadKnowledgeBase }: { flow: Flow | undefined; lang: UiLanguage; loadKnowledgeBase?: (name: string) => Promise<string | undefined> }) {
  const [runnable, setRunnable] = useState<RunnableFlow | undefined>();
  const [state, setState] = useState<ConversationState | undefined>();
  const [lines, setLines] = useState<Line[]>([]);
  const [input, setInput] = useState("");
  const end = useRef<HTMLDivElement>(null);

  /** Runs the turn to rest on the core's effect loop and returns its lines; webhooks answer as failed. */
  const absorb = useCallback(
    async (current: RunnableFlow, first: StepResult): Promise<Line[]> => {
      const turn = await driveTurn(current, first, context(), previewHandlers);
      setState(turn.result.state);
      return linesOf(turn.steps, lang);
    },
    [lang],
  );

  const restart = useCallback(() => {
    if (!flow) return;
    void (async () => {
      const knowledgeBases = loadKnowledgeBase ? await loadKnowledgeBases(flow, loadKnowledgeBase) : {};
      const current = prepareFlow(flow, "preview", knowledgeBases);
      setRunnable(current);
      setLines(await absorb(current, startConversation(current, { channel: "preview" }, context())));
    })();
  }, [flow, absorb, loadKnowledgeBase]);

  useEffect(() => {
    restart();
  }, [restart]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: scrolls down whenever a line is added
  useEffect(() => {
    end.current?.scrollIntoView?.({ block: "end" });
  }, [lines]);

  if (!flow || !runnable) return <p className="notice">{t(lang, "previewUnavailable")}</p>;

  const send = (event: EngineEvent, echo: string) => {
    if (!state) return;
    void absorb(runnable, step(runnable, state, event, context())).then((added) => setLines((shown) => [...shown, { from: "user", text: echo }, ...added]));
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (input.trim() === "") return;
    send({ type: "text", text: input }, input);
    setInput("");
  };

  const menu = menuOf(runnable);
  return (
    <div className="preview" data-testid="preview">
      <div className="preview-head">
        <h2>{t(lang, "previewTitle")}</h2>
        <button type="button" className="small" onClick={restart}>
          {t(lang, "restart")}
        </button>
      </div>
      <p className="form-help">{t(lang, "previewHelp")}</p>
      <nav className="preview-menu" aria-label="menu">
        {menu.map((item) => (
          <button type="button" key={item.id} className="small" data-testid={`preview-menu-${item.id}`} onClick={() => send({ type: "menu", item: item.id }, item.label)}>
            {item.label}
          </button>
        ))}
      </nav>
      <div className="preview-log" role="log" aria-live="polite">
        {lines.map((line, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a transcript only grows; position is identity
          <PreviewLine key={index} line={line} lang={lang} onChoose={(value, label) => send({ type: "choice", value }, label)} />
        ))}
        {state?.waiting === "ended" && <p className="note">{t(lang, "previewEnded")}</p>}
        <div ref={end} />
      </div>
      <form className="preview-input" onSubmit={onSubmit}>
        <input data-testid="preview-input" value={input} onChange={(event) => setInput(event.target.value)} placeholder={t(lang, "typeMessage")} aria-label={t(lang, "typeMessage")} />
        <button type="submit">{t(lang, "send")}</button>
      </form>
    </div>
  );
}

function PreviewLine({ line, lang, onChoose }: { line: Line; lang: UiLanguage; onChoose(value: string, label: string): void }) {
  if (line.from === "user") return <p className="bubble user">{line.text}</p>;
  if (line.from === "note") return <p className="note">{line.text}</p>;
  const message = line.message;
  switch (message.type) {
    case "text":
      return <p className="bubble bot">{message.text}</p>;
    case "choice":
    case "consent": {
      const url = message.type === "consent" ? safeUrl(message.policyUrl) : undefined;
      return (
        <div className="bubble bot">
          <p>{message.text}</p>
          {url && (
            <a href={url} target="_blank" rel="noopener noreferrer">
              {t(lang, "policyLink")}
            </a>
          )}
          <div className="choices">
            {message.options.map((option) => (
              <button type="button" key={option.value} className="small" onClick={() => onChoose(option.value, option.label)}>
                {option.label}
              </button>
            ))}
          </div>
        </div>
      );
    }
    case "link": {
      const url = safeUrl(message.url);
      return <p className="bubble bot">{url ? <a href={url} target="_blank" rel="noopener noreferrer">{message.label}</a> : message.label}</p>;
    }
    case "input":
      return <p className="note">⌨ {message.format}</p>;
    case "data":
      return <pre className="bubble bot data">{JSON.stringify(message.data, null, 2)}</pre>;
    case "status":
      return <p className="note">— {message.status} —</p>;
  }
}
