import { readFile, mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import type { DataExport } from "../core/index.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildWidget } from "./build-widget.ts";
import { launchChromium, type RecordedContext, recordedContext, skipBrowserTests } from "../testing/widget-browser-support.ts";
import { startWidgetRig, type WidgetRig } from "../testing/widget-test-rig.ts";

const scratch = fileURLToPath(new URL("../../scratch/", import.meta.url));
const timeout = 60_000;

let browser: Browser;
let rig: WidgetRig;

const widget = "[data-botschaft-widget]";

function storageWrites(page: Page) {
  return page.evaluate(() => window.__recorded.storage);
}

function cspViolations(page: Page) {
  return page.evaluate(() => window.__recorded.csp);
}

/** The bot's last message bubble text, once it contains `text`. */
async function expectBotSays(page: Page, text: string | RegExp) {
  await page.locator(`${widget} .bot`).filter({ hasText: text }).last().waitFor();
}

function option(page: Page, name: string) {
  return page.locator(`${widget} button.option:enabled`, { hasText: name });
}

async function answer(page: Page, text: string) {
  await page.locator(`${widget} #answer`).fill(text);
  await page.locator(`${widget} #answer`).press("Enter");
}

async function openChat(page: Page, button = "Chat starten") {
  await page.getByRole("button", { name: button }).click();
  await expectBotSays(page, "Wie kann ich helfen?");
}

function conversationId(urls: string[]): string | undefined {
  return urls.map((url) => /conversations\/([\w-]+)\//.exec(url)?.[1]).find(Boolean);
}

/** A description of the focused element, looking through shadow roots. */
function focused(page: Page) {
  return page.evaluate(() => {
    let element = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    if (!element) return "";
    return element.id ? `#${element.id}` : (element.getAttribute("aria-label") ?? element.textContent?.trim() ?? element.tagName);
  });
}

async function tabUntil(page: Page, target: string, key = "Tab") {
  for (let presses = 0; presses < 40; presses++) {
    if ((await focused(page)) === target) return;
    await page.keyboard.press(key);
  }
  throw new Error(`${target} never received focus; the focus is on ${await focused(page)}.`);
}

async function startedId(page: Page, open: () => Promise<void>): Promise<string> {
  const started = page.waitForResponse((response) => response.url().endsWith("/api/v1/conversations") && response.request().method() === "POST");
  await open();
  return ((await (await started).json()) as { id: string }).id;
}

async function axeViolations(page: Page) {
  const source = await readFile(fileURLToPath(import.meta.resolve("axe-core/axe.min.js")), "utf8");
  // Evaluated through the driver, which the page's strict CSP does not govern.
  await page.evaluate(source);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; impact: string; nodes: { target: unknown }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((violation) => ({ id: violation.id, impact: violation.impact, targets: violation.nodes.map((node) => JSON.stringify(node.target)) }));
  });
}

async function menu(page: Page, item: string) {
  await page.locator(`${widget} button[aria-controls=menu]`).click();
  await page.locator(`${widget} nav button`, { hasText: item }).click();
}

