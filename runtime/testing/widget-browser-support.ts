/**
 * Headless Chromium for the widget's browser tests and bench (playwright-core driving Debian's
 * chromium), plus the page instrumentation that records every storage write and CSP violation.
 */
import type { Browser, BrowserContext } from "playwright-core";

export { launchChromium, skipBrowserTests } from "./headless-chromium.ts";

export interface StorageWrite {
  kind: string;
  key: string;
}

declare global {
  interface Window {
    __recorded: { storage: StorageWrite[]; csp: string[] };
  }
}

/**
 * Runs in every page before its own scripts: wraps each way a page can store something
 * (Web Storage, IndexedDB, Cache Storage, cookies) and listens for CSP violations.
 */
function instrument(): void {
  const recorded: Window["__recorded"] = { storage: [], csp: [] };
  window.__recorded = recorded;
  const note = (kind: string, key: unknown) => recorded.storage.push({ kind, key: String(key) });
  for (const method of ["setItem", "removeItem", "clear"] as const) {
    const original = Storage.prototype[method] as (...args: unknown[]) => unknown;
    Storage.prototype[method] = function (this: Storage, ...args: unknown[]) {
      note(`${this === window.localStorage ? "localStorage" : "sessionStorage"}.${method}`, args[0]);
      return original.apply(this, args);
    } as never;
  }
  const openDatabase = IDBFactory.prototype.open;
  IDBFactory.prototype.open = function (this: IDBFactory, ...args: Parameters<IDBFactory["open"]>) {
    note("indexedDB.open", args[0]);
    return openDatabase.apply(this, args);
  };
  const cookie = Object.getOwnPropertyDescriptor(Document.prototype, "cookie");
  Object.defineProperty(Document.prototype, "cookie", {
    configurable: true,
    get(this: Document) {
      return cookie?.get?.call(this);
    },
    set(this: Document, value: string) {
      note("document.cookie", value);
      cookie?.set?.call(this, value);
    },
  });
  if ("caches" in window) {
    const openCache = CacheStorage.prototype.open;
    CacheStorage.prototype.open = function (this: CacheStorage, name: string) {
      note("caches.open", name);
      return openCache.call(this, name);
    };
  }
  document.addEventListener("securitypolicyviolation", (event) => recorded.csp.push(`${event.violatedDirective} ${event.blockedURI}`), true);
}

export interface RecordedContext {
  context: BrowserContext;
  /** Every request the browser made, in order. */
  requests: string[];
  /** Console errors, e.g. CSP refusals. */
  consoleErrors: string[];
}

export async function recordedContext(browser: Browser, options: Parameters<Browser["newContext"]>[0] = {}): Promise<RecordedContext> {
  const context = await browser.newContext({ acceptDownloads: true, ...options });
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  context.on("request", (request) => requests.push(request.url()));
  context.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  await context.addInitScript(instrument);
  return { context, requests, consoleErrors };
}
