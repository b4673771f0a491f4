/**
 * Turns one engine message into DOM: text as text, options as buttons, links only to https:
 * addresses. Every message type of `OutgoingMessage` has a case; a new one is a compile error.
 */
import type { DataExport, InputFormat, OutgoingMessage } from "../../core/index.ts";
import { h, srOnly } from "./dom.ts";
import { httpsUrl } from "./theme.ts";
import type { WidgetTexts } from "./widget-texts.ts";

export interface Rendered {
  element?: HTMLElement;
  /** Buttons that answer the pending question; disabled once the conversation moves on. */
  options: HTMLButtonElement[];
  input?: InputFormat;
}

export interface RenderContext {
  texts: WidgetTexts;
  /** BCP 47 locale for dates. */
  locale: string;
  choose(label: string, value: string, button: HTMLButtonElement): void;
  download(button: HTMLButtonElement): void;
}

/** An https link opening in a new tab, or the plain label when the address is not https. */
export function safeLink(label: string, url: string, texts: WidgetTexts): HTMLElement {
  const href = httpsUrl(url);
  if (!href) return h("span", {}, label);
  return h("a", { href, target: "_blank", rel: "noopener noreferrer" }, label, srOnly(` ${texts.newTab}`));
}

function options(list: { label: string; value: string }[], question: string, context: RenderContext): [HTMLElement, HTMLButtonElement[]] {
  const buttons = list.map((option) => {
    const button = h("button", { type: "button", class: "option" }, option.label);
    button.addEventListener("click", () => context.choose(option.label, option.value, button));
    return button;
  });
  return [h("div", { class: "options", role: "group", "aria-label": question }, ...buttons), buttons];
}

function dataCard(data: DataExport, context: RenderContext): HTMLElement {
  const { texts } = context;
  const download = h("button", { type: "button", class: "secondary" }, texts.download);
  download.addEventListener("click", () => context.download(download));
  const fields = data.fields.flatMap((field) => [
    // A runtime older than field labels sends ids only.
    h("dt", {}, field.label ?? field.field),
    h("dd", {}, String(field.value), field.purposes.length > 0 ? h("small", {}, ` (${field.purposes.join(", ")})`) : undefined),
  ]);
  const consents = data.consents.map((record) =>
    h("li", {}, `${record.purpose}: ${texts.decision[record.decision]} ${new Date(record.at).toLocaleString(context.locale, { dateStyle: "long", timeStyle: "short" })}`),
  );
  return h(
    "div",
    { class: "bubble data" },
    h("p", { class: "label" }, texts.stored),
    fields.length > 0 ? h("dl", {}, ...fields) : h("p", {}, texts.nothingStored),
    consents.length > 0 && h("p", { class: "label" }, texts.consents),
    consents.length > 0 && h("ul", {}, ...consents),
    download,
  );
}

export function renderMessage(message: OutgoingMessage, context: RenderContext): Rendered {
  const { texts } = context;
  switch (message.type) {
    case "text":
      return { element: h("p", { class: "bubble" }, message.text), options: [] };
    case "choice": {
      // The data card above carries the one download button; the chat's "export" answer would only repeat the card.
      const [group, buttons] = options(
        message.options.filter((option) => option.value !== "my-data:export"),
        message.text,
        context,
      );
      return { element: h("div", { class: "bubble" }, h("p", {}, message.text), group), options: buttons };
    }
    case "consent": {
      const [group, buttons] = options(message.options, message.text, context);
      const element = h(
        "div",
        { class: "bubble consent" },
        h("p", {}, message.text),
        h("p", {}, h("strong", {}, `${texts.purpose}: `), message.purpose),
        h("p", {}, h("strong", {}, `${texts.data}: `), (message.labels ?? message.fields).join(", ")),
        h("p", {}, safeLink(texts.policy, message.policyUrl, texts)),
        group,
      );
      return { element, options: buttons };
    }
    case "link":
      return { element: h("p", { class: "bubble" }, safeLink(message.label, message.url, texts)), options: [] };
    case "input":
      return { options: [], input: message.format };
    case "data":
      return { element: dataCard(message.data, context), options: [] };
    case "status": {
      const note = { handover: texts.handover, ended: texts.ended, erased: texts.erased }[message.status];
      return { element: h("p", { class: "note" }, note), options: [] };
    }
  }
}