describe.skipIf(skipBrowserTests)("the web widget in Chromium", () => {
  beforeAll(async () => {
    const [assets, launched] = await Promise.all([buildWidget(), launchChromium()]);
    browser = launched;
    rig = await startWidgetRig({ assets });
    await mkdir(scratch, { recursive: true });
  }, timeout);

  afterAll(async () => {
    await browser?.close();
    await rig?.close();
  });

  let recorded: RecordedContext;
  async function newPage(options: Parameters<Browser["newContext"]>[0] = {}): Promise<Page> {
    recorded = await recordedContext(browser, options);
    return recorded.context.newPage();
  }

  it(
    "requests and stores nothing before the click, then talks only to the runtime, and never sets a cookie",
    async () => {
      const page = await newPage();
      const hostPage = rig.hostPage();
      await page.goto(hostPage, { waitUntil: "load" });
      // Time for anything lazy (idle callbacks, timers) the page might have scheduled.
      await page.waitForTimeout(500);
      expect(recorded.requests).toEqual([hostPage]);
      expect(await storageWrites(page)).toEqual([]);
      expect(await page.evaluate(() => [document.cookie, localStorage.length, sessionStorage.length])).toEqual(["", 0, 0]);

      await openChat(page);
      await option(page, "Öffnungszeiten").click();
      await expectBotSays(page, "Montag bis Freitag");
      const afterClick = recorded.requests.slice(1);
      expect(afterClick.map((url) => new URL(url).origin)).toEqual(afterClick.map(() => rig.runtimeOrigin));
      // One script, one stylesheet, then the API (CORS preflights are not reported as requests).
      expect(afterClick.map((url) => new URL(url).pathname).sort()).toEqual(
        ["/api/v1/conversations", `/api/v1/conversations/${conversationId(afterClick)}/messages`, "/widget/widget.css", "/widget/widget.js"].sort(),
      );
      expect(await storageWrites(page)).toEqual([]);
      expect(await recorded.context.cookies()).toEqual([]);
      expect(await cspViolations(page)).toEqual([]);
      expect(recorded.consoleErrors).toEqual([]);
      await recorded.context.close();
    },
    timeout,
  );

  it(
    "runs the reference flow: decline, accept, my-data export download, correction and unsubscribe",
    async () => {
      const page = await newPage();
      await page.goto(rig.hostPage());
      const id = await startedId(page, () => openChat(page));
      await option(page, "Rückruf anfordern").click();
      const consent = page.locator(`${widget} .consent`).last();
      await consent.waitFor();
      await expect(consent.textContent()).resolves.toContain("Zweck: Rückruf zu Ihrem Anliegen");
      await expect(consent.textContent()).resolves.toContain("Daten: Name, Telefonnummer");
      await expect(consent.locator("a").getAttribute("href")).resolves.toBe("https://muster.example/datenschutz");
      await option(page, "Nein, danke").click();
      await expectBotSays(page, "ohne Ihre Einwilligung speichern wir nichts");

      await option(page, "Rückruf anfordern").click();
      await option(page, "Ja, einverstanden").click();
      await expectBotSays(page, "Wie heißen Sie?");
      await expect(page.locator(`${widget} #answer`).getAttribute("type")).resolves.toBe("text");
      await answer(page, "Erika <img src=x onerror=alert(1)>");
      await expectBotSays(page, "Unter welcher Nummer");
      // The input hint `phone` brings up the telephone keypad.
      await expect(page.locator(`${widget} #answer`).getAttribute("type")).resolves.toBe("tel");
      await expect(page.locator(`${widget} #answer`).getAttribute("autocomplete")).resolves.toBe("tel");
      await answer(page, "+49 170 1234567");
      await expectBotSays(page, "Danke, Erika <img src=x onerror=alert(1)>! Wir rufen Sie zurück.");
      await expectBotSays(page, "Das Gespräch ist beendet.");
      // Text stays text: the user's markup is shown, not parsed.
      await expect(page.locator(`${widget} img`).count()).resolves.toBe(0);
      expect(rig.webhookCalls.at(-1)?.body).toEqual({ name: "Erika <img src=x onerror=alert(1)>", phone: "+491701234567" });

      await menu(page, "Meine Daten");
      const card = page.locator(`${widget} .data`).last();
      await card.waitFor();
      await expect(card.textContent()).resolves.toMatch(/Telefonnummer\+491701234567/);
      const downloading = page.waitForEvent("download");
      // One download action: the card's button; the chat's "export" answer is not offered again beside it.
      await expect(page.locator(`${widget} button`, { hasText: "Als JSON exportieren" }).count()).resolves.toBe(0);
      await expect(card.textContent()).resolves.toMatch(/\d{1,2}\. [A-Z][a-zä]+ \d{4} um \d{2}:\d{2}/);
      await card.getByRole("button", { name: "Meine Daten herunterladen" }).click();
      const download = await downloading;
      expect(download.suggestedFilename()).toBe("meine-daten.json");
      const exported = JSON.parse(await readFile((await download.path()) as string, "utf8")) as DataExport;
      expect(exported.fields.map(({ field, value }) => [field, value])).toEqual([
        ["name", "Erika <img src=x onerror=alert(1)>"],
        ["phone", "+491701234567"],
      ]);
      expect(exported.consents.map((record) => record.decision)).toEqual(["decline", "accept"]);

      await option(page, "Telefonnummer korrigieren").click();
      await expectBotSays(page, "Bitte geben Sie den neuen Wert für „Telefonnummer“ ein.");
      await expect(page.locator(`${widget} #answer`).getAttribute("type")).resolves.toBe("tel");
      await answer(page, "030 1234567");
      await expectBotSays(page, "„Telefonnummer“ wurde korrigiert.");
      await menu(page, "Meine Daten");
      await page.locator(`${widget} .data`, { hasText: "0301234567" }).waitFor();
      // "Start a new conversation" is offered where the flow ended, not under every later answer.
      await expect(page.getByRole("button", { name: "Neues Gespräch starten" }).count()).resolves.toBe(1);
      await menu(page, "Datenschutz");
      await expect(page.locator(`${widget} .bot a`).last().getAttribute("href")).resolves.toBe("https://muster.example/datenschutz");
      await expect(page.locator(`${widget} .bot a`).last().getAttribute("rel")).resolves.toBe("noopener noreferrer");

      const userMessages = page.locator(`${widget} .user`);
      const before = await userMessages.count();
      await menu(page, "Abmelden & löschen");
      const confirm = page.getByRole("alertdialog");
      await expect(confirm.textContent()).resolves.toContain("Wirklich abmelden?");
      await confirm.getByRole("button", { name: "Abbrechen" }).click();
      await expect(confirm.isHidden()).resolves.toBe(true);
      expect(await userMessages.count()).toBe(before);
      expect(await rig.store.conversations.get(id)).toBeDefined();

      await menu(page, "Abmelden & löschen");
      await confirm.getByRole("button", { name: "Ja, abmelden und löschen" }).click();
      await expectBotSays(page, "Sie sind abgemeldet. Alle über Sie gespeicherten Daten wurden gelöscht.");
      await expect(page.locator(`${widget} #answer`).isDisabled()).resolves.toBe(true);
      expect(await rig.store.conversations.get(id)).toBeUndefined();
      expect(await page.evaluate(() => localStorage.length)).toBe(0);
      expect(await cspViolations(page)).toEqual([]);
      expect(await recorded.context.cookies()).toEqual([]);
      await recorded.context.close();
    },
    timeout,
  );

  it(
    "can be used with the keyboard alone",
    async () => {
      const page = await newPage();
      await page.goto(rig.hostPage());
      await tabUntil(page, "Chat starten");
      await page.keyboard.press("Enter");
      await expectBotSays(page, "Wie kann ich helfen?");
      // Focus lands on the first answer, so Enter picks it.
      expect(await focused(page)).toBe("Rückruf anfordern");
      await page.keyboard.press("Enter");
      await page.locator(`${widget} .consent`).waitFor();
      expect(await focused(page)).toBe("Ja, einverstanden");
      await page.keyboard.press("Enter");
      await expectBotSays(page, "Wie heißen Sie?");
      expect(await focused(page)).toBe("#answer");
      await page.keyboard.type("Erika Mustermann");
      await page.keyboard.press("Enter");
      await expectBotSays(page, "Unter welcher Nummer");
      await page.keyboard.type("030 1234567");
      await page.keyboard.press("Enter");
      await expectBotSays(page, "Danke, Erika Mustermann!");

      // The menu: reachable by Tab, items by Tab, Escape closes it and returns focus.
      await tabUntil(page, "☰ Menü", "Shift+Tab");
      await page.keyboard.press("Enter");
      expect(await focused(page)).toBe("Datenschutz");
      await page.keyboard.press("Escape");
      expect(await focused(page)).toBe("☰ Menü");
      await page.keyboard.press("Enter");
      await tabUntil(page, "Meine Daten");
      await page.keyboard.press("Enter");
      await page.locator(`${widget} .data`).waitFor();
      expect(await focused(page)).toMatch(/korrigieren$/);

      // Escape closes the chat and gives focus back to the launcher; Enter reopens the same chat.
      const messages = await page.locator(`${widget} .log > div`).count();
      await page.keyboard.press("Escape");
      await expect(page.locator(`${widget} .panel`).isHidden()).resolves.toBe(true);
      expect(await focused(page)).toBe("Chat starten");
      await page.keyboard.press("Enter");
      await expect(page.locator(`${widget} .panel`).isVisible()).resolves.toBe(true);
      expect(await page.locator(`${widget} .log > div`).count()).toBe(messages);

      await tabUntil(page, "☰ Menü", "Shift+Tab");
      await page.keyboard.press("Enter");
      await tabUntil(page, "Abmelden & löschen");
      await page.keyboard.press("Enter");
      expect(await focused(page)).toBe("Abbrechen");
      await page.keyboard.press("Shift+Tab");
      expect(await focused(page)).toBe("Ja, abmelden und löschen");
      await page.keyboard.press("Enter");
      await expectBotSays(page, "Sie sind abgemeldet.");
      await recorded.context.close();
    },
    timeout,
  );

  it(
    "remembers the chat on this device only when asked, resumes it after a reload, and forgets it",
    async () => {
      const page = await newPage();
      await page.goto(rig.hostPage());
      const id = await startedId(page, () => openChat(page));
      await option(page, "Rückruf anfordern").click();
      await option(page, "Ja, einverstanden").click();
      await expectBotSays(page, "Wie heißen Sie?");
      expect(await storageWrites(page)).toEqual([]);

      await page.getByLabel("Diesen Chat auf diesem Gerät merken").check();
      await page.waitForFunction(() => localStorage.getItem("botschaft:callback-request") !== null);
      expect(await storageWrites(page)).toEqual([{ kind: "localStorage.setItem", key: "botschaft:callback-request" }]);
      const saved = JSON.parse((await page.evaluate(() => localStorage.getItem("botschaft:callback-request"))) as string);
      expect(saved).toMatchObject({ id, token: expect.stringMatching(new RegExp(`^${id}\\.`)) });
      // No longer than the flow's retention (P90D) would keep the conversation on the server.
      expect(saved.expiresAt - Date.now()).toBeLessThanOrEqual(90 * 86_400_000);
      expect(saved.expiresAt - Date.now()).toBeGreaterThan(89 * 86_400_000);

      // After a reload the page is as silent as before: the chat resumes only on the click.
      const requestsBefore = recorded.requests.length;
      await page.reload();
      await page.waitForTimeout(300);
      expect(recorded.requests.slice(requestsBefore)).toEqual([page.url()]);
      expect(await storageWrites(page)).toEqual([]);
      await page.getByRole("button", { name: "Chat starten" }).click();
      await expectBotSays(page, "Wie heißen Sie?");
      await expect(page.getByLabel("Diesen Chat auf diesem Gerät merken").isChecked()).resolves.toBe(true);
      const sent = page.waitForRequest((request) => request.url().includes(`/conversations/${id}/messages`));
      await answer(page, "Erika Mustermann");
      await sent;
      await expectBotSays(page, "Unter welcher Nummer");
      expect(recorded.requests.filter((url) => url.endsWith("/api/v1/conversations"))).toHaveLength(1);

      await page.getByLabel("Diesen Chat auf diesem Gerät merken").uncheck();
      expect(await page.evaluate(() => localStorage.length)).toBe(0);
      expect((await storageWrites(page)).at(-1)).toEqual({ kind: "localStorage.removeItem", key: "botschaft:callback-request" });

      // Remembered again, then unsubscribed: the browser keeps nothing either.
      await page.getByLabel("Diesen Chat auf diesem Gerät merken").check();
      await page.waitForFunction(() => localStorage.length === 1);
      await menu(page, "Abmelden & löschen");
      await page.getByRole("button", { name: "Ja, abmelden und löschen" }).click();
      await expectBotSays(page, "Sie sind abgemeldet.");
      expect(await page.evaluate(() => localStorage.length)).toBe(0);
      expect(await recorded.context.cookies()).toEqual([]);
      await recorded.context.close();
    },
    timeout,
  );

  it(
    "has no serious or critical accessibility violations (axe-core)",
    async () => {
      const page = await newPage();
      await page.goto(rig.hostPage());
      expect(await axeViolations(page)).toEqual([]);
      await openChat(page);
      await option(page, "Rückruf anfordern").click();
      await page.locator(`${widget} .consent`).waitFor();
      await page.locator(`${widget} button[aria-controls=menu]`).click();
      const serious = (violations: Awaited<ReturnType<typeof axeViolations>>) =>
        violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
      expect(serious(await axeViolations(page))).toEqual([]);
      await page.locator(`${widget} nav button`, { hasText: "Meine Daten" }).click();
      await page.locator(`${widget} .data`).waitFor();
      await menu(page, "Abmelden & löschen");
      await page.getByRole("alertdialog").waitFor();
      expect(serious(await axeViolations(page))).toEqual([]);
      await recorded.context.close();
    },
    timeout,
  );

  it(
    "fills the screen on a phone (screenshots in scratch/)",
    async () => {
      const page = await newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
      await page.goto(rig.hostPage());
      await page.screenshot({ path: `${scratch}widget-mobile-launcher.png` });
      await openChat(page);
      await option(page, "Rückruf anfordern").click();
      await page.locator(`${widget} .consent`).waitFor();
      await page.locator(`${widget} #answer`).blur();
      await page.screenshot({ path: `${scratch}widget-mobile.png` });
      expect(await page.locator(`${widget} .panel`).boundingBox()).toEqual({ x: 0, y: 0, width: 390, height: 844 });
      // Covering the page, the window is modal: Tab and Shift+Tab cycle inside it.
      await expect(page.locator(`${widget} .panel`).getAttribute("aria-modal")).resolves.toBe("true");
      await page.locator(`${widget} #answer`).focus();
      const insideWidget = () => page.evaluate(() => document.activeElement?.hasAttribute("data-botschaft-widget") ?? false);
      for (const key of [...Array(20).fill("Tab"), ...Array(20).fill("Shift+Tab")]) {
        await page.keyboard.press(key);
        expect(await insideWidget()).toBe(true);
      }
      await recorded.context.close();

      const desktop = await newPage({ viewport: { width: 1280, height: 800 } });
      await desktop.goto(rig.hostPage());
      await openChat(desktop);
      await option(desktop, "Rückruf anfordern").click();
      await desktop.locator(`${widget} .consent`).waitFor();
      await desktop.screenshot({ path: `${scratch}widget-desktop.png` });
      const box = await desktop.locator(`${widget} .panel`).boundingBox();
      expect(box && [box.x + box.width, box.y + box.height]).toEqual([1280 - 16, 800 - 16]);
      await expect(desktop.locator(`${widget} .panel`).getAttribute("aria-modal")).resolves.toBe("false");
      await recorded.context.close();
    },
    timeout,
  );

  it(
    "speaks English and takes colour, position, title and avatar from the snippet",
    async () => {
      const page = await newPage();
      await recorded.context.route("https://avatar.example/**", (route) =>
        route.fulfill({ contentType: "image/svg+xml", body: '<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32"><circle cx="16" cy="16" r="16" fill="#c00"/></svg>' }),
      );
      await page.goto(rig.hostPage({ lang: "en", color: "#ffd700", position: "left", title: "Muster Service", avatar: "https://avatar.example/bot.svg" }));
      await expect(page.locator(".botschaft p").textContent()).resolves.toContain("The chat loads from");
      expect(recorded.requests).toHaveLength(1);
      await openChat(page, "Start chat");
      await expect(page.locator(`${widget} h2`).textContent()).resolves.toBe("Muster Service");
      await expect(page.getByRole("button", { name: "Send" }).count()).resolves.toBe(1);
      await expect(page.getByLabel("Remember this chat on this device").count()).resolves.toBe(1);
      await expect(page.locator(`${widget} img.avatar`).getAttribute("src")).resolves.toBe("https://avatar.example/bot.svg");
      const header = await page.locator(`${widget} header`).evaluate((element) => [getComputedStyle(element).backgroundColor, getComputedStyle(element).color]);
      // Gold is light, so the text on it turns dark to keep its contrast.
      expect(header).toEqual(["rgb(255, 215, 0)", "rgb(17, 17, 17)"]);
      const box = await page.locator(`${widget} .panel`).boundingBox();
      expect(box?.x).toBe(16);
      expect(await cspViolations(page)).toEqual([]);
      await recorded.context.close();
    },
    timeout,
  );

  it(
    "renders hostile API output as text and links only to https: addresses",
    async () => {
      const page = await newPage();
      const cors = { "access-control-allow-origin": "*", "access-control-allow-headers": "authorization, content-type" };
      await recorded.context.route(`${rig.runtimeOrigin}/api/v1/conversations`, (route) => {
        if (route.request().method() === "OPTIONS") return route.fulfill({ status: 204, headers: cors });
        return route.fulfill({
          status: 201,
          headers: cors,
          contentType: "application/json",
          body: JSON.stringify({
            id: "x",
            token: "x.y",
            status: "reply",
            menu: [{ id: "privacy", label: "<b>Datenschutz</b>" }],
            messages: [
              { type: "text", text: '<img src=x onerror="window.pwned=1"><b>fett</b>' },
              { type: "link", label: "Script link", url: "javascript:window.pwned=2" },
              { type: "link", label: "Plain http", url: "http://insecure.example/" },
              { type: "consent", purpose: "<i>Zweck</i>", text: "<u>Frage</u>", fields: ["name"], policyUrl: "javascript:alert(1)", options: [{ label: "<b>Ja</b>", value: "accept" }] },
              { type: "choice", text: "<script>window.pwned=3</script>", options: [{ label: "<em>A</em>", value: "a" }] },
            ],
          }),
        });
      });
      await page.goto(rig.hostPage());
      await page.getByRole("button", { name: "Chat starten" }).click();
      await page.locator(`${widget} .bot`).waitFor();
      const log = page.locator(`${widget} .log`);
      await expect(log.locator("img, b, i, u, em, script, a").count()).resolves.toBe(0);
      await expect(log.textContent()).resolves.toContain('<img src=x onerror="window.pwned=1"><b>fett</b>');
      await expect(log.textContent()).resolves.toContain("Script link");
      await expect(page.locator(`${widget} nav`).textContent()).resolves.toBe("<b>Datenschutz</b>");
      expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
      await recorded.context.close();
    },
    timeout,
  );

  it(
    "offers a compact round launcher: the privacy note on hover and focus, still nothing requested before the click",
    async () => {
      const page = await newPage({ viewport: { width: 390, height: 700 } });
      const hostPage = rig.hostPage({ launcher: "compact" });
      await page.goto(hostPage, { waitUntil: "load" });
      await page.waitForTimeout(300);
      expect(recorded.requests).toEqual([hostPage]);
      const launcher = page.getByRole("button", { name: "Chat starten" });
      const box = await launcher.boundingBox();
      expect([box?.width, box?.height]).toEqual([56, 56]);
      const note = page.locator("aside.botschaft p");
      expect(await note.isVisible()).toBe(false);
      await launcher.hover();
      expect(await note.isVisible()).toBe(true);
      await page.mouse.move(5, 5);
      expect(await note.isVisible()).toBe(false);
      await launcher.focus();
      expect(await note.isVisible()).toBe(true);
      expect(await note.textContent()).toContain("Der Chat lädt erst nach dem Klick");
      expect(recorded.requests).toEqual([hostPage]);
      await openChat(page);
      expect(await cspViolations(page)).toEqual([]);
      await recorded.context.close();
    },
    timeout,
  );

  it(
    "runs on the demo company page that npm start serves, under its strict CSP",
    async () => {
      const page = await newPage();
      const response = await page.goto(`${rig.runtimeOrigin}/demo`);
      expect(response?.headers()["content-security-policy"]).toMatch(/^default-src 'none'/);
      await page.waitForTimeout(300);
      expect(recorded.requests).toEqual([`${rig.runtimeOrigin}/demo`]);
      await openChat(page);
      await option(page, "Öffnungszeiten").click();
      await expectBotSays(page, "Montag bis Freitag, 9 bis 17 Uhr.");
      expect(await cspViolations(page)).toEqual([]);
      expect(recorded.consoleErrors).toEqual([]);
      expect(await storageWrites(page)).toEqual([]);
      await recorded.context.close();
    },
    timeout,
  );

  it(
    "tells the visitor when the runtime refuses the page's origin, and offers a retry",
    async () => {
      const restricted = await startWidgetRig({ assets: await buildWidget(), widgetOrigins: ["https://www.muster.example"] });
      try {
        const page = await newPage();
        await page.goto(restricted.hostPage());
        await page.getByRole("button", { name: "Chat starten" }).click();
        const error = page.locator(`${widget} .error`);
        await error.waitFor();
        await expect(error.textContent()).resolves.toContain("Der Chat ist gerade nicht erreichbar.");
        expect(await focused(page)).toBe("Erneut versuchen");
        // The preflight failed, so the browser never sent the request itself: no conversation exists.
        expect(await restricted.store.conversations.deleteExpired("9999-12-31T00:00:00.000Z")).toEqual([]);
        await recorded.context.close();
      } finally {
        await restricted.close();
      }
    },
    timeout,
  );

  it(
    "shows a typing indicator while the bot answers and switches the keyboard by input hint",
    async () => {
      const page = await newPage();
      const cors = { "access-control-allow-origin": "*", "access-control-allow-headers": "authorization, content-type" };
      const formats = ["email", "number", "date", "phone"];
      let release: () => void = () => undefined;
      const answered = new Promise<void>((resolve) => {
        release = resolve;
      });
      await recorded.context.route(`${rig.runtimeOrigin}/api/v1/conversations**`, async (route) => {
        if (route.request().method() === "OPTIONS") return route.fulfill({ status: 204, headers: cors });
        const started = route.request().url().endsWith("/conversations");
        // The first answer waits until the test has seen the typing indicator.
        if (started) await answered;
        const format = started ? "text" : (formats.shift() ?? "text");
        return route.fulfill({
          status: started ? 201 : 200,
          headers: cors,
          contentType: "application/json",
          body: JSON.stringify({ id: "c1", token: "c1.t", status: "reply", menu: [], messages: [{ type: "text", text: `Format ${format}` }, { type: "input", format }] }),
        });
      });
      await page.goto(rig.hostPage());
      await page.getByRole("button", { name: "Chat starten" }).click();
      const typing = page.locator(`${widget} .typing`);
      await typing.waitFor({ state: "visible" });
      await expect(page.locator(`${widget} [role=log]`).getAttribute("aria-busy")).resolves.toBe("true");
      release();
      await expectBotSays(page, "Format text");
      await expect(typing.isHidden()).resolves.toBe(true);
      const input = page.locator(`${widget} #answer`);
      const kinds = [];
      // Each answer goes into the field as the previous hint shaped it (text, email, number, date).
      const answers = { email: "x", number: "erika@muster.example", date: "1", phone: "2026-12-24" };
      for (const [format, text] of Object.entries(answers)) {
        await answer(page, text);
        await expectBotSays(page, `Format ${format}`);
        kinds.push(await input.evaluate((element: HTMLInputElement) => [element.type, element.inputMode, element.autocomplete]));
      }
      expect(kinds).toEqual([
        ["email", "email", "email"],
        ["text", "decimal", "off"],
        ["date", "numeric", "off"],
        ["tel", "tel", "tel"],
      ]);
      await recorded.context.close();
    },
    timeout,
  );

  it(
    "starts a new conversation from the end of the old one",
    async () => {
      const page = await newPage();
      await page.goto(rig.hostPage());
      const first = await startedId(page, () => openChat(page));
      await menu(page, "Abmelden & löschen");
      await page.getByRole("button", { name: "Ja, abmelden und löschen" }).click();
      await expectBotSays(page, "Sie sind abgemeldet.");
      const second = await startedId(page, () => page.getByRole("button", { name: "Neues Gespräch starten" }).click());
      expect(second).not.toBe(first);
      await expectBotSays(page, "Wie kann ich helfen?");
      await expect(page.locator(`${widget} .log > div`).count()).resolves.toBe(1);
      await expect(page.locator(`${widget} #answer`).isEnabled()).resolves.toBe(true);
      await recorded.context.close();
    },
    timeout,
  );

  it(
    "forgets a remembered chat the server no longer has, and starts afresh",
    async () => {
      const page = await newPage();
      await page.goto(rig.hostPage());
      const first = await startedId(page, () => openChat(page));
      await page.getByLabel("Diesen Chat auf diesem Gerät merken").check();
      await page.waitForFunction(() => localStorage.length === 1);
      // As if the retention sweep had deleted it meanwhile.
      await rig.store.conversations.delete(first);
      await page.reload();
      const second = await startedId(page, () => page.getByRole("button", { name: "Chat starten" }).click());
      expect(second).not.toBe(first);
      await expectBotSays(page, "Wie kann ich helfen?");
      await expect(page.locator(`${widget} .log > div`).count()).resolves.toBe(1);
      expect(await page.evaluate(() => localStorage.length)).toBe(0);
      await expect(page.getByLabel("Diesen Chat auf diesem Gerät merken").isChecked()).resolves.toBe(false);
      await recorded.context.close();
    },
    timeout,
  );
});
