/**
 * One open flow: the document history, the canvas, side panel, YAML tab, preview, live
 * validation with the shared core validator, saving with conflict detection and publishing.
 */
import { ReactFlowProvider } from "@xyflow/react";
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { Flow, Problem, UnlocatedProblem } from "../../../runtime/core/index.ts";
import { ApiError, type EditorApi, type EditorIntegrations, type PublishedVersion } from "../api/editor-api.ts";
import { t } from "../i18n/messages.ts";
import type { UiLanguage } from "../i18n/ui-language.ts";
import { type EdgeRoute, layoutFlow } from "../model/auto-layout.ts";
import { copyForEdit } from "../model/copy-on-write.ts";
import { documentToCanvas } from "../model/document-to-canvas.ts";
import { addNode, duplicateNode, insertConsentBefore, moveNodes, type Position } from "../model/edit-operations.ts";
import { documentValue, type FlowDocument, parseFlowText, type SourceError, serializeFlow } from "../model/flow-document.ts";
import { applyEdit, type History, redo, replacePresent, startHistory, undo } from "../model/history.ts";
import { checkUnfinishedFlow, labelOfField, placeOf, type ProblemPlace, stepName } from "../model/problem-places.ts";
import { translateYamlError } from "../i18n/yaml-errors.ts";
import { type Funnel, FlowCanvas, type Highlight, measureBoxes, Palette } from "./FlowCanvas.tsx";
import { AnalyticsApi } from "../api/analytics-api.ts";
import { EmbedPanel, useEmbedOptions } from "./EmbedPanel.tsx";
import { formatWhen, HistoryPanel } from "./HistoryPanel.tsx";
import { PreviewChat } from "./PreviewChat.tsx";
import { ProblemsPanel, type ShownProblem } from "./ProblemsPanel.tsx";
import { FlowSettings, NodeForm } from "./SidePanel.tsx";

// CodeMirror loads with the YAML tab, not with the canvas.
const YamlEditor = lazy(() => import("./YamlEditor.tsx").then((module) => ({ default: module.YamlEditor })));

type Tab = "canvas" | "yaml" | "preview" | "embed" | "history";

const tabLabels = { canvas: "tabCanvas", yaml: "tabYaml", preview: "tabPreview", embed: "tabEmbed", history: "tabHistory" } as const;

interface Baseline {
  /** The text last loaded, saved or typed, and its untouched parse: the reference for saving. */
  source: string;
  doc: FlowDocument;
}

interface Loaded {
  history: History;
  baseline: Baseline;
  saved: FlowDocument;
  savedText: string;
  hash: string;
  published: string | null;
  /** Hosts the runtime lets webhooks reach although not public (rule webhook-address). */
  webhookAllowHosts: readonly string[];
  /** What the integration presets' form offers (the mail provider, the configured API key names). */
  integrations?: EditorIntegrations;
  /** Text in the YAML tab that does not parse (it wins over the document until fixed). */
  raw: { text: string; errors: SourceError[] } | undefined;
}

/** Measurements the benchmark reads; view-only, never part of the document. */
export const editorMetrics: { validateMs: number[]; valueMs: number[]; fetchMs: number[]; parseMs: number[] } = { validateMs: [], valueMs: [], fetchMs: [], parseMs: [] };
(globalThis as { __botschaftEditorMetrics?: typeof editorMetrics }).__botschaftEditorMetrics = editorMetrics;

/** Records a timing, keeping only the latest ones so a long session does not grow them. */
function record(series: number[], value: number): void {
  series.push(value);
  if (series.length > 500) series.splice(0, series.length - 500);
}

/** One empty list, so validation does not re-run when nothing is loaded yet. */
const noHosts: readonly string[] = [];

function nodeOfPointer(pointer: string): string | undefined {
  const match = /^\/nodes\/([^/]+)/.exec(pointer);
  return match?.[1]?.replace(/~1/g, "/").replace(/~0/g, "~");
}

function loadText(text: string, hash: string, published: string | null, webhookAllowHosts: readonly string[]): Loaded {
  const parsed = parseFlowText(text);
  // A copy-on-write version: the parsed document stays untouched as the baseline for saving.
  const present = copyForEdit(parsed.doc);
  return {
    history: startHistory(present),
    baseline: { source: text, doc: parsed.doc },
    saved: present,
    savedText: text,
    hash,
    published,
    webhookAllowHosts,
    raw: parsed.errors.length > 0 ? { text, errors: parsed.errors } : undefined,
  };
}

