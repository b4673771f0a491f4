/**
 * Undo and redo as a history of document snapshots: every edit works on a copy (sharing the
 * unchanged nodes, see `copy-on-write.ts`), so a snapshot is just the previous Document object.
 */
import { copyForEdit } from "./copy-on-write.ts";
import type { FlowDocument } from "./flow-document.ts";

export interface History {
  past: FlowDocument[];
  present: FlowDocument;
  future: FlowDocument[];
  /** Edits with the same key in a row (typing into one field) make one undo step. */
  lastKey?: string;
}

const limit = 200;

export function startHistory(doc: FlowDocument): History {
  return { past: [], present: doc, future: [] };
}

/** Applies an edit to a clone of the present document; the old one becomes undoable. */
export function applyEdit(history: History, edit: (doc: FlowDocument) => void, key?: string): History {
  const next = copyForEdit(history.present);
  edit(next);
  if (key !== undefined && key === history.lastKey) return { past: history.past, present: next, future: [], lastKey: key };
  return { past: [...history.past.slice(-limit + 1), history.present], present: next, future: [], ...(key === undefined ? {} : { lastKey: key }) };
}

/** Replaces the present (e.g. after editing the YAML text) as one undoable step. */
export function replacePresent(history: History, doc: FlowDocument): History {
  return { past: [...history.past.slice(-limit + 1), history.present], present: doc, future: [] };
}

export function undo(history: History): History {
  const previous = history.past.at(-1);
  if (!previous) return history;
  return { past: history.past.slice(0, -1), present: previous, future: [history.present, ...history.future] };
}

export function redo(history: History): History {
  const next = history.future[0];
  if (!next) return history;
  return { past: [...history.past, history.present], present: next, future: history.future.slice(1) };
}
