/**
 * One chat window for one snippet: built in a Shadow DOM (so the host page's CSS cannot break
 * it and its CSS cannot leak), styled by the one stylesheet from the runtime, talking to the web
 * chat API. The conversation lives in memory; browser storage only on "remember this chat".
 */
import type { InputFormat, OutgoingMessage } from "../../core/index.ts";
import { ApiError, ChatApi, type MenuItem, type Turn, type UserEvent } from "./chat-api.ts";
import { h, srOnly } from "./dom.ts";
import { canRemember, forget, type HistoryEntry, recall, remember } from "./remember.ts";
import { renderMessage } from "./render-message.ts";
import { widgetTexts, type WidgetTexts } from "./widget-texts.ts";
import { defaultAccent, httpsUrl, normaliseColour, onAccent, type WidgetLanguage } from "./theme.ts";

/** The composer's input for each input hint: the right on-screen keyboard and autofill. */
const inputKinds: Record<InputFormat, { type: string; inputmode: string; autocomplete: string }> = {
  text: { type: "text", inputmode: "text", autocomplete: "off" },
  email: { type: "email", inputmode: "email", autocomplete: "email" },
  phone: { type: "tel", inputmode: "tel", autocomplete: "tel" },
  number: { type: "text", inputmode: "decimal", autocomplete: "off" },
  date: { type: "date", inputmode: "numeric", autocomplete: "off" },
  postcode: { type: "text", inputmode: "text", autocomplete: "postal-code" },
  url: { type: "url", inputmode: "url", autocomplete: "url" },
};

/** Where the window fills the screen; the same breakpoint as in widget.css. */
const fullScreenQuery = "(max-width: 480px)";

/** What the widget talks to: the runtime's web chat API, or (in the editor's preview) the engine in the page. */
export type ChatTransport = Pick<ChatApi, "start" | "send" | "data"> & Partial<Pick<ChatApi, "typing" | "events">>;

/**
 * How the editor's preview runs this very widget: its transport, the stylesheet's text (no
 * request to a runtime), and the element it lives in, open and without close button or "remember".
 */
export interface EmbeddedWidget {
  api: ChatTransport;
  css: string;
  mount: HTMLElement;
}

function languageOf(wrapper: HTMLElement): WidgetLanguage {
  const lang = (wrapper.dataset.lang || document.documentElement.lang || "de").toLowerCase();
  return lang.startsWith("en") ? "en" : "de";
}