/** The inserted consent's texts, in the flow's language; the purpose is the one the person gave. */
const consentFixTexts = {
  de: (purpose: string) => ({ purpose, text: `Dürfen wir Ihre Angaben für diesen Zweck speichern: ${purpose}?`, declined: "Kein Problem – ohne Ihre Einwilligung speichern wir nichts." }),
  en: (purpose: string) => ({ purpose, text: `May we store your details for this purpose: ${purpose}?`, declined: "No problem – without your consent we store nothing." }),
};

/** A published version as people read it: the first hex digits of the hash, not `sha256:…`. */
export function shortVersion(version: string): string {
  return version.replace(/^sha256:/, "").slice(0, 8);
}

/**
 * Suggestions for a consent's purpose, never filled in on their own: the purposes the flow already
 * asks for, its title, and the labels of the fields still without consent combined with the title.
 */
function purposeSuggestionsOf(flow: Record<string, unknown>, nodes: Record<string, Record<string, unknown>>, fields: readonly string[]): string[] {
  const suggestions = new Set<string>();
  for (const node of Object.values(nodes)) if (node?.type === "consent" && typeof node.purpose === "string" && node.purpose.trim() !== "") suggestions.add(node.purpose.trim());
  const title = typeof flow.title === "string" && flow.title.trim() !== "" && flow.title !== flow.flow ? flow.title.trim() : undefined;
  if (title) suggestions.add(title);
  const flowLang: UiLanguage = flow.language === "en" ? "en" : "de";
  for (const field of fields) {
    const label = labelOfField(flow, field, flowLang);
    if (title) suggestions.add(`${title}: ${label}`);
  }
  return [...suggestions].slice(0, 8);
}

export interface FlowEditorProps {
  api: EditorApi;
  id: string;
  lang: UiLanguage;
  /** Whether the person may save the file (role editor or admin); otherwise the flow is shown read-only. */
  canEdit: boolean;
  canPublish: boolean;
  /** Four-eyes publishing: the button submits for approval. */
  approvalRequired: boolean;
  onBack(): void;
}

