/**
 * "Remember this chat on this device": the only browser storage the widget ever uses, and only
 * after the visitor ticked the box (docs/privacy.md#two-click-web-widget, docs/widget.md#browser-storage-and-the-law). The entry expires no later than
 * the flow's retention would delete the conversation on the server.
 */
import type { MenuItem, Turn } from "./chat-api.ts";

export type HistoryEntry = { from: "user"; text: string } | { from: "bot"; messages: Turn["messages"]; status: Turn["status"] };

export interface RememberedChat {
  id: string;
  token: string;
  /** Epoch milliseconds after which the entry is ignored and removed. */
  expiresAt: number;
  /** Milliseconds a conversation is kept after its last activity. */
  retentionMs: number;
  menu: MenuItem[];
  history: HistoryEntry[];
  /** The number of the last live-chat message shown, so the event stream resumes after it on reload. */
  liveAfter?: number;
}

/** Old turns beyond this are dropped, so the entry stays small. */
const maxHistory = 200;

const keyOf = (flow: string) => `botschaft:${flow}`;

function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    // Blocked storage (privacy settings, sandboxed frames): remembering is unavailable.
    return undefined;
  }
}

export function recall(flow: string, now: number): RememberedChat | undefined {
  const store = storage();
  const raw = store?.getItem(keyOf(flow));
  if (!raw) return undefined;
  try {
    const entry = JSON.parse(raw) as RememberedChat;
    if (typeof entry.id === "string" && typeof entry.token === "string" && entry.expiresAt > now && Array.isArray(entry.history)) return entry;
  } catch {
    // A damaged entry is removed below like an expired one.
  }
  store?.removeItem(keyOf(flow));
  return undefined;
}

export function remember(flow: string, chat: RememberedChat): boolean {
  try {
    storage()?.setItem(keyOf(flow), JSON.stringify({ ...chat, history: chat.history.slice(-maxHistory) }));
    return true;
  } catch {
    return false;
  }
}

export function forget(flow: string): void {
  storage()?.removeItem(keyOf(flow));
}

export function canRemember(): boolean {
  return storage() !== undefined;
}