export class ChatWidget {
  private readonly flow: string;
  private readonly texts: WidgetTexts;
  private readonly locale: string;
  private readonly api: ChatTransport;
  private readonly embedded: boolean;
  private readonly host: HTMLElement;
  private readonly panel: HTMLElement;
  private readonly log: HTMLDivElement;
  private readonly scroller: HTMLElement;
  private readonly typing: HTMLElement;
  private readonly form: HTMLFormElement;
  private readonly input: HTMLInputElement;
  private readonly menuToggle: HTMLButtonElement;
  private readonly menuList: HTMLElement;
  private readonly confirmBox: HTMLElement;
  private readonly rememberBox: HTMLInputElement;
  private conversation: { id: string; token: string } | undefined;
  private menu: MenuItem[] = [];
  private history: HistoryEntry[] = [];
  private activeOptions: HTMLButtonElement[] = [];
  private retentionMs: number | undefined;
  private busy = false;
  private started = false;
  /** The live chat's event stream while a person has the conversation (docs/inbox.md#real-time). */
  private live: AbortController | undefined;
  private liveAfter = 0;
  private typedAt = 0;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly wrapper: HTMLElement,
    scriptUrl: URL,
    embedded?: EmbeddedWidget,
  ) {
    const dataset = wrapper.dataset;
    this.flow = dataset.botschaft ?? "";
    const language = languageOf(wrapper);
    this.texts = widgetTexts(language);
    this.locale = language === "en" ? "en-GB" : "de-DE";
    this.api = embedded?.api ?? new ChatApi(new URL("../api/v1/", scriptUrl));
    this.embedded = embedded !== undefined;
    const t = this.texts;

    this.host = h("div", { "data-botschaft-widget": this.flow, "data-position": embedded ? "embedded" : dataset.position === "left" ? "left" : "right" });
    const accent = normaliseColour(dataset.accent) ?? defaultAccent;
    // CSSOM writes, not style attributes: allowed under a strict style-src.
    this.host.style.setProperty("--bs-accent", accent);
    this.host.style.setProperty("--bs-on-accent", onAccent(accent));
    this.host.style.setProperty("display", "none");
    const root = this.host.attachShadow({ mode: "open" });
    const stylesheet = embedded ? undefined : h("link", { rel: "stylesheet", href: new URL("widget.css", scriptUrl).href, referrerpolicy: "no-referrer" });
    // Shown once styled, so the visitor never sees an unstyled flash.
    const reveal = () => {
      this.host.style.removeProperty("display");
      // Focus set while hidden did not take; give it now.
      if (!this.panel.hidden) this.focusCurrent();
    };
    stylesheet?.addEventListener("load", reveal);
    stylesheet?.addEventListener("error", reveal);

    const avatarUrl = httpsUrl(dataset.avatar);
    this.menuToggle = h("button", { type: "button", class: "icon", "aria-expanded": "false", "aria-controls": "menu" }, "☰ ", t.menu);
    const close = h("button", { type: "button", class: "icon", "aria-label": t.close }, "✕");
    this.menuList = h("nav", { id: "menu", class: "menu", "aria-label": t.menuLabel, hidden: true });
    this.confirmBox = h("div", { class: "confirm", role: "alertdialog", "aria-labelledby": "confirm-text", hidden: true });
    this.log = h("div", { class: "log", role: "log", "aria-live": "polite", "aria-label": t.log });
    this.typing = h("div", { class: "typing", hidden: true }, h("span", {}), h("span", {}), h("span", {}), srOnly(t.typing));
    this.scroller = h("div", { class: "scroller" }, this.log, this.typing);
    this.input = h("input", { id: "answer", name: "answer", placeholder: t.placeholder, autocomplete: "off", maxlength: "1000" });
    this.form = h(
      "form",
      { class: "composer", novalidate: true },
      h("label", { class: "sr", for: "answer" }, t.answer),
      this.input,
      h("button", { type: "submit", class: "send" }, t.send),
    );
    this.rememberBox = h("input", { type: "checkbox", id: "remember", "aria-describedby": "remember-hint" });
    const footer = h(
      "div",
      { class: "footer" },
      h("label", { for: "remember" }, this.rememberBox, " ", t.remember),
      h("p", { id: "remember-hint", class: "hint" }, t.rememberHint),
    );
    if (!canRemember() || this.embedded) footer.hidden = true;
    if (this.embedded) close.hidden = true;
    this.panel = h(
      "section",
      { class: "panel", role: "dialog", "aria-labelledby": "title", hidden: true },
      h(
        "header",
        {},
        avatarUrl && h("img", { class: "avatar", src: avatarUrl, alt: "", width: "32", height: "32", referrerpolicy: "no-referrer" }),
        h("h2", { id: "title" }, dataset.title || t.title),
        this.menuToggle,
        close,
      ),
      this.menuList,
      this.confirmBox,
      this.scroller,
      this.form,
      footer,
    );
    if (embedded) {
      // A constructed stylesheet: CSSOM, so allowed under a strict style-src like the widget's own.
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(embedded.css);
      root.adoptedStyleSheets = [sheet];
      root.append(this.panel);
      embedded.mount.append(this.host);
      reveal();
    } else {
      root.append(stylesheet as HTMLLinkElement, this.panel);
      document.body.append(this.host);
    }

    close.addEventListener("click", () => this.close());
    this.menuToggle.addEventListener("click", () => this.toggleMenu());
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      const text = this.input.value.trim();
      if (!text || this.busy) return;
      this.input.value = "";
      void this.send({ text }, text);
    });
    this.input.addEventListener("input", () => {
      // At most every three seconds, and only while a person reads along.
      const conversation = this.conversation;
      if (!this.live || !conversation || Date.now() - this.typedAt < 3000) return;
      this.typedAt = Date.now();
      this.api.typing?.(conversation.id, conversation.token);
    });
    this.rememberBox.addEventListener("change", () => {
      if (this.rememberBox.checked) void this.persist();
      else forget(this.flow);
    });
    this.panel.addEventListener("keydown", (event) => {
      if (event.key === "Tab") this.keepFocusInside(event);
      if (event.key !== "Escape") return;
      event.stopPropagation();
      if (!this.confirmBox.hidden) this.hideConfirm();
      else if (!this.menuList.hidden) this.toggleMenu(false);
      else this.close();
    });
  }

  open(): void {
    this.wrapper.setAttribute("data-open", "");
    this.wrapper.querySelector("button")?.removeAttribute("aria-busy");
    this.panel.hidden = false;
    this.panel.setAttribute("aria-modal", String(!this.embedded && window.matchMedia(fullScreenQuery).matches));
    if (!this.started) {
      this.started = true;
      const remembered = this.embedded ? undefined : recall(this.flow, Date.now());
      if (remembered) this.resume(remembered);
      else void this.start();
    }
    this.focusCurrent();
  }

  /** Focus on a retry after an error, else the first answer button of the pending question, else the text field. */
  private focusCurrent(): void {
    const last = this.log.lastElementChild;
    const retry = last?.classList.contains("error") ? last.querySelector("button") : null;
    (retry ?? this.activeOptions[0] ?? (this.input.disabled ? this.menuToggle : this.input)).focus();
  }

  /**
   * On a phone the window covers the page, so Tab must not wander to page content nobody can
   * see: it cycles inside the window, which then counts as modal.
   */
  private keepFocusInside(event: KeyboardEvent): void {
    const fullScreen = !this.embedded && window.matchMedia(fullScreenQuery).matches;
    this.panel.setAttribute("aria-modal", String(fullScreen));
    if (!fullScreen) return;
    const focusable = Array.from(this.panel.querySelectorAll<HTMLElement>("button, input, a[href]")).filter(
      (element) => !(element as HTMLButtonElement).disabled && element.getClientRects().length > 0,
    );
    const active = this.host.shadowRoot?.activeElement;
    const [first, last] = [focusable[0], focusable.at(-1)];
    if (event.shiftKey ? active === first : active === last) {
      event.preventDefault();
      (event.shiftKey ? last : first)?.focus();
    }
  }

  /** Removes the window (the editor's preview, when the flow changed or the tab closed). */
  destroy(): void {
    this.host.remove();
  }

  /** Starts the conversation afresh (the editor's preview "restart"). */
  restart(): void {
    void this.start();
  }

  close(): void {
    this.toggleMenu(false);
    this.hideConfirm();
    this.panel.hidden = true;
    this.wrapper.removeAttribute("data-open");
    this.wrapper.querySelector("button")?.focus();
  }

  private async start(): Promise<void> {
    this.reset();
    await this.request(async () => {
      const turn = await this.api.start(this.flow);
      this.conversation = { id: turn.id, token: turn.token };
      return turn;
    });
  }

  private resume(chat: NonNullable<ReturnType<typeof recall>>): void {
    this.conversation = { id: chat.id, token: chat.token };
    this.retentionMs = chat.retentionMs;
    this.rememberBox.checked = true;
    this.setMenu(chat.menu);
    for (const entry of chat.history) {
      if (entry.from === "user") this.showUser(entry.text);
      else this.showTurn({ id: chat.id, messages: entry.messages, menu: chat.menu, status: entry.status });
    }
    this.history = [...chat.history];
    // Reloaded during a live chat: follow the stream again, from after the last message shown,
    // so what the agent wrote meanwhile arrives once and what comes next keeps arriving.
    this.liveAfter = typeof chat.liveAfter === "number" && Number.isSafeInteger(chat.liveAfter) && chat.liveAfter >= 0 ? chat.liveAfter : 0;
    const last = [...chat.history].reverse().find((entry) => entry.from === "bot");
    if (last?.from === "bot" && last.status === "handover") this.follow();
    // The server may have deleted it meanwhile (retention, or erased elsewhere): then start afresh.
    this.api.data(chat.id, chat.token).catch((error: unknown) => {
      if (error instanceof ApiError && (error.status === 401 || error.status === 404)) {
        forget(this.flow);
        this.rememberBox.checked = false;
        void this.start();
      }
    });
  }

  /** Opens the live chat's event stream, and opens it again after a drop, resuming after the last message. */
  private follow(): void {
    const conversation = this.conversation;
    const events = this.api.events?.bind(this.api);
    // The editor's preview has no live chat behind it: a handover stays a note there.
    if (this.live || !conversation || !events) return;
    const controller = new AbortController();
    this.live = controller;
    const run = async () => {
      while (!controller.signal.aborted && this.conversation === conversation) {
        try {
          this.liveAfter = await events(conversation.id, conversation.token, this.liveAfter, controller.signal, (event) => {
            if (event.id !== undefined) this.liveAfter = event.id;
            this.onLiveEvent(event.event, event.data);
          });
        } catch (error) {
          // The conversation is gone (erased, expired): nothing more will come.
          if (error instanceof ApiError && (error.status === 401 || error.status === 404)) break;
        }
        if (!controller.signal.aborted) await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    };
    void run();
  }

  private unfollow(): void {
    this.live?.abort();
    this.live = undefined;
    this.liveAfter = 0;
  }

  private onLiveEvent(event: string, data: unknown): void {
    if (event === "typing") {
      this.typing.lastElementChild?.replaceChildren(this.texts.agentTyping);
      this.typing.hidden = false;
      this.scrollDown();
      clearTimeout(this.typingTimer);
      this.typingTimer = setTimeout(() => {
        if (!this.busy) this.typing.hidden = true;
        this.typing.lastElementChild?.replaceChildren(this.texts.typing);
      }, 4000);
      return;
    }
    if (event !== "message" || typeof data !== "object" || data === null || typeof (data as { type?: unknown }).type !== "string") return;
    const message = data as OutgoingMessage;
    const ended = message.type === "status" && message.status === "ended";
    const turn: Turn = { id: this.conversation?.id ?? "", messages: [message], menu: this.menu, status: ended ? "ended" : "handover" };
    clearTimeout(this.typingTimer);
    if (!this.busy) this.typing.hidden = true;
    this.history.push({ from: "bot", messages: turn.messages, status: turn.status });
    this.showTurn(turn);
    this.scrollDown();
    void this.persist();
    if (ended) this.unfollow();
  }

  private reset(): void {
    this.unfollow();
    this.conversation = undefined;
    this.history = [];
    this.activeOptions = [];
    this.retentionMs = undefined;
    this.log.replaceChildren();
    this.input.disabled = false;
    this.form.querySelector("button")?.removeAttribute("disabled");
    this.applyInputFormat("text");
  }

  /** Sends one user event; `shown` is what appears as the visitor's message. */
  private async send(event: UserEvent, shown: string): Promise<void> {
    const conversation = this.conversation;
    if (!conversation || this.busy) return;
    this.showUser(shown);
    this.history.push({ from: "user", text: shown });
    this.applyInputFormat("text");
    await this.request(() => this.api.send(conversation.id, conversation.token, event));
  }

  /** Runs one API call with the typing indicator, renders its turn, or offers a retry. */
  private async request(call: () => Promise<Turn>): Promise<void> {
    this.busy = true;
    this.typing.hidden = false;
    this.log.setAttribute("aria-busy", "true");
    this.scrollDown();
    try {
      const turn = await call();
      this.history.push({ from: "bot", messages: turn.messages, status: turn.status });
      this.setMenu(turn.menu);
      this.showTurn(turn);
      if (turn.status === "handover") this.follow();
      if (turn.status === "erased") this.erased();
      else void this.persist();
      if (!this.panel.hidden) this.focusCurrent();
    } catch (error) {
      this.showError(error, () => void this.request(call));
    } finally {
      this.busy = false;
      this.typing.hidden = true;
      this.log.removeAttribute("aria-busy");
      this.scrollDown();
    }
  }

  private showUser(text: string): void {
    for (const button of this.activeOptions) button.disabled = true;
    this.activeOptions = [];
    this.log.append(h("div", { class: "user" }, srOnly(`${this.texts.you}: `), h("p", { class: "bubble" }, text)));
  }

  /** Renders a bot turn; returns the buttons that answer it. */
  private showTurn(turn: Turn): HTMLButtonElement[] {
    // A turn without messages (the answer to a visitor's message while a person has the chat)
    // must not take away options that arrived on the live stream in the meantime.
    if (turn.messages.length === 0) return [];
    for (const button of this.activeOptions) button.disabled = true;
    const options: HTMLButtonElement[] = [];
    const item = h("div", { class: "bot" }, srOnly(`${this.texts.bot}: `));
    for (const message of turn.messages) {
      const rendered = renderMessage(message, {
        texts: this.texts,
        locale: this.locale,
        choose: (label, value, button) => {
          button.classList.add("chosen");
          void this.send({ choice: value }, label);
        },
        download: (button) => void this.download(button),
      });
      if (rendered.element) item.append(rendered.element);
      if (rendered.input) this.applyInputFormat(rendered.input);
      options.push(...rendered.options);
    }
    // Offered once, where the conversation ends, not under every later menu answer.
    if (turn.messages.some((message) => message.type === "status" && message.status !== "handover")) item.append(this.restartButton());
    this.log.append(item);
    this.activeOptions = options;
    return options;
  }

  private restartButton(): HTMLButtonElement {
    const button = h("button", { type: "button", class: "secondary" }, this.texts.restart);
    button.addEventListener("click", () => {
      forget(this.flow);
      this.rememberBox.checked = false;
      void this.start();
    });
    return button;
  }

  private showError(error: unknown, retryAction: () => void): void {
    const status = error instanceof ApiError ? error.status : 0;
    const t = this.texts;
    const item = h("div", { class: "error" }, h("p", {}, status === 429 ? t.tooFast : status === 401 || status === 404 ? t.expired : t.offline));
    if (status === 401 || status === 404) {
      forget(this.flow);
      this.rememberBox.checked = false;
      item.append(this.restartButton());
    } else {
      const retry = h("button", { type: "button", class: "secondary" }, t.retry);
      retry.addEventListener("click", () => {
        item.remove();
        retryAction();
      });
      item.append(retry);
    }
    this.log.append(item);
    this.focusCurrent();
  }

  /** After unsubscribe: nothing is left on the server, so nothing may stay in the browser either. */
  private erased(): void {
    this.unfollow();
    forget(this.flow);
    this.rememberBox.checked = false;
    this.conversation = undefined;
    this.input.disabled = true;
    this.form.querySelector("button")?.setAttribute("disabled", "");
    this.setMenu([]);
  }

  private setMenu(menu: MenuItem[]): void {
    this.menu = menu;
    this.menuToggle.hidden = menu.length === 0;
    const buttons = menu.map((entry) => {
      const button = h("button", { type: "button" }, entry.label);
      button.addEventListener("click", () => {
        this.toggleMenu(false);
        if (entry.id === "unsubscribe") this.showConfirm(entry);
        else void this.send({ menu: entry.id }, entry.label);
      });
      return h("li", {}, button);
    });
    this.menuList.replaceChildren(h("ul", {}, ...buttons));
  }

  private toggleMenu(show = this.menuList.hidden): void {
    if (this.menuList.hidden === !show) return;
    this.menuList.hidden = !show;
    this.menuToggle.setAttribute("aria-expanded", String(show));
    if (show) this.menuList.querySelector("button")?.focus();
    else if (this.panel.contains(document.activeElement) || this.host.shadowRoot?.activeElement) this.menuToggle.focus();
  }

  private showConfirm(entry: MenuItem): void {
    const t = this.texts;
    const yes = h("button", { type: "button", class: "danger" }, t.confirmYes);
    const no = h("button", { type: "button", class: "secondary" }, t.cancel);
    yes.addEventListener("click", () => {
      this.hideConfirm();
      void this.send({ menu: entry.id }, entry.label);
    });
    no.addEventListener("click", () => this.hideConfirm());
    this.confirmBox.replaceChildren(h("p", { id: "confirm-text" }, t.confirmUnsubscribe), h("div", { class: "options" }, yes, no));
    this.confirmBox.hidden = false;
    no.focus();
  }

  private hideConfirm(): void {
    if (this.confirmBox.hidden) return;
    this.confirmBox.hidden = true;
    this.confirmBox.replaceChildren();
    this.menuToggle.focus();
  }

  private applyInputFormat(format: InputFormat): void {
    const kind = inputKinds[format];
    this.input.type = kind.type;
    this.input.setAttribute("inputmode", kind.inputmode);
    this.input.setAttribute("autocomplete", kind.autocomplete);
    this.input.placeholder = format === "date" ? this.texts.datePlaceholder : this.texts.placeholder;
  }

  /** The export comes fresh from the API and is saved as a file; it never leaves the browser otherwise. */
  private async download(button: HTMLButtonElement): Promise<void> {
    const conversation = this.conversation;
    if (!conversation) return;
    button.disabled = true;
    try {
      const data = await this.api.data(conversation.id, conversation.token);
      const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }));
      const link = h("a", { href: url, download: this.texts.downloadName, hidden: true });
      this.panel.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (error) {
      this.showError(error, () => void this.download(button));
    } finally {
      button.disabled = false;
    }
  }

  /** Writes the remembered chat, only while the visitor has ticked "remember". */
  private async persist(): Promise<void> {
    const conversation = this.conversation;
    if (!this.rememberBox.checked || !conversation) return;
    if (this.retentionMs === undefined) {
      try {
        const data = await this.api.data(conversation.id, conversation.token);
        this.retentionMs = Date.parse(data.deleteAfter) - Date.parse(data.lastActivityAt);
      } catch {
        return;
      }
    }
    // The box may have been unticked while the retention was being looked up.
    if (!this.rememberBox.checked || this.conversation !== conversation) return;
    remember(this.flow, {
      ...conversation,
      retentionMs: this.retentionMs,
      expiresAt: Date.now() + this.retentionMs,
      menu: this.menu,
      history: this.history,
      ...(this.live ? { liveAfter: this.liveAfter } : {}),
    });
  }

  private scrollDown(): void {
    this.scroller.scrollTop = this.scroller.scrollHeight;
  }
}