export function FlowEditor({ api, id, lang, canEdit, canPublish, approvalRequired, onBack }: FlowEditorProps) {
  const [loaded, setLoaded] = useState<Loaded | undefined>();
  const [loadError, setLoadError] = useState<string | undefined>();
  const [tab, setTab] = useState<Tab>("canvas");
  // Stable, so the preview does not restart on every render.
  const loadKnowledgeBase = useCallback((name: string) => api.knowledgeBase(name), [api]);
  const [panelNode, setPanelNode] = useState<string | undefined>();
  const [focus, setFocus] = useState<{ id: string; serial: number } | undefined>();
  const [fieldFocus, setFieldFocus] = useState<{ pointer: string; serial: number } | undefined>();
  const [highlight, setHighlight] = useState<Highlight | undefined>();
  const [serverProblems, setServerProblems] = useState<Problem[] | undefined>();
  // A notice says its text in the language shown at the time, so switching the language translates it too.
  const [notice, setNotice] = useState<{ kind: "ok" | "error"; text: (lang: UiLanguage) => string } | undefined>();
  const [conflict, setConflict] = useState(false);
  const [busy, setBusy] = useState(false);
  const [autoPositions, setAutoPositions] = useState<ReadonlyMap<string, Position>>(new Map());
  const [routes, setRoutes] = useState<ReadonlyMap<string, EdgeRoute>>(new Map());
  const [embedOptions, setEmbedOptions] = useEmbedOptions();
  const yamlTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const [showNumbers, setShowNumbers] = useState(false);
  const [funnel, setFunnel] = useState<Funnel | undefined>();

  const open = useCallback(async () => {
    try {
      const fetched = performance.now();
      const file = await api.open(id);
      const parsing = performance.now();
      const next = { ...loadText(file.text, file.hash, file.published, file.webhookAllowHosts ?? []), ...(file.integrations ? { integrations: file.integrations } : {}) };
      record(editorMetrics.fetchMs, parsing - fetched);
      record(editorMetrics.parseMs, performance.now() - parsing);
      setLoaded(next);
      setConflict(false);
      if (next.raw) setTab("yaml");
    } catch (error) {
      setLoadError(error instanceof Error ? error.message : String(error));
    }
  }, [api, id]);

  useEffect(() => {
    void open();
  }, [open]);

  const present = loaded?.history.present;
  const value = useMemo(() => {
    if (!present) return undefined;
    const started = performance.now();
    const result = documentValue(present);
    record(editorMetrics.valueMs, performance.now() - started);
    return result;
  }, [present]);

  const webhookAllowHosts = loaded?.webhookAllowHosts ?? noHosts;
  const validation = useMemo(() => {
    if (value === undefined) return { problems: [] as UnlocatedProblem[], flow: undefined as Flow | undefined };
    const started = performance.now();
    const result = checkUnfinishedFlow(value, { lang, expectedId: id, webhookAllowHosts });
    record(editorMetrics.validateMs, performance.now() - started);
    return result;
  }, [value, lang, id, webhookAllowHosts]);

  const canvas = useMemo(() => documentToCanvas(value, lang), [value, lang]);
  const rawErrors = loaded?.raw?.errors;
  const yamlErrors = useMemo(() => (rawErrors ?? []).map((error) => ({ ...error, message: translateYamlError(error, lang) })), [rawErrors, lang]);
  const flowValue = (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>;
  const nodesValue = (typeof flowValue.nodes === "object" && flowValue.nodes !== null ? flowValue.nodes : {}) as Record<string, Record<string, unknown>>;
  // Stable while the set of ids is unchanged, so forms listing them do not re-render on every keystroke.
  const idKey = canvas.nodes.map((node) => node.id).join("\n");
  const nodeIds = useMemo(() => (idKey === "" ? [] : idKey.split("\n")), [idKey]);

  const counts = useMemo(() => {
    const map = new Map<string, { errors: number; warnings: number }>();
    for (const problem of validation.problems) {
      const node = problem.node ?? nodeOfPointer(problem.pointer);
      if (!node) continue;
      const count = map.get(node) ?? { errors: 0, warnings: 0 };
      if (problem.severity === "error") count.errors++;
      else count.warnings++;
      map.set(node, count);
    }
    return map;
  }, [validation]);

  const unpositioned = canvas.nodes.filter((node) => node.position === undefined).map((node) => node.id).join("\n");
  // Re-run only when the set of nodes without a saved position changes, not on every edit.
  // biome-ignore lint/correctness/useExhaustiveDependencies: canvas is read at that moment on purpose
  useEffect(() => {
    if (unpositioned === "") return;
    let current = true;
    // The boxes are on screen already (at 0,0): their measured sizes make the routes match.
    void layoutFlow(canvas, measureBoxes()).then((layout) => {
      if (!current) return;
      setAutoPositions(layout.positions);
      setRoutes(layout.routes);
    });
    return () => {
      current = false;
    };
  }, [unpositioned]);

  const edit = useCallback((change: (doc: FlowDocument) => void, key?: string) => {
    setLoaded((current) => (current && !current.raw ? { ...current, history: applyEdit(current.history, change, key) } : current));
    setServerProblems(undefined);
    setHighlight(undefined);
  }, []);

  // "Show numbers": the published version's counts (docs/analytics.md), read-only, no personal data.
  const publishedVersion = loaded?.published;
  useEffect(() => {
    if (!showNumbers) return setFunnel(undefined);
    let current = true;
    new AnalyticsApi(undefined).report(id).then(
      (versions) => {
        const report = versions.find((version) => version.version === publishedVersion) ?? versions[0];
        const steps = new Map<string, number | "<5">();
        const branches = new Map<string, number | "<5">();
        for (const [key, count] of Object.entries(report?.totals ?? {})) {
          if (key.startsWith("step:")) steps.set(key.slice(5), count);
          else if (key.startsWith("branch:")) branches.set(key.slice(7), count);
        }
        if (current) setFunnel({ steps, branches });
      },
      () => current && setFunnel({ steps: new Map(), branches: new Map() }),
    );
    return () => {
      current = false;
    };
  }, [showNumbers, id, publishedVersion]);

  const currentText = useCallback((state: Loaded) => state.raw?.text ?? serializeFlow(state.baseline.source, state.baseline.doc, state.history.present), []);
  const dirty = loaded !== undefined && (loaded.history.present !== loaded.saved || (loaded.raw !== undefined && loaded.raw.text !== loaded.savedText));

  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = "";
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  const save = useCallback(
    async (overwrite = false): Promise<string | undefined> => {
      if (!loaded) return undefined;
      if (loaded.raw) {
        // Broken YAML never replaces the last good file: the runtime and git keep a readable flow.
        const line = loaded.raw.errors[0]?.line ?? 1;
        setNotice({ kind: "error", text: (shown) => t(shown, "yamlNotSaved", { line }) });
        return undefined;
      }
      const text = currentText(loaded);
      setBusy(true);
      try {
        const hash = overwrite ? (await api.open(id)).hash : loaded.hash;
        const result = await api.save(id, text, hash);
        setLoaded((current) =>
          current === undefined
            ? current
            : {
                ...current,
                hash: result.hash,
                saved: loaded.history.present,
                savedText: text,
                baseline: loaded.raw ? current.baseline : { source: text, doc: parseFlowText(text).doc },
              },
        );
        setConflict(false);
        setNotice({ kind: "ok", text: (shown) => t(shown, "saved") });
        return text;
      } catch (error) {
        if (error instanceof ApiError && error.status === 409) setConflict(true);
        else setNotice({ kind: "error", text: () => (error instanceof Error ? error.message : String(error)) });
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [loaded, api, id, currentText],
  );

  const publish = useCallback(async () => {
    if (!loaded) return;
    const text = dirty ? await save() : currentText(loaded);
    if (text === undefined) return;
    setBusy(true);
    try {
      const result = await api.publish(id, text, lang);
      setServerProblems(undefined);
      if (result.kind === "requested") {
        setNotice({ kind: "ok", text: (shown) => t(shown, "publishRequested") });
        return;
      }
      const { version } = result;
      setLoaded((current) => (current ? { ...current, published: version } : current));
      setNotice({ kind: "ok", text: (shown) => t(shown, "published", { version: shortVersion(version) }) });
    } catch (error) {
      if (error instanceof ApiError && error.status === 422) {
        setServerProblems(error.problems);
        setNotice({ kind: "error", text: (shown) => t(shown, "publishRefused") });
      } else setNotice({ kind: "error", text: () => (error instanceof Error ? error.message : String(error)) });
    } finally {
      setBusy(false);
    }
  }, [loaded, dirty, save, currentText, api, id, lang]);

  /** Back to an earlier version: the file becomes that source and is published like any other change. */
  const rollback = useCallback(
    async (entry: PublishedVersion) => {
      if (!loaded || !window.confirm(t(lang, "historyRollbackConfirm", { when: formatWhen(entry.at, lang) }))) return;
      setBusy(true);
      try {
        const current = await api.open(id);
        await api.save(id, entry.yaml, current.hash);
        const result = await api.publish(id, entry.yaml, lang);
        const file = await api.open(id);
        setLoaded({ ...loadText(file.text, file.hash, file.published, file.webhookAllowHosts ?? []), ...(file.integrations ? { integrations: file.integrations } : {}) });
        setServerProblems(undefined);
        setNotice({ kind: "ok", text: (shown) => (result.kind === "requested" ? t(shown, "publishRequested") : t(shown, "historyRolledBack", { version: shortVersion(result.version) })) });
      } catch (error) {
        setNotice({ kind: "error", text: (shown) => t(shown, "actionFailed", { message: error instanceof Error ? error.message : String(error) }) });
      } finally {
        setBusy(false);
      }
    },
    [loaded, api, id, lang],
  );

  const onYamlChange = useCallback((text: string) => {
    clearTimeout(yamlTimer.current);
    yamlTimer.current = setTimeout(() => {
      const parsed = parseFlowText(text);
      setLoaded((current) => {
        if (!current) return current;
        if (parsed.errors.length > 0) return { ...current, raw: { text, errors: parsed.errors } };
        return { ...current, raw: undefined, baseline: { source: text, doc: parsed.doc }, history: replacePresent(current.history, copyForEdit(parsed.doc)) };
      });
    }, 250);
  }, []);

  const selectProblem = useCallback((problem: ShownProblem, place: ProblemPlace) => {
    const node = place.node ?? problem.node ?? nodeOfPointer(problem.pointer);
    // A syntax error is fixed in the YAML tab, where the cursor goes to it.
    if (problem.line !== undefined && problem.pointer === "" && problem.rule === "schema") {
      setTab("yaml");
      return;
    }
    setTab("canvas");
    // A problem of the flow's settings (privacy, menu) opens the settings form, at the field.
    setPanelNode(node);
    setFieldFocus((current) => ({ pointer: place.pointer, serial: (current?.serial ?? 0) + 1 }));
    if (!node) return;
    setFocus((current) => ({ id: node, serial: (current?.serial ?? 0) + 1 }));
  }, []);

  // Focuses the form field of a clicked problem (or of its closest parent that has one).
  useEffect(() => {
    if (!fieldFocus) return;
    const frame = requestAnimationFrame(() => {
      let pointer = fieldFocus.pointer;
      for (;;) {
        const field = document.querySelector<HTMLElement>(`.side-panel [data-pointer="${CSS.escape(pointer)}"]`);
        if (field) {
          field.scrollIntoView({ block: "center" });
          field.focus();
          return;
        }
        if (pointer === "") return;
        pointer = pointer.slice(0, pointer.lastIndexOf("/"));
      }
    });
    return () => cancelAnimationFrame(frame);
  }, [fieldFocus]);

  const showPath = useCallback(
    (problem: ShownProblem, place: ProblemPlace) => {
      const path = problem.path ?? [];
      const edges = new Set<string>();
      for (let index = 0; index + 1 < path.length; index++) {
        for (const edge of canvas.edges) if (edge.source === path[index] && edge.target === path[index + 1]) edges.add(edge.id);
      }
      setHighlight({ nodes: new Set(path), edges });
      selectProblem(problem, place);
    },
    [canvas, selectProblem],
  );

  const fixConsent = useCallback(
    (problem: ShownProblem, purpose: string) => {
      const node = problem.node;
      if (!node || purpose.trim() === "") return;
      const fields = validation.problems.filter((other) => other.rule === "consent-missing" && other.node === node).map((other) => other.field ?? "");
      const flowLang = flowValue.language === "en" ? "en" : "de";
      let consentId = "";
      edit((doc) => {
        consentId = insertConsentBefore(doc, node, fields.filter(Boolean), consentFixTexts[flowLang](purpose.trim()));
      });
      // The new consent opens in the side panel so its text can be edited right away.
      setTimeout(() => setPanelNode(consentId), 0);
    },
    [validation, flowValue.language, edit],
  );

  // Errors by the field they are about, shown under the form fields; only the errors are placed (warnings may be many).
  const fieldErrors = useMemo(() => {
    const errors = new Map<string, string>();
    for (const problem of validation.problems) {
      if (problem.severity !== "error") continue;
      const place = placeOf(problem, flowValue, lang);
      if (!errors.has(place.pointer)) errors.set(place.pointer, place.message);
    }
    return errors;
  }, [validation, flowValue, lang]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      const typing = target !== null && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT" || target.isContentEditable);
      const mod = event.ctrlKey || event.metaKey;
      if (mod && event.key.toLowerCase() === "s") {
        event.preventDefault();
        void save();
        return;
      }
      if (typing || tab !== "canvas" || !mod) return;
      const key = event.key.toLowerCase();
      if (key === "z" && !event.shiftKey) {
        event.preventDefault();
        setLoaded((current) => (current ? { ...current, history: undo(current.history) } : current));
      } else if ((key === "z" && event.shiftKey) || key === "y") {
        event.preventDefault();
        setLoaded((current) => (current ? { ...current, history: redo(current.history) } : current));
      } else if (key === "d" && panelNode) {
        event.preventDefault();
        edit((doc) => {
          duplicateNode(doc, panelNode);
        });
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [save, tab, panelNode, edit]);

  if (loadError) return <p className="notice error">{t(lang, "loadFailed", { message: loadError })}</p>;
  if (!loaded) return <p className="notice">…</p>;

  const fileHash = loaded.hash;
  const status = loaded.published === null ? "statusUnpublished" : loaded.published === fileHash && !dirty ? "statusPublished" : "statusDraft";
  const selectedNode = panelNode !== undefined ? nodesValue[panelNode] : undefined;
  const shownProblems: ShownProblem[] = serverProblems ?? validation.problems;
  return (
    <div className="flow-editor">
      <header className="editor-bar">
        <button
          type="button"
          onClick={() => {
            if (!dirty || window.confirm(t(lang, "leaveWarning"))) onBack();
          }}
        >
          ← {t(lang, "back")}
        </button>
        {/* The flow's own title, in the flow's language: not the app's text (translate="no"). */}
        <h1 translate="no">
          {typeof flowValue.title === "string" && flowValue.title.trim() !== "" ? flowValue.title : id}
        </h1>
        <span className={`status status-${status}`} data-testid="publish-status">
          {t(lang, status)}
          {loaded.published && status === "statusPublished" ? ` · ${t(lang, "version", { version: shortVersion(loaded.published) })}` : ""}
        </span>
        {dirty && <span className="dirty">● {t(lang, "unsaved")}</span>}
        <span className="spacer" />
        <button type="button" disabled={loaded.history.past.length === 0 || tab !== "canvas"} onClick={() => setLoaded({ ...loaded, history: undo(loaded.history) })}>
          ↶ {t(lang, "undo")}
        </button>
        <button type="button" disabled={loaded.history.future.length === 0 || tab !== "canvas"} onClick={() => setLoaded({ ...loaded, history: redo(loaded.history) })}>
          ↷ {t(lang, "redo")}
        </button>
        {canEdit && (
          <button type="button" data-testid="save" disabled={busy} onClick={() => void save()}>
            {t(lang, "save")}
          </button>
        )}
        {canEdit && canPublish && (
          <button type="button" data-testid="publish" className="primary" disabled={busy} onClick={() => void publish()}>
            {t(lang, approvalRequired ? "submitForApproval" : "publish")}
          </button>
        )}
      </header>
      {!canEdit && (
        <p className="notice" role="note" data-testid="read-only">
          {t(lang, "readOnly")}
        </p>
      )}
      {notice && (
        <p className={`notice ${notice.kind}`} role="status" data-testid="notice">
          {notice.text(lang)}
        </p>
      )}
      {conflict && (
        <div className="notice error" role="alert" data-testid="conflict">
          {t(lang, "conflict")}{" "}
          <button type="button" onClick={() => void open()}>
            {t(lang, "reloadTheirs")}
          </button>{" "}
          <button type="button" onClick={() => void save(true)}>
            {t(lang, "overwrite")}
          </button>
        </div>
      )}
      <div className="tabs" role="tablist">
        {(["canvas", "yaml", "preview", "embed", "history"] as const).map((name) => (
          <button type="button" role="tab" key={name} aria-selected={tab === name} aria-controls="editor-main" data-testid={`tab-${name}`} onClick={() => setTab(name)}>
            {t(lang, tabLabels[name])}
          </button>
        ))}
      </div>
      <div className="editor-main" id="editor-main" role="tabpanel">
        {tab === "canvas" &&
          (loaded.raw ? (
            <div className="notice error canvas-unavailable">
              <p>{t(lang, "canvasUnavailable")}</p>
              <ul>
                {loaded.raw.errors.map((error) => (
                  <li key={`${error.line}:${error.column}:${error.message}`}>
                    {t(lang, "lineColumn", { line: error.line, column: error.column })}: {translateYamlError(error, lang)}
                  </li>
                ))}
              </ul>
              <button type="button" onClick={() => setTab("yaml")}>
                {t(lang, "goToYamlError")}
              </button>
            </div>
          ) : (
            <>
              <ReactFlowProvider>
                <Palette
                  lang={lang}
                  onAdd={(type, position) => {
                    let added = "";
                    edit((doc) => {
                      added = addNode(doc, type, position);
                    });
                    setTimeout(() => setPanelNode(added), 0);
                  }}
                />
                <FlowCanvas
                  canvas={canvas}
                  autoPositions={autoPositions}
                  counts={counts}
                  highlight={highlight}
                  lang={lang}
                  onEdit={edit}
                  onSelect={(ids) => setPanelNode(ids[0])}
                  focus={focus}
                  selectedId={panelNode}
                  routes={routes}
                  funnel={funnel}
                />
              </ReactFlowProvider>
              <aside className="side-panel">
                <div className="canvas-tools">
                  <button
                    type="button"
                    className="small"
                    data-testid="auto-layout"
                    onClick={() =>
                      void layoutFlow(canvas, measureBoxes()).then((layout) => {
                        edit((doc) => moveNodes(doc, layout.positions));
                        setRoutes(layout.routes);
                      })
                    }
                  >
                    {t(lang, "autoLayout")}
                  </button>{" "}
                  <label className="form-check show-numbers">
                    <input type="checkbox" data-testid="show-numbers" checked={showNumbers} onChange={(event) => setShowNumbers(event.target.checked)} />
                    {lang === "de" ? "Zahlen anzeigen" : "Show numbers"}
                  </label>
                  {showNumbers && <p className="form-help">{lang === "de" ? "Veröffentlichte Version: wie viele jeden Schritt erreicht und jeden Weg genommen haben; unter 5 als „<5“." : "Published version: how many reached each step and took each way; below 5 as “<5”."}</p>}
                  <p className="form-help">{t(lang, "shortcuts")}</p>
                </div>
                {panelNode !== undefined && selectedNode ? (
                  <NodeForm
                    key={panelNode}
                    id={panelNode}
                    node={selectedNode}
                    nodeIds={nodeIds}
                    nodes={nodesValue}
                    fieldErrors={fieldErrors}
                    isStart={flowValue.start === panelNode}
                    lang={lang}
                    onEdit={edit}
                    onRenamed={setPanelNode}
                    {...(loaded.integrations ? { integrations: loaded.integrations } : {})}
                  />
                ) : (
                  <FlowSettings value={flowValue} nodeIds={nodeIds} nodes={nodesValue} fieldErrors={fieldErrors} lang={lang} onEdit={edit} />
                )}
              </aside>
            </>
          ))}
        {tab === "yaml" && (
          <div className="yaml-tab">
            {loaded.raw && (
              <div className="notice error" data-testid="yaml-errors">
                <p>{t(lang, "parseErrors")}</p>
                <ul>
                  {loaded.raw.errors.map((error) => (
                    <li key={`${error.line}:${error.column}:${error.message}`}>
                      {t(lang, "lineColumn", { line: error.line, column: error.column })}: {translateYamlError(error, lang)}
                    </li>
                  ))}
                </ul>
              </div>
            )}
            <Suspense fallback={<p className="notice">…</p>}>
              <YamlEditor initialText={currentText(loaded)} errors={yamlErrors} label={t(lang, "tabYaml")} onChange={onYamlChange} />
            </Suspense>
          </div>
        )}
        {tab === "preview" && (
          <PreviewChat
            flow={validation.flow}
            lang={lang}
            loadKnowledgeBase={loadKnowledgeBase}
            stepName={(node) => stepName(node, nodesValue[node], lang)}
            demoUrl={loaded.published ? `/demo?flow=${encodeURIComponent(id)}` : undefined}
          />
        )}
        {tab === "history" && (
          <HistoryPanel api={api} id={id} lang={lang} canRollBack={canEdit && canPublish} busy={busy} serial={loaded.published} onRollback={(entry) => void rollback(entry)} />
        )}
        {tab === "embed" && <EmbedPanel flow={id} status={status} version={loaded.published} lang={lang} options={embedOptions} setOptions={setEmbedOptions} />}
      </div>
      <ProblemsPanel
        problems={loaded.raw ? loaded.raw.errors.map((error) => ({ rule: "schema", severity: "error", pointer: "", message: translateYamlError(error, lang), line: error.line, column: error.column })) : shownProblems}
        flow={flowValue}
        purposeSuggestions={purposeSuggestionsOf(flowValue, nodesValue, [...new Set(validation.problems.flatMap((problem) => (problem.rule === "consent-missing" && problem.field ? [problem.field] : [])))])}
        lang={lang}
        title={serverProblems ? `${t(lang, "problems")} (${t(lang, "publish")})` : t(lang, "problems")}
        onSelect={selectProblem}
        onShowPath={showPath}
        onFixConsent={fixConsent}
      />
    </div>
  );
}

