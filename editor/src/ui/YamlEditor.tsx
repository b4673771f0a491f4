/**
 * The YAML tab: CodeMirror on the same document. It starts from the current text; what is
 * typed goes back to the document once it parses, and syntax errors (in the UI's language) are
 * marked where they are, with the cursor on the first one when the tab opens.
 */
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { yaml } from "@codemirror/lang-yaml";
import { defaultHighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { type Diagnostic, lintGutter, setDiagnostics } from "@codemirror/lint";
import { EditorState } from "@codemirror/state";
import { EditorView, keymap, lineNumbers } from "@codemirror/view";
import { useEffect, useRef } from "react";
import type { SourceError } from "../model/flow-document.ts";

export function YamlEditor({ initialText, errors, label, onChange }: { initialText: string; errors: SourceError[]; label?: string; onChange(text: string): void }) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const changed = useRef(onChange);
  changed.current = onChange;
  const initial = useRef(initialText);
  const placed = useRef(false);
  const name = useRef(label ?? "YAML");

  useEffect(() => {
    if (!host.current) return;
    const editor = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: initial.current,
        extensions: [
          lineNumbers(),
          history(),
          keymap.of([...defaultKeymap, ...historyKeymap]),
          yaml(),
          // A name for screen readers: the editable area has no visible label of its own.
          EditorView.contentAttributes.of({ "aria-label": name.current, tabindex: "0" }),
          syntaxHighlighting(defaultHighlightStyle),
          lintGutter(),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) changed.current(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = editor;
    return () => editor.destroy();
    // Mounted once per opening of the tab: later text comes from typing, not from props.
  }, []);

  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    const doc = editor.state.doc;
    const diagnostics: Diagnostic[] = errors.map((error) => {
      const line = doc.line(Math.min(Math.max(error.line, 1), doc.lines));
      const from = Math.min(line.from + Math.max(error.column - 1, 0), line.to);
      return { from, to: Math.min(from + 1, doc.length), severity: "error", message: error.message };
    });
    editor.dispatch(setDiagnostics(editor.state, diagnostics));
    // Opening the tab on broken YAML puts the cursor on the first error, in view.
    const first = diagnostics[0];
    const opening = !placed.current;
    placed.current = true;
    if (first && opening) {
      editor.dispatch({ selection: { anchor: first.from }, effects: EditorView.scrollIntoView(first.from, { y: "center" }) });
      editor.focus();
    }
  }, [errors]);

  return <div className="yaml-editor" ref={host} data-testid="yaml-editor" />;
}
