/**
 * The widget bundle's entry (`/widget/widget.js`), injected by the snippet's loader on the
 * visitor's click. Registers `window.BotschaftWidget` and opens every snippet that asked for it.
 */
import "./widget.css";
import { ChatWidget } from "./chat-widget.ts";

declare global {
  interface Window {
    BotschaftWidget?: { open(wrapper: HTMLElement): void };
  }
}

// Read while the script runs: it is the runtime's address, for the stylesheet and the API.
const scriptUrl = new URL((document.currentScript as HTMLScriptElement | null)?.src ?? "widget.js", location.href);

function createWidgets(): NonNullable<Window["BotschaftWidget"]> {
  const widgets = new WeakMap<HTMLElement, ChatWidget>();
  return {
    open(wrapper) {
      let widget = widgets.get(wrapper);
      if (!widget) {
        widget = new ChatWidget(wrapper, scriptUrl);
        widgets.set(wrapper, widget);
      }
      delete wrapper.dataset.state;
      widget.open();
    },
  };
}

// A second copy of the script (two snippets clicked at once) reuses the first one's widgets.
const widgets = window.BotschaftWidget ?? createWidgets();
window.BotschaftWidget = widgets;
document.querySelectorAll<HTMLElement>("[data-botschaft][data-state=loading]").forEach((wrapper) => {
  widgets.open(wrapper);
});
