/**
 * The live-chat inbox for agents (docs/inbox.md#the-inbox): the queue, one conversation with the
 * messages since the handover and the fields its step shares, claim, reply, hand back, close.
 * An event stream nudges the page to reload; a new waiting conversation rings (a short tone)
 * and shows a browser notification when the agent allowed them. Every text is rendered as text.
 */
import { type FormEvent, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { ApiError } from "../api/http.ts";
import type { CannedAnswer, InboxApi, InboxEntry, InboxMessage, InboxView } from "../api/inbox-api.ts";
import { oneAtATime } from "../api/one-at-a-time.ts";
import { type MessageKey, t } from "../i18n/messages.ts";
import type { UiLanguage } from "../i18n/ui-language.ts";

const endedLabels: Record<NonNullable<InboxView["ended"]>, MessageKey> = {
  released: "inboxEndedReleased",
  closed: "inboxEndedClosed",
  withdrawn: "inboxEndedWithdrawn",
  erased: "inboxEndedErased",
};

const channelLabels: Record<string, string> = { web: "Web", telegram: "Telegram", whatsapp: "WhatsApp", messenger: "Messenger" };

/** A short two-tone chime made on the spot: no sound file to load, nothing to fetch. */
function chime(): void {
  try {
    const context = new AudioContext();
    for (const [index, frequency] of [880, 660].entries()) {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.15, context.currentTime + index * 0.18);
      gain.gain.exponentialRampToValueAtTime(0.001, context.currentTime + index * 0.18 + 0.16);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(context.currentTime + index * 0.18);
      oscillator.stop(context.currentTime + index * 0.18 + 0.17);
    }
    setTimeout(() => void context.close(), 1000);
  } catch {
    // No audio in this browser (or not allowed yet): the list and the notification still show it.
  }
}

function messageText(lang: UiLanguage, entry: InboxMessage): string {
  const message = entry.message;
  if (message.type === "status") return t(lang, message.status === "ended" ? "inboxStatusEnded" : message.status === "handover" ? "inboxStatusHandover" : "inboxStatusOther");
  if (Array.isArray(message.options)) return `${message.text ?? ""} [${message.options.map((option) => option.label).join(" | ")}]`;
  return typeof message.text === "string" ? message.text : `(${message.type})`;
}

/** A messenger's reply window end, as "07.12.2026" and "09:51" (German) or "7 Dec 2026" and "09:51". */
function windowTime(lang: UiLanguage, iso: string): { date: string; time: string } {
  const at = new Date(iso);
  const locale = lang === "de" ? "de-DE" : "en-GB";
  return {
    date: at.toLocaleDateString(locale, lang === "de" ? { day: "2-digit", month: "2-digit", year: "numeric" } : { day: "numeric", month: "short", year: "numeric" }),
    time: at.toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" }),
  };
}

function since(lang: UiLanguage, iso: string, now: number): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(iso)) / 60_000));
  // A messenger user may wait overnight: hours, then days, rather than "1430 min".
  if (minutes >= 48 * 60) return t(lang, "inboxDays", { days: Math.floor(minutes / (24 * 60)) });
  if (minutes >= 60) return t(lang, "inboxHours", { hours: Math.floor(minutes / 60) });
  return minutes < 1 ? t(lang, "inboxJustNow") : t(lang, "inboxMinutes", { minutes });
}

/** A message's time; with its day when it was not written today (a messenger user may come back the next day). */
function messageTime(lang: UiLanguage, iso: string, now: number): string {
  const at = new Date(iso);
  const locale = lang === "de" ? "de-DE" : "en-GB";
  const time = at.toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" });
  if (at.toDateString() === new Date(now).toDateString()) return time;
  return `${at.toLocaleDateString(locale, lang === "de" ? { day: "2-digit", month: "2-digit" } : { day: "numeric", month: "short" })}${lang === "de" ? "" : ","} ${time}`;
}

function errorText(lang: UiLanguage, error: unknown, channel: string | undefined): string {
  if (error instanceof ApiError && error.code === "reply-window-closed") return t(lang, "inboxWindowRefused", { channel: channelLabels[channel ?? ""] ?? channel ?? "" });
  if (error instanceof ApiError && error.status === 409) return t(lang, "inboxConflict", { reason: error.message });
  if (error instanceof ApiError && error.status === 410) return t(lang, "inboxGone");
  if (error instanceof ApiError && error.status === 400) return error.message;
  return error instanceof Error ? error.message : String(error);
}

export function InboxPage({ api, lang }: { api: InboxApi; lang: UiLanguage }) {
  const [queue, setQueue] = useState<InboxEntry[]>([]);
  const [selected, setSelected] = useState<string | undefined>();
  const [view, setView] = useState<InboxView | undefined>();
  const [draft, setDraft] = useState("");
  const [notice, setNotice] = useState<string | undefined>();
  const [visitorTyping, setVisitorTyping] = useState(false);
  const [canned, setCanned] = useState<CannedAnswer[]>([]);
  const [now, setNow] = useState(() => Date.now());
  const [notifications, setNotifications] = useState<NotificationPermission | "unsupported">(() => (typeof Notification === "undefined" ? "unsupported" : Notification.permission));
  const known = useRef<Set<string> | undefined>(undefined);
  const selectedRef = useRef<string | undefined>(undefined);
  const viewRef = useRef<InboxView | undefined>(undefined);
  const typedAt = useRef(0);
  const skew = useRef(0);
  selectedRef.current = selected;
  viewRef.current = view;

  const loadQueue = useCallback(async () => {
    const { conversations: entries, now: serverNow } = await api.list();
    // Waiting times by the server's clock, whatever the agent's computer says.
    skew.current = Date.parse(serverNow) - Date.now();
    const waiting = entries.filter((entry) => entry.state === "waiting");
    // Ring for conversations that newly wait, not for those already there when the page opened.
    if (known.current) {
      const fresh = waiting.filter((entry) => !known.current?.has(entry.id));
      if (fresh.length > 0) {
        chime();
        if (typeof Notification !== "undefined" && Notification.permission === "granted") {
          new Notification(t(lang, "inboxNotifyTitle"), { body: t(lang, "inboxNotifyBody", { flow: fresh[0]?.flow ?? "", count: fresh.length }), tag: "botschaft-inbox" });
        }
      }
    }
    known.current = new Set(waiting.map((entry) => entry.id));
    setQueue(entries);
  }, [api, lang]);
  // A burst of handovers nudges once per conversation: one reload at a time, and one more after it.
  const reloadQueue = useMemo(() => oneAtATime(loadQueue), [loadQueue]);

  /** Reads what came since the last message shown (no new audit entry) and merges it. */
  const refreshView = useCallback(async () => {
    const current = viewRef.current;
    const id = selectedRef.current;
    if (!id || !current || current.id !== id) return;
    const last = current.messages.at(-1)?.seq ?? 0;
    const fresh = await api.view(id, last);
    if (selectedRef.current !== id) return;
    // Several nudges may read at once: only messages newer than the last one shown are added.
    setView((shown) => {
      if (!shown || shown.id !== id) return shown;
      const newest = shown.messages.at(-1)?.seq ?? 0;
      // The history before the handover comes with the full view only; it stays as first shown.
      return { ...fresh, ...(shown.history ? { history: shown.history } : {}), messages: [...shown.messages, ...fresh.messages.filter((message) => message.seq > newest)] };
    });
  }, [api]);

  useEffect(() => {
    void loadQueue().catch((error: unknown) => setNotice(errorText(lang, error, undefined)));
    let typingTimer: ReturnType<typeof setTimeout> | undefined;
    const stop = api.events((kind, data) => {
      if (kind === "typing") {
        if (data.conversation === selectedRef.current && data.from === "visitor") {
          setVisitorTyping(true);
          clearTimeout(typingTimer);
          typingTimer = setTimeout(() => setVisitorTyping(false), 4000);
        }
        return;
      }
      if (kind === "queue") void reloadQueue().catch(() => undefined);
      if (data.conversation === selectedRef.current) {
        if (kind === "message") setVisitorTyping(false);
        void refreshView().catch(() => undefined);
      }
    });
    const clock = setInterval(() => setNow(Date.now()), 30_000);
    return () => {
      stop();
      clearInterval(clock);
      clearTimeout(typingTimer);
    };
  }, [api, lang, loadQueue, reloadQueue, refreshView]);

  const cannedFlow = view?.flow;
  useEffect(() => {
    setCanned([]);
    if (cannedFlow) void api.canned(cannedFlow).then(setCanned, () => undefined);
  }, [api, cannedFlow]);

  const open = async (id: string) => {
    setSelected(id);
    setNotice(undefined);
    setDraft("");
    setVisitorTyping(false);
    try {
      setView(await api.view(id));
    } catch (error) {
      setNotice(errorText(lang, error, viewRef.current?.channel));
    }
  };

  const act = async (action: () => Promise<unknown>) => {
    setNotice(undefined);
    try {
      await action();
      await Promise.all([loadQueue(), refreshView()]);
    } catch (error) {
      setNotice(errorText(lang, error, viewRef.current?.channel));
      // The queue carries the server's time: a refused reply after the window then shows the window closed.
      await Promise.all([loadQueue().catch(() => undefined), refreshView().catch(() => undefined)]);
    }
  };

  const send = (event: FormEvent) => {
    event.preventDefault();
    const id = selected;
    const text = draft.trim();
    if (!id || !text) return;
    void act(async () => {
      await api.reply(id, text);
      setDraft("");
    });
  };

  const ended = view?.state === "ended";
  const canWrite = view !== undefined && !ended && (view.state === "waiting" || view.mine);
  // By the server's clock, as the server decides whether a reply may still go out.
  const windowClosed = view?.replyWindowEnd !== undefined && Date.parse(view.replyWindowEnd) <= now + skew.current;
  // Less than an hour left: set apart, so that it is not overlooked.
  const windowEndsSoon = view?.replyWindowEnd !== undefined && Date.parse(view.replyWindowEnd) - (now + skew.current) < 3_600_000;

  return (
    <section className="page inbox-page" data-testid="inbox">
      <div className="inbox-head">
        <h1>{t(lang, "navInbox")}</h1>
        {notifications === "default" && (
          <button type="button" className="small" data-testid="inbox-notifications" onClick={() => void Notification.requestPermission().then(setNotifications)}>
            {t(lang, "inboxAllowNotifications")}
          </button>
        )}
      </div>
      <div className="inbox">
        <aside className="inbox-queue" aria-label={t(lang, "inboxQueue")}>
          <h2>{t(lang, "inboxQueue")}</h2>
          {queue.length === 0 && <p className="muted" data-testid="inbox-empty">{t(lang, "inboxEmpty")}</p>}
          <ul>
            {queue.map((entry) => (
              <li key={entry.id}>
                <button type="button" className={entry.id === selected ? "inbox-entry current" : "inbox-entry"} data-testid={`inbox-entry-${entry.id}`} onClick={() => void open(entry.id)}>
                  <span className="inbox-entry-top">
                    <strong>{entry.flow}</strong> · {channelLabels[entry.channel] ?? entry.channel}
                    <span className="spacer" />
                    <span className={`badge ${entry.state === "waiting" ? "badge-warning" : entry.mine ? "badge-ok" : ""}`}>
                      {entry.state === "waiting" ? t(lang, "inboxWaiting") : entry.mine ? t(lang, "inboxMine") : t(lang, "inboxTakenBy", { name: entry.claimedByName ?? "?" })}
                    </span>
                  </span>
                  <span className="inbox-entry-text">{entry.text.replace(/\{\{\s*([\w-]+)\s*\}\}/g, "[$1]")}</span>
                  <span className="muted">
                    {t(lang, "inboxWaitingSince", { since: since(lang, entry.waitingSince, now + skew.current) })}
                    {entry.unattended && ` · ${t(lang, "inboxUnattended")}`}
                    {entry.timedOut && ` · ${t(lang, "inboxTimedOut")}`}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </aside>
        <div className="inbox-chat">
          {!view ? (
            <p className="muted">{notice ?? t(lang, "inboxPick")}</p>
          ) : (
            <>
              <div className="inbox-chat-head">
                <h2>
                  {view.flow} · {channelLabels[view.channel] ?? view.channel}
                </h2>
                <span className="spacer" />
                {!ended && !view.mine && (
                  <button type="button" data-testid="inbox-claim" onClick={() => void act(() => api.claim(view.id))}>
                    {view.state === "claimed" ? t(lang, "inboxTakeOver") : t(lang, "inboxClaim")}
                  </button>
                )}
                {!ended && view.mine && (
                  <>
                    <button type="button" data-testid="inbox-release" onClick={() => void act(() => api.release(view.id))}>
                      {t(lang, "inboxRelease")}
                    </button>
                    <button type="button" className="danger" data-testid="inbox-close" onClick={() => void act(() => api.close(view.id))}>
                      {t(lang, "inboxClose")}
                    </button>
                  </>
                )}
              </div>
              {ended && <p className="notice" data-testid="inbox-ended">{t(lang, endedLabels[view.ended ?? "closed"])}</p>}
              {view.ended !== "erased" && (
                <>
                  <dl className="inbox-shares" data-testid="inbox-shares">
                    {Object.keys(view.shares).length === 0 ? (
                      <dd className="muted">{t(lang, "inboxNoShares")}</dd>
                    ) : (
                      Object.entries(view.shares).map(([field, value]) => (
                        <div key={field}>
                          <dt>{view.labels?.[field] ?? field}</dt>
                          <dd>{String(value)}</dd>
                        </div>
                      ))
                    )}
                  </dl>
                  {view.history && view.history.length > 0 && (
                    <details className="inbox-history" data-testid="inbox-history" open>
                      <summary>{t(lang, "inboxHistory", { count: view.history.length })}</summary>
                      <p className="muted">{t(lang, "inboxHistoryHelp")}</p>
                      <ol className="inbox-messages">
                        {view.history.map((entry, index) => (
                          // biome-ignore lint/suspicious/noArrayIndexKey: the history is fixed once shown; its entries have no ids
                          <li key={index} className={`inbox-message from-${entry.from}`}>
                            <span className="inbox-message-who">{t(lang, entry.from === "visitor" ? "inboxFromVisitor" : "inboxFromBot")}</span>
                            <span className="inbox-message-text">{messageText(lang, { seq: 0, ...entry })}</span>
                            <time dateTime={entry.at}>{new Date(entry.at).toLocaleTimeString(lang === "de" ? "de-DE" : "en-GB", { hour: "2-digit", minute: "2-digit" })}</time>
                          </li>
                        ))}
                      </ol>
                    </details>
                  )}
                  <ol className="inbox-messages" data-testid="inbox-messages" aria-live="polite">
                    {view.messages.map((entry) => (
                      <li key={entry.seq} className={`inbox-message from-${entry.from}`}>
                        <span className="inbox-message-who">{t(lang, entry.from === "visitor" ? "inboxFromVisitor" : entry.from === "agent" ? "inboxFromAgent" : "inboxFromBot")}</span>
                        <span className="inbox-message-text">{messageText(lang, entry)}</span>
                        <time dateTime={entry.at}>{messageTime(lang, entry.at, now + skew.current)}</time>
                      </li>
                    ))}
                  </ol>
                  {visitorTyping && <p className="muted" data-testid="inbox-typing">{t(lang, "inboxVisitorTyping")}</p>}
                </>
              )}
              {view.replyWindowEnd && !ended && (
                <p className={windowClosed ? "notice error" : windowEndsSoon ? "notice" : "muted"} data-testid="inbox-window">
                  {t(lang, windowClosed ? "inboxWindowClosed" : "inboxWindowOpen", { ...windowTime(lang, view.replyWindowEnd), channel: channelLabels[view.channel] ?? view.channel })}
                </p>
              )}
              {notice && <p className="notice error" role="alert">{notice}</p>}
              {canWrite && !windowClosed && (
                <form className="inbox-reply" onSubmit={send}>
                  <label className="sr" htmlFor="inbox-reply">
                    {t(lang, "inboxReply")}
                  </label>
                  <textarea
                    id="inbox-reply"
                    data-testid="inbox-reply"
                    value={draft}
                    maxLength={2000}
                    rows={3}
                    placeholder={t(lang, "inboxReplyPlaceholder")}
                    onChange={(event) => {
                      setDraft(event.target.value);
                      if (Date.now() - typedAt.current > 3000) {
                        typedAt.current = Date.now();
                        void api.typing(view.id).catch(() => undefined);
                      }
                    }}
                    onKeyDown={(event) => {
                      if (event.key === "Enter" && !event.shiftKey) send(event);
                    }}
                  />
                  {canned.length > 0 && (
                    <select
                      data-testid="inbox-canned"
                      aria-label={t(lang, "inboxCanned")}
                      value=""
                      onChange={(event) => {
                        const chosen = canned[Number(event.target.value)];
                        if (chosen) setDraft((current) => (current.trim() === "" ? chosen.text : `${current} ${chosen.text}`));
                      }}
                    >
                      <option value="">{t(lang, "inboxCanned")}</option>
                      {canned.map((answer, index) => (
                        <option key={answer.title} value={index}>
                          {answer.title}
                        </option>
                      ))}
                    </select>
                  )}
                  <button type="submit" data-testid="inbox-send" disabled={draft.trim() === ""}>
                    {t(lang, "inboxSend")}
                  </button>
                </form>
              )}
            </>
          )}
        </div>
      </div>
    </section>
  );
}
